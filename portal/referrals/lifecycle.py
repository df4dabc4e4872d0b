"""A request's lifecycle, in one place: statuses, the steps between them, when it ends,
how long it is kept afterwards, and what the applicant reads at each status.

The path follows the real process: new → in review → interview scheduled
(wywiad środowiskowy) → assistant assigned or referred elsewhere; closing (with a
reason) is possible from any status that is not final.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from portal.core.clock import add_months, add_working_days, local_day

STATUSES = (
    "new",
    "in_review",
    "interview_scheduled",
    "assistant_assigned",
    "referred_elsewhere",
    "closed",
    "withdrawn",  # by the applicant, from the status page
)
FINAL_STATUSES = ("assistant_assigned", "referred_elsewhere", "closed", "withdrawn")
OPEN_STATUSES = tuple(s for s in STATUSES if s not in FINAL_STATUSES)
CLOSE_REASONS = ("no_contact", "family_declined", "outside_area", "duplicate", "other")
# The reason a withdrawn request carries; staff do not choose it, so not in CLOSE_REASONS.
WITHDRAWN_REASON = "applicant_withdrew"
KINDS = ("zgloszenie", "za-zyciem")

# The steps staff may take from each status (final statuses have none).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("in_review", "closed"),
    "in_review": ("interview_scheduled", "closed"),
    "interview_scheduled": ("assistant_assigned", "referred_elsewhere", "closed"),
}

# The step the applicant may take from the status page, while the request is open.
APPLICANT_TRANSITIONS: dict[str, tuple[str, ...]] = {s: ("withdrawn",) for s in OPEN_STATUSES}

# The progress shown to the applicant on the status page.
STEPS = ("new", "in_review", "interview_scheduled", "assistant_assigned")

# What the applicant reads for each status (no personal data, no health data).
STATUS_TEXT: dict[str, LazyString] = {
    "new": lazy_gettext("Otrzymaliśmy Twoją prośbę. Pracownik ośrodka wkrótce ją przeczyta."),
    "in_review": lazy_gettext("Pracownik ośrodka zapoznaje się z prośbą i skontaktuje się z Tobą."),
    "interview_scheduled": lazy_gettext(
        "Pracownik socjalny umówi się z Tobą na rozmowę (wywiad środowiskowy)."
    ),
    "assistant_assigned": lazy_gettext(
        "Rodzina ma przydzielonego asystenta. Asystent skontaktuje się z Tobą."
    ),
    "referred_elsewhere": lazy_gettext(
        "Sprawę przekazaliśmy do instytucji, która lepiej pomoże. Szczegóły przekaże pracownik."
    ),
    "closed": lazy_gettext(
        "Sprawa jest zamknięta. Możesz w każdej chwili poprosić o pomoc ponownie."
    ),
    "withdrawn": lazy_gettext(
        "Zgłoszenie zostało wycofane. Jeśli zechcesz, możesz w każdej chwili wysłać nowe."
    ),
}


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a request in `status` may move to."""
    return TRANSITIONS.get(status, ())


def is_final(status: str) -> bool:
    """True once the request has ended (its retention period then runs)."""
    return status in FINAL_STATUSES


def retention_until(day: date, months: int) -> date:
    """The day after which a request that ended (or arrived) on `day` may be deleted."""
    return add_months(day, months)


def applicant_next_statuses(status: str) -> tuple[str, ...]:
    """The statuses the applicant may move a request in `status` to (withdrawing it)."""
    return APPLICANT_TRANSITIONS.get(status, ())


def can_withdraw(status: str) -> bool:
    """Whether the applicant may still withdraw: only while the request is open."""
    return "withdrawn" in applicant_next_statuses(status)


def answer_due(arrived: datetime, urgent: bool, answer_days: int) -> date:
    """The day by which the centre answers: `answer_days` working days after the request
    arrived; an urgent one on the working day it arrived (or the next one)."""
    return add_working_days(local_day(arrived), 0 if urgent else answer_days)
