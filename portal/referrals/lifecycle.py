"""A request's lifecycle, in one place: statuses, the steps between them, when it is
due, when it ends, how long it is kept afterwards, and what the applicant reads.

The path follows the real process: new → in review → interview scheduled
(wywiad środowiskowy) → assistant assigned or referred elsewhere; closing (with a
reason) is possible from any status that is not final.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from portal.core.clock import (
    add_months,
    add_working_days,
    local_day,
    local_moment,
    next_working_day,
    working_days_between,
)

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
# Why staff move a request's due date (recorded as a code; any words go into a note).
DUE_MOVE_REASONS = ("applicant_asked", "documents_awaited", "staff_absence", "other")

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


# Why a request was closed, as the applicant reads it under the "closed" wording.
CLOSE_REASON_TEXT: dict[str, LazyString] = {
    "no_contact": lazy_gettext("Nie udało nam się z Tobą skontaktować."),
    "family_declined": lazy_gettext("Rodzina zrezygnowała ze wsparcia."),
    "outside_area": lazy_gettext(
        "Adres jest poza terenem działania ośrodka. Zwróć się do ośrodka pomocy społecznej "
        "w swojej gminie."
    ),
    "duplicate": lazy_gettext("Twoją sprawę prowadzimy w innym zgłoszeniu."),
    "other": lazy_gettext("Szczegóły przekaże Ci pracownik ośrodka."),
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


def received_day(arrived: datetime, closes_at: time) -> date:
    """The working day a request counts as received: the day it arrived (Polish time), or
    the next working day when it came on a day off or after the centre's closing hour."""
    local = local_moment(arrived)
    day = local.date()
    if local.time() >= closes_at:
        day = date.fromordinal(day.toordinal() + 1)
    return next_working_day(day)


def due_date(arrived: datetime, *, answer_days: int, closes_at: time, urgent: bool) -> date:
    """When the centre must answer: `answer_days` working days after the day it received
    the request; an urgent one on that same working day."""
    received = received_day(arrived, closes_at)
    return received if urgent else add_working_days(received, answer_days)


def is_overdue(due: date, status: str, today: date) -> bool:
    """An open request whose due day has passed (a request due today is not late yet)."""
    return status in OPEN_STATUSES and due < today


# The first answer the applicant gets: staff take the request up (it leaves "new") or
# write to them; the due date measures the same thing.
def milestones(
    arrived: datetime, closes_at: time, now: datetime, *, contacted: bool, decided: bool
) -> dict[str, object]:
    """Column values for a first contact and/or a decision reached at `now`."""
    received, today = received_day(arrived, closes_at), local_day(now)
    days = working_days_between(received, today)
    values: dict[str, object] = {}
    if contacted:
        values.update(first_contact_on=today, contact_days=days)
    if decided:
        values.update(decided_on=today, decision_days=days)
    return values
