"""What the "check your answers" page shows and re-posts."""

from __future__ import annotations

from dataclasses import dataclass

from portal.core.i18n import current_lang
from portal.referrals.builder import Checked, RequestForm
from portal.referrals.definitions import FieldSpec, FormSpec, text_in
from portal.referrals.display import answer_text


@dataclass(frozen=True)
class Row:
    name: str
    question: str
    answer: str


def _answer_text(spec: FieldSpec, checked: Checked, lang: str) -> str | None:
    if spec.type == "file":
        state = checked.files.get(spec.name)
        return "\n".join(name for _id, name in state.held) if state and state.held else None
    if spec.name not in checked.answers:
        return None
    labels = {c.value: text_in(c.label, lang) for c in spec.choices}
    return answer_text(spec.type, checked.answers[spec.name], labels)


def check_rows(spec: FormSpec, checked: Checked) -> list[Row]:
    """Every answered question of the form, in order, as the applicant will send it."""
    lang = current_lang()
    rows = []
    for question in spec.fields:
        text = _answer_text(question, checked, lang)
        if text is not None:
            rows.append(Row(question.name, text_in(question.label, lang), text))
    return rows


def hidden_values(form: RequestForm, checked: Checked) -> list[tuple[str, str]]:
    """The answers as (name, value) pairs to post again from the check page."""
    pairs: list[tuple[str, str]] = []
    for spec in form.spec.fields:
        fld = form[spec.name]
        if not form.is_visible(spec):
            continue
        if spec.type == "file":
            state = checked.files.get(spec.name)
            pairs += [("held", held_id) for held_id, _n in (state.held if state else [])]
        elif spec.type == "multichoice":
            pairs += [(spec.name, str(v)) for v in (fld.data or [])]
        elif spec.type == "checkbox":
            pairs += [(spec.name, "y")] if fld.data else []
        elif fld.data not in (None, ""):
            pairs.append((spec.name, str(fld.data)))
    return pairs
