"""Rows of the `requests` table: a realistic mix, generated in chunks (no ORM objects)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import Any

from bench.answers import plaintexts
from bench.content import answer_days_of, postal_code_of
from portal.core.clock import add_working_days
from portal.core.crypto import Keyring
from portal.referrals.lifecycle import CLOSE_REASONS, received_day
from portal.referrals.models import Request
from portal.referrals.service import REFERENCE_ALPHABET

SPAN = timedelta(days=730)
RETENTION = timedelta(days=365)
# (younger than N days, [(status, weight)…]): old requests are mostly finished.
STATUS_BY_AGE: tuple[tuple[int, tuple[tuple[str, int], ...]], ...] = (
    (7, (("new", 60), ("in_review", 40))),
    (
        30,
        (
            ("new", 15),
            ("in_review", 35),
            ("interview_scheduled", 30),
            ("assistant_assigned", 10),
            ("referred_elsewhere", 5),
            ("closed", 5),
        ),
    ),
    (
        90,
        (
            ("in_review", 10),
            ("interview_scheduled", 15),
            ("assistant_assigned", 40),
            ("referred_elsewhere", 15),
            ("closed", 20),
        ),
    ),
    (
        10**6,
        (("in_review", 1), ("assistant_assigned", 50), ("referred_elsewhere", 19), ("closed", 30)),
    ),
)


# The generated centres' opening hours end at 15:30 (bench/content.py).
CLOSES_AT = time(15, 30)


@lru_cache(maxsize=8192)
def _due_after(received: date, days: int) -> date:
    return add_working_days(received, days)


def due_of(created: datetime, number: int, urgent: bool) -> date:
    """The due date the portal would have stored for this request."""
    received = received_day(created, CLOSES_AT)
    return received if urgent else _due_after(received, answer_days_of(number))


def milestones(rng: random.Random, created: datetime, status: str) -> dict[str, Any]:
    """First answer (any status but new) and decision (final statuses), in working days."""
    received = received_day(created, CLOSES_AT)
    values: dict[str, Any] = dict.fromkeys(
        ("first_contact_on", "contact_days", "decided_on", "decision_days")
    )
    if status != "new":
        days = rng.choice((0, 1, 1, 2, 3, 4, 6, 9))
        values.update(first_contact_on=_due_after(received, days), contact_days=days)
    if status in ("assistant_assigned", "referred_elsewhere", "closed"):
        days = rng.randint(8, 40)
        values.update(decided_on=_due_after(received, days), decision_days=days)
    return values


def centre_weights(count: int) -> list[float]:
    """Zipf-like: a few big cities' centres get most requests, most gminas few."""
    return [1.0 / (rank + 5) for rank in range(count)]


def reference_code(counter: int) -> str:
    """Five characters, a bijection of the centre's counter (odd multiplier mod 32⁵)."""
    value = (counter * 7_368_787 + 1_234_567) % 32**5
    chars = []
    for _ in range(5):
        value, digit = divmod(value, 32)
        chars.append(REFERENCE_ALPHABET[digit])
    return "".join(chars)


def pick_status(rng: random.Random, age_days: float) -> str:
    for limit, table in STATUS_BY_AGE:
        if age_days < limit:
            names, weights = zip(*table, strict=True)
            return str(rng.choices(names, weights)[0])
    raise AssertionError("unreachable")


@dataclass
class RowMaker:
    """Makes request rows in id order, created_at rising over two years up to `now`."""

    slugs: list[str]
    prefixes: list[str]
    staff: dict[str, tuple[int, int]]  # centre → (worker id, manager id)
    versions: dict[str, int]  # form name → form_versions.id
    ring: Keyring
    total: int
    now: datetime
    seed: int = 5
    counts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.cum = list(accumulate(centre_weights(len(self.slugs))))
        self.counts = [0] * len(self.slugs)
        self.texts = {k: plaintexts(k) for k in ("zgloszenie", "za-zyciem")}

    def chunks(self, size: int) -> Iterator[list[dict[str, Any]]]:
        for start in range(0, self.total, size):
            yield [self.row(n) for n in range(start, min(start + size, self.total))]

    def row(self, number: int) -> dict[str, Any]:
        rng = self.rng
        centre = rng.choices(range(len(self.slugs)), cum_weights=self.cum)[0]
        self.counts[centre] += 1
        created = self.now - SPAN + SPAN * (number / self.total)
        kind = "zgloszenie" if rng.random() < 0.8 else "za-zyciem"
        status = pick_status(rng, (self.now - created).total_seconds() / 86400)
        changed = created if status == "new" else created + timedelta(days=rng.uniform(0.2, 6))
        reference = f"{self.prefixes[centre]}-{created.year}-{reference_code(self.counts[centre])}"
        kid, blob = self.ring.encrypt(rng.choice(self.texts[kind]), Request.aad_for(reference))
        worker, manager = self.staff[self.slugs[centre]]
        final = status in ("assistant_assigned", "referred_elsewhere", "closed")
        urgent = rng.random() < 0.05
        return {
            "reference": reference,
            "centre_slug": self.slugs[centre],
            "kind": kind,
            "status": status,
            "urgent": urgent,
            "outside_area": rng.random() < 0.03,
            "lang": rng.choices(("pl", "uk", "en"), (88, 9, 3))[0],
            "idempotency_key": f"bench-{number:018d}",
            "form_version_id": self.versions[kind],
            "key_id": kid,
            "answers": blob,
            "created_at": created,
            "status_changed_at": changed,
            "due_date": due_of(created, centre, urgent),
            "retention_until": ((changed if final else created) + RETENTION).date(),
            "assignee_id": None if status == "new" else rng.choice((worker, worker, manager, None)),
            "interview_date": (created + timedelta(days=10)).date()
            if status == "interview_scheduled"
            else None,
            "consent_date": (created + timedelta(days=20)).date()
            if status == "assistant_assigned"
            else None,
            "close_reason": rng.choice(CLOSE_REASONS) if status == "closed" else None,
            "reply_waiting": False,
            "postal_code": postal_code_of(centre),
            **milestones(rng, created, status),
        }
