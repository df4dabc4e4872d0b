"""Who a request is about, as a blind index can find it: PESEL, e-mail, phone.

Each value is normalised (so "600 123 456", "+48600123456" and "0048 600-123-456"
are one number, and an e-mail is one address whatever its letter case), then only
its keyed digest is stored (`RequestIdentifier`, `portal.core.encryption.blind_digest`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# The kind of identifier → the answer that holds it (the same name in every form).
FIELDS = {"pesel": "pesel", "email": "email", "phone": "phone"}
KINDS = tuple(FIELDS)


def normalise(kind: str, value: Any) -> str | None:
    """The value as indexed, or None when there is nothing usable to index."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if kind == "pesel":
        digits = re.sub(r"\D", "", text)
        return digits if len(digits) == 11 else None
    if kind == "email":
        return text.casefold() if "@" in text else None
    if kind == "phone":
        return _phone(text)
    raise ValueError(f"unknown identifier kind {kind!r}")


def _phone(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    international = text.startswith("+") or digits.startswith("00")
    digits = digits[2:] if digits.startswith("00") else digits
    if (international or len(digits) == 11) and digits.startswith("48") and len(digits) == 11:
        digits = digits[2:]  # a Polish number, with or without its country code
    elif international:
        digits = "+" + digits  # a number abroad keeps its country code
    return digits if len(digits.lstrip("+")) >= 7 else None


def identifiers(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, normalised value) for every identifier the answers hold."""
    found = []
    for kind, field in FIELDS.items():
        value = normalise(kind, answers.get(field))
        if value:
            found.append((kind, value))
    return found
