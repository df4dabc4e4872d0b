"""What a queue row shows to triage without opening the request: who, where, how late.

Only the first name and the surname's initial, and the town: enough to tell two
requests apart on the phone, not enough to read a family's situation off a screen
someone walks past. Decrypted for the rows of one page only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.core.encryption import DecryptionError
from portal.referrals.display import stored_answers
from portal.referrals.lifecycle import is_overdue
from portal.referrals.models import Request


@dataclass(frozen=True)
class Triage:
    """One row's summary."""

    person: str
    town: str
    overdue: bool


def short_name(full_name: str) -> str:
    """ "Zofia Anna Testowa" → "Zofia T." (first name and the last name's initial)."""
    words = full_name.split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


def triage(req: Request, today: date) -> Triage:
    """The summary of one request (its answers decrypted, then dropped)."""
    try:
        answers = stored_answers(req)
    except DecryptionError:  # a row on a key no longer configured: still listed
        answers = {}
    return Triage(
        person=short_name(str(answers.get("full_name") or "")),
        town=" ".join(str(answers.get("city") or "").split()),
        overdue=is_overdue(req.due_date, req.status, today),
    )


def triage_rows(rows: list[Request], today: date) -> dict[int, Triage]:
    """Request id → summary, for the rows of one page."""
    return {req.id: triage(req, today) for req in rows}
