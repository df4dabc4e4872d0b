"""A stored request's answers, decrypted and paired with their questions as asked."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask_babel import format_date, gettext

from portal.core.i18n import text_in
from portal.referrals.models import Attachment, Request


def stored_answers(req: Request) -> dict[str, Any]:
    """The answers of a request (decrypted)."""
    data = req.unseal_json("answers")
    fields: dict[str, Any] = data.get("fields", {})
    return fields


def answer_text(kind: str, value: Any, choice_labels: dict[str, str]) -> str:
    """One answer as text: choices by their labels, dates in words, a ticked box as "Tak".

    Used for stored requests (panel) and for answers not yet sent (the check page).
    """
    if kind == "multichoice":
        return "\n".join(choice_labels.get(v, v) for v in value)
    if kind == "choice":
        return str(choice_labels.get(value, value))
    if kind == "checkbox":
        return str(gettext("Tak") if value else gettext("Nie"))
    if kind == "date":
        return str(format_date(date.fromisoformat(value), "long"))
    return str(value)


def format_answer(field: dict[str, Any], value: Any, lang: str) -> str:
    """One stored answer as text, with the choice labels of the definition as asked."""
    labels = {c["value"]: text_in(c["label"], lang) for c in field.get("choices", [])}
    return answer_text(str(field.get("type")), value, labels)


def answer_rows(req: Request, lang: str) -> list[tuple[str, str]]:
    """(question, answer) for every answered question, in the order it was asked."""
    answers = stored_answers(req)
    return [
        (text_in(field["label"], lang), format_answer(field, answers[field["name"]], lang))
        for field in _fields(req)
        if field["name"] in answers
    ]


def _fields(req: Request) -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = json.loads(req.form_version.definition)["fields"]
    return fields


def files_in_order(req: Request) -> list[Attachment]:
    """The request's files as the panel lists them: by the question they answer, in the
    order the form asks them, each question's in the order they were added; files of no
    question of the form (from before files knew their question) after those, and the
    files sent with the applicant's replies last."""
    position = {field["name"]: i for i, field in enumerate(_fields(req))}
    last = len(position)

    def key(att: Attachment) -> tuple[bool, int, int]:
        return att.message_id is not None, position.get(att.question or "", last), att.id

    return sorted(req.attachments, key=key)


def file_questions(req: Request, lang: str) -> dict[str, str]:
    """Question name → the question as asked, for the file questions of the request's form."""
    return {
        field["name"]: text_in(field["label"], lang)
        for field in _fields(req)
        if field.get("type") == "file"
    }


def attachment_content(att: Attachment) -> bytes:
    """A certificate file's bytes (decrypted)."""
    return att.unseal("content")


def attachment_name(att: Attachment) -> str:
    """A certificate file's name as the applicant had it (display text only)."""
    return att.unseal_text("name")


def attachment_title(att: Attachment) -> str:
    """How pages and documents name a file: "label – name", or the name alone."""
    label = att.label_text()
    return f"{label} – {attachment_name(att)}" if label else attachment_name(att)
