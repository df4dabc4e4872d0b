"""What the "check your answers" page shows and re-posts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, gettext

from portal.i18n import current_lang
from portal.referrals.builder import RequestForm
from portal.referrals.definitions import FieldSpec, text_in


@dataclass(frozen=True)
class Row:
    name: str
    question: str
    answer: str


def _answer_text(spec: FieldSpec, form: RequestForm, lang: str) -> str:
    value = form[spec.name].clean
    if spec.type == "file":
        return "\n".join(name for _id, name in form.file_states[spec.name].held)
    if spec.type == "multichoice":
        return "\n".join(spec.choice_label(v, lang) for v in value)
    if spec.type == "choice":
        return spec.choice_label(value, lang)
    if spec.type == "checkbox":
        return gettext("Tak")
    if spec.type == "date":
        return str(format_date(date.fromisoformat(value), "long"))
    return str(value)


def check_rows(form: RequestForm) -> list[Row]:
    """Every answered question of the form, in order, as the applicant will send it."""
    lang = current_lang()
    rows = []
    for spec in form.spec.fields:
        if form[spec.name].clean in (None, "", [], False):
            continue
        rows.append(Row(spec.name, text_in(spec.label, lang), _answer_text(spec, form, lang)))
    return rows


def hidden_values(form: RequestForm) -> list[tuple[str, str]]:
    """The answers as (name, value) pairs to post again from the check page."""
    pairs: list[tuple[str, str]] = []
    for spec in form.spec.fields:
        fld = form[spec.name]
        if not form.is_visible(spec):
            continue
        if spec.type == "file":
            pairs += [("held", held_id) for held_id, _n in form.file_states[spec.name].held]
        elif spec.type == "multichoice":
            pairs += [(spec.name, str(v)) for v in (fld.data or [])]
        elif spec.type == "checkbox":
            pairs += [(spec.name, "y")] if fld.data else []
        elif fld.data not in (None, ""):
            pairs.append((spec.name, str(fld.data)))
    return pairs
