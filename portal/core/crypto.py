"""AES-256-GCM encryption at rest with a rotatable keyring.

`PORTAL_DATA_KEY` holds comma-separated ``kid:base64urlkey`` entries. The first
key encrypts; all keys decrypt, so an old key can stay until every row written
with it has been re-encrypted or deleted.

Each blob is ``nonce (12 bytes) + ciphertext + tag`` and is stored next to the
kid that encrypted it. Callers pass ``aad`` (e.g. the request id) to bind a blob
to its row, so a blob copied into another row fails to decrypt.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["DecryptionError", "Keyring"]

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_KID_RE = re.compile(r"[A-Za-z0-9_-]{1,16}")
# What a data key's derived blind-index key is for (HKDF's `info`): never the data key itself.
BLIND_INFO = b"portal blind index v1"


class DecryptionError(Exception):
    """A blob could not be decrypted: unknown key id, wrong aad or tampering."""


def _b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding; raise ValueError if malformed."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", text):
        raise ValueError("bad alphabet")
    padded = text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4)
    try:
        return base64.urlsafe_b64decode(padded)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("bad base64") from exc


def _parse_entry(position: int, entry: str) -> tuple[str, bytes]:
    """Parse one ``kid:key`` entry; error messages name the position, never the key."""
    kid, sep, encoded = entry.strip().partition(":")
    if not sep:
        raise ValueError(f"PORTAL_DATA_KEY entry {position} must look like 'kid:base64urlkey'.")
    if not _KID_RE.fullmatch(kid):
        raise ValueError(
            f"PORTAL_DATA_KEY entry {position}: key id must be 1-16 characters "
            "from A-Z, a-z, 0-9, '_' and '-'."
        )
    try:
        key = _b64url_decode(encoded.strip())
    except ValueError:
        # `from None`: the chained exception could echo the key text.
        raise ValueError(
            f"PORTAL_DATA_KEY entry {position} (kid {kid!r}): key is not valid base64url."
        ) from None
    if len(key) != KEY_BYTES:
        raise ValueError(
            f"PORTAL_DATA_KEY entry {position} (kid {kid!r}): key must be "
            f"{KEY_BYTES} bytes, got {len(key)}."
        )
    return kid, key


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=SHA256(), length=KEY_BYTES, salt=None, info=info).derive(key)


class Keyring:
    """An ordered set of AES-256 keys; the first one encrypts, all decrypt."""

    __slots__ = ("_blind", "_current", "_keys")

    def __init__(self, keys: Mapping[str, bytes], current_kid: str) -> None:
        """Build a keyring; prefer `Keyring.parse` for environment values."""
        if current_kid not in keys:
            raise ValueError("The current key id is not in the keyring.")
        for kid, key in keys.items():
            if not _KID_RE.fullmatch(kid) or len(key) != KEY_BYTES:
                raise ValueError(f"Key {kid!r} has a bad id or is not {KEY_BYTES} bytes.")
        self._keys: dict[str, AESGCM] = {kid: AESGCM(key) for kid, key in keys.items()}
        self._blind = {kid: _derive(key, BLIND_INFO) for kid, key in keys.items()}
        self._current = current_kid

    def __repr__(self) -> str:
        # Never show key material, only the ids.
        return f"Keyring(current={self._current!r}, kids={list(self._keys)!r})"

    @classmethod
    def parse(cls, value: str) -> Keyring:
        """Parse a ``PORTAL_DATA_KEY`` value; raise ValueError without key material."""
        entries = [e for e in (value or "").split(",") if e.strip()]
        if not entries:
            raise ValueError("PORTAL_DATA_KEY is empty; expected 'kid:base64urlkey[,...]'.")
        keys: dict[str, bytes] = {}
        for position, entry in enumerate(entries, start=1):
            kid, key = _parse_entry(position, entry)
            if kid in keys:
                raise ValueError(f"PORTAL_DATA_KEY lists key id {kid!r} more than once.")
            keys[kid] = key
        return cls(keys, current_kid=next(iter(keys)))

    @staticmethod
    def generate_value(kid: str = "k1") -> str:
        """Return a new ``kid:key`` value with a fresh random 256-bit key."""
        if not _KID_RE.fullmatch(kid):
            raise ValueError("Key id must be 1-16 characters from A-Z, a-z, 0-9, '_' and '-'.")
        key = base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii").rstrip("=")
        return f"{kid}:{key}"

    @property
    def current_kid(self) -> str:
        """The id of the key used for new encryptions."""
        return self._current

    @property
    def kids(self) -> tuple[str, ...]:
        """All key ids, current first."""
        return tuple(self._keys)

    def blind_key(self, kid: str) -> bytes:
        """The key for keyed blind indexes (HMAC) derived from data key `kid` (HKDF-SHA256):
        rotated with it, and unrelated to it for anyone holding only the index."""
        try:
            return self._blind[kid]
        except KeyError:
            raise DecryptionError(f"Unknown key id {kid!r}.") from None

    def encrypt(self, plaintext: bytes, aad: bytes = b"") -> tuple[str, bytes]:
        """Encrypt with the current key; return ``(kid, nonce + ciphertext + tag)``."""
        # A random 96-bit nonce per message; safe for far more blobs than we store.
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._keys[self._current].encrypt(nonce, plaintext, aad)
        return self._current, nonce + sealed

    def decrypt(self, kid: str, blob: bytes, aad: bytes = b"") -> bytes:
        """Decrypt a blob written by `encrypt`; raise DecryptionError on any failure."""
        aesgcm = self._keys.get(kid)
        if aesgcm is None:
            raise DecryptionError(f"Unknown key id {kid!r}.")
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise DecryptionError("Encrypted blob is too short.")
        try:
            return aesgcm.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise DecryptionError("Blob failed authentication (tampered or wrong aad).") from None

    def encrypt_json(self, obj: Any, aad: bytes = b"") -> tuple[str, bytes]:
        """Serialise `obj` as UTF-8 JSON and encrypt it."""
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        return self.encrypt(text.encode("utf-8"), aad)

    def decrypt_json(self, kid: str, blob: bytes, aad: bytes = b"") -> Any:
        """Decrypt a blob written by `encrypt_json` and parse the JSON."""
        plaintext = self.decrypt(kid, blob, aad)
        try:
            return json.loads(plaintext.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            # Authenticated but not JSON: a caller mixed up blob kinds.
            raise DecryptionError("Decrypted blob is not UTF-8 JSON.") from None
