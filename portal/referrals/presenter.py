"""What the "check your answers" page shows and re-posts."""

from __future__ import annotations

from dataclasses import dataclass

from portal.core.i18n import current_lang
from portal.referrals.builder import RequestForm
from portal.referrals.definitions import FieldSpec, text_in
from portal.referrals.display import answer_text


@dataclass(frozen=True)
class Row:
    name: str
    question: str
    answer: str


def _answer_text(spec: FieldSpec, form: RequestForm, lang: str) -> str:
    if spec.type == "file":
        return "\n".join(name for _id, name in form.file_states[spec.name].held)
    labels = {c.value: text_in(c.label, lang) for c in spec.choices}
    return answer_text(spec.type, form[spec.name].clean, labels)


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
