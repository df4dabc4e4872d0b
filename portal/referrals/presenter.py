"""What the "check your answers" page shows and re-posts, and the filters of its pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from portal.core.i18n import text_in
from portal.referrals.builder import Checked, RequestForm
from portal.referrals.definitions import FieldSpec, FormSpec
from portal.referrals.display import answer_text


@dataclass(frozen=True)
class Row:
    name: str
    question: str
    answer: str


def _answer_text(spec: FieldSpec, checked: Checked) -> str | None:
    if spec.type == "file":
        state = checked.files.get(spec.name)
        return "\n".join(held.title for held in state.held) if state and state.held else None
    if spec.name not in checked.answers:
        return None
    labels = {c.value: text_in(c.label) for c in spec.choices}
    return answer_text(spec.type, checked.answers[spec.name], labels)


def check_rows(spec: FormSpec, checked: Checked) -> list[Row]:
    """Every answered question of the form, in order, as the applicant will send it."""
    rows = []
    for question in spec.fields:
        text = _answer_text(question, checked)
        if text is not None:
            rows.append(Row(question.name, text_in(question.label), text))
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
            pairs += [("held", held.id) for held in (state.held if state else [])]
        elif spec.type == "multichoice":
            pairs += [(spec.name, str(v)) for v in (fld.data or [])]
        elif spec.type == "checkbox":
            pairs += [(spec.name, "y")] if fld.data else []
        elif fld.data not in (None, ""):
            pairs.append((spec.name, str(fld.data)))
    return pairs


# The emergency number and the children's helpline, wherever a page names them.
EMERGENCY_NUMBER_RE = re.compile(r"(?<!\d)(?<!\d )(112|116 111)(?! ?\d)")
# Markup is safe here: `Markup.format` escapes its arguments, and `Markup("").join`
# escapes every plain piece, so only this fixed tag is ever left unescaped.
TEL_LINK = Markup('<a class="tel" href="tel:{}">{}</a>')


def emergency_links(text: str) -> Markup:
    """A sentence of plain text (a translation, a form's notice) with 112 and 116 111 as
    links a phone can call; class `tel` keeps each number on one line."""
    plain = text.unescape() if isinstance(text, Markup) else str(text)
    pieces = EMERGENCY_NUMBER_RE.split(plain)  # odd indexes are the numbers
    return Markup("").join(
        TEL_LINK.format(piece.replace(" ", ""), piece) if index % 2 else piece
        for index, piece in enumerate(pieces)
    )


def iso_date(value: object) -> bool:
    """Whether `value` is a real date written YYYY-MM-DD, the only value a date input
    keeps; anything else typed is shown back in a text input, so that nothing is lost."""
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False
