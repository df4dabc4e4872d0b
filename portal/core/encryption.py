"""Encrypted columns: each model declares its blobs and their associated data once.

A model that stores secrets mixes in `Encrypted`, names its blob columns and the
column holding their key id in `__encrypted__`, and says in `associated_data` what
binds its blobs to the row (so a blob copied into another row fails to decrypt).
Declaring it registers the model: `rotate-key` walks `encrypted_models()`, so a new
encrypted column cannot be forgotten by rotation, and no other module spells the
associated data again.

All blobs of one row share one key id: `seal` takes every declared blob at once.
A blob named in `optional` may be NULL (a file without a label): `seal` clears it
when it is left out or None, and `reseal` keeps it NULL.

A model whose associated data changed (rows sealed before it was bound to the
row) names in `bound_by` a column that is NULL on such rows: `associated_data`
still answers the old value for them, `bind` gives them what binds them now, and
`rotate-key` re-seals them even when their key is current.
A blind index is the other kind of keyed column: a model mixes in `BlindIndexed`,
names its digest and key-id columns in `__blind__`, and says in `blind_value` how
to recompute the value it indexes from the row it belongs to (the value itself is
never stored). `rotate-key` walks `blind_models()` too and recomputes each digest
under the new key, so a search keeps finding what was indexed before.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any, ClassVar

from portal.core.crypto import DecryptionError, Keyring
from portal.core.keys import keyring

__all__ = [
    "BlindFields",
    "BlindIndexed",
    "DecryptionError",
    "Encrypted",
    "EncryptedFields",
    "blind_digest",
    "blind_digests",
    "blind_models",
    "encrypted_models",
    "json_bytes",
]

_REGISTRY: list[type[Encrypted]] = []
_BLIND_REGISTRY: list[type[BlindIndexed]] = []


@dataclass(frozen=True)
class EncryptedFields:
    """Which columns of a model are blobs, and which column names their key."""

    blobs: tuple[str, ...]
    key: str = "key_id"
    bound_by: str | None = None  # NULL on rows sealed under an older associated data
    optional: tuple[str, ...] = ()  # blobs that may hold nothing (NULL)


class Encrypted:
    """Mixin for a model with encrypted columns (see the module docstring)."""

    __encrypted__: ClassVar[EncryptedFields]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__encrypted__" in cls.__dict__:
            _REGISTRY.append(cls)

    def associated_data(self) -> bytes:
        """What binds this row's blobs to it; every encrypted model says it once."""
        raise NotImplementedError(f"{type(self).__name__} must define associated_data")

    def bind(self) -> None:
        """Give the row what its associated data is made of, if it lacks it (see `bound_by`)."""

    def seal(self, ring: Keyring | None = None, **plain: bytes | None) -> None:
        """Encrypt every declared blob under the current key (all of them, one key).

        An optional blob left out or given as None is stored as NULL: a blob kept from
        before would stay under the old key, which this row no longer names.
        """
        fields = type(self).__encrypted__
        required = set(fields.blobs) - set(fields.optional)
        given = {attr for attr, value in plain.items() if value is not None}
        if not required <= given or not set(plain) <= set(fields.blobs):
            raise ValueError(f"seal needs {tuple(sorted(required))}, got {tuple(plain)}")
        ring = ring or keyring()
        self.bind()
        aad = self.associated_data()
        for attr in fields.blobs:
            value = plain.get(attr)
            setattr(self, attr, None if value is None else ring.encrypt(value, aad)[1])
        setattr(self, fields.key, ring.current_kid)

    def unseal(self, attr: str, ring: Keyring | None = None) -> bytes:
        """One blob, decrypted; DecryptionError if it is not this row's."""
        fields = type(self).__encrypted__
        if attr not in fields.blobs:
            raise ValueError(f"{attr!r} is not an encrypted column of {type(self).__name__}")
        kid = getattr(self, fields.key)
        blob = getattr(self, attr)
        if kid is None or blob is None:
            raise DecryptionError(f"{type(self).__name__}.{attr} holds nothing.")
        return (ring or keyring()).decrypt(kid, blob, self.associated_data())

    def unseal_text(self, attr: str) -> str:
        """A blob that holds UTF-8 text."""
        return self.unseal(attr).decode("utf-8")

    def unseal_optional_text(self, attr: str) -> str:
        """An optional blob's UTF-8 text, or "" when it holds nothing."""
        return "" if getattr(self, attr) is None else self.unseal_text(attr)

    def unseal_json(self, attr: str) -> Any:
        """A blob that holds JSON (written with `json_bytes`)."""
        try:
            return json.loads(self.unseal_text(attr))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise DecryptionError(f"{type(self).__name__}.{attr} is not JSON.") from None

    def reseal(self, ring: Keyring) -> None:
        """Re-encrypt every blob under the current key and associated data (`rotate-key`)."""
        fields = type(self).__encrypted__
        plain = {
            attr: None
            if attr in fields.optional and getattr(self, attr) is None
            else self.unseal(attr, ring)
            for attr in fields.blobs
        }
        self.seal(ring, **plain)


def json_bytes(obj: Any) -> bytes:
    """`obj` as compact UTF-8 JSON, ready to `seal`."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encrypted_models() -> tuple[type[Encrypted], ...]:
    """Every model that declared encrypted columns, in the order they were defined."""
    return tuple(_REGISTRY)


def forget_model(model: type[Encrypted]) -> None:
    """Take a model out of the registry (for tests that declare a throwaway one)."""
    _REGISTRY.remove(model)


@dataclass(frozen=True)
class BlindFields:
    """Which column of a model holds a blind digest, and which names its key."""

    digest: str = "digest"
    key: str = "key_id"


def blind_digest(value: str, ring: Keyring | None = None, kid: str | None = None) -> str:
    """HMAC-SHA256 of a normalised value under the blind-index key of `kid` (the current
    key by default), as hex."""
    ring = ring or keyring()
    key = ring.blind_key(kid or ring.current_kid)
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def blind_digests(value: str, ring: Keyring | None = None) -> list[str]:
    """The value's digest under every configured key: a search during a rotation finds rows
    indexed under the old key and under the new one."""
    ring = ring or keyring()
    return [blind_digest(value, ring, kid) for kid in ring.kids]


class BlindIndexed:
    """Mixin for a model holding a keyed blind index (see the module docstring)."""

    __blind__: ClassVar[BlindFields]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__blind__" in cls.__dict__:
            _BLIND_REGISTRY.append(cls)

    def blind_value(self, ring: Keyring) -> str | None:
        """The normalised value this row indexes, recomputed from where it is kept
        (None: it is no longer there)."""
        raise NotImplementedError(f"{type(self).__name__} must define blind_value")

    def index(self, value: str, ring: Keyring | None = None) -> None:
        """Store the digest of `value` under the current key."""
        ring = ring or keyring()
        fields = type(self).__blind__
        setattr(self, fields.digest, blind_digest(value, ring))
        setattr(self, fields.key, ring.current_kid)

    def reseal(self, ring: Keyring) -> None:
        """Recompute the digest under the current key (`rotate-key`)."""
        value = self.blind_value(ring)
        if value is None:
            raise DecryptionError(f"{type(self).__name__}: the indexed value is gone.")
        self.index(value, ring)


def blind_models() -> tuple[type[BlindIndexed], ...]:
    """Every model that declared a blind index, in the order they were defined."""
    return tuple(_BLIND_REGISTRY)
