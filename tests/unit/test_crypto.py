"""Keyring: AES-256-GCM envelope encryption with rotation."""

from __future__ import annotations

import base64
import os

import pytest

from portal.core.crypto import DecryptionError, Keyring


def _key_text(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture
def ring() -> Keyring:
    return Keyring.parse(Keyring.generate_value("k1"))


def test_generate_value_parses_and_is_random() -> None:
    a, b = Keyring.generate_value(), Keyring.generate_value("k2")
    assert a.startswith("k1:") and b.startswith("k2:")
    assert a.split(":")[1] != b.split(":")[1]
    assert len(base64.urlsafe_b64decode(a.split(":")[1] + "=")) == 32
    assert Keyring.parse(a).current_kid == "k1"


def test_round_trip(ring: Keyring) -> None:
    kid, blob = ring.encrypt(b"zaswiadczenie lekarskie", aad=b"req-1")
    assert kid == "k1"
    assert b"zaswiadczenie" not in blob
    assert ring.decrypt(kid, blob, aad=b"req-1") == b"zaswiadczenie lekarskie"


def test_empty_plaintext_round_trip(ring: Keyring) -> None:
    kid, blob = ring.encrypt(b"")
    assert ring.decrypt(kid, blob) == b""


def test_nonce_is_fresh_each_time(ring: Keyring) -> None:
    _, one = ring.encrypt(b"same")
    _, two = ring.encrypt(b"same")
    assert one[:12] != two[:12]
    assert one != two
    assert len(one) == 12 + len(b"same") + 16


@pytest.mark.parametrize("position", [0, 5, 11, 12, 20, -1])
def test_tampering_is_detected(ring: Keyring, position: int) -> None:
    kid, blob = ring.encrypt(b"PESEL 44051401359", aad=b"req-1")
    tampered = bytearray(blob)
    tampered[position] ^= 0x01
    with pytest.raises(DecryptionError):
        ring.decrypt(kid, bytes(tampered), aad=b"req-1")


def test_truncated_blob_is_refused(ring: Keyring) -> None:
    kid, blob = ring.encrypt(b"x")
    for cut in (0, 5, 27, len(blob) - 1):
        with pytest.raises(DecryptionError):
            ring.decrypt(kid, blob[:cut])


def test_wrong_aad_is_refused(ring: Keyring) -> None:
    kid, blob = ring.encrypt(b"dane", aad=b"request:1")
    with pytest.raises(DecryptionError):
        ring.decrypt(kid, blob, aad=b"request:2")
    with pytest.raises(DecryptionError):
        ring.decrypt(kid, blob)


def test_unknown_kid_is_refused(ring: Keyring) -> None:
    _, blob = ring.encrypt(b"dane")
    with pytest.raises(DecryptionError, match="k9"):
        ring.decrypt("k9", blob)


def test_rotation_old_key_decrypts_new_key_encrypts() -> None:
    old_value = Keyring.generate_value("k1")
    old_ring = Keyring.parse(old_value)
    old_kid, old_blob = old_ring.encrypt(b"stare", aad=b"r")

    new_value = Keyring.generate_value("k2")
    rotated = Keyring.parse(f"{new_value},{old_value}")
    assert rotated.current_kid == "k2"
    assert rotated.kids == ("k2", "k1")
    assert rotated.decrypt(old_kid, old_blob, aad=b"r") == b"stare"

    new_kid, new_blob = rotated.encrypt(b"nowe", aad=b"r")
    assert new_kid == "k2"
    # The retired ring cannot read what the new key wrote.
    with pytest.raises(DecryptionError):
        old_ring.decrypt(new_kid, new_blob, aad=b"r")


def test_same_kid_different_key_fails() -> None:
    a = Keyring.parse(Keyring.generate_value("k1"))
    b = Keyring.parse(Keyring.generate_value("k1"))
    kid, blob = a.encrypt(b"x")
    with pytest.raises(DecryptionError):
        b.decrypt(kid, blob)


def test_json_helpers(ring: Keyring) -> None:
    data = {"imię": "Zażółć gęślą jaźń", "dzieci": [1, 2], "uwagi": None}
    kid, blob = ring.encrypt_json(data, aad=b"req-7")
    # ensure_ascii=False: Polish letters stored as UTF-8, not \u escapes.
    assert "Zażółć".encode() in ring.decrypt(kid, blob, aad=b"req-7")
    assert ring.decrypt_json(kid, blob, aad=b"req-7") == data
    with pytest.raises(DecryptionError):
        ring.decrypt_json(kid, blob, aad=b"req-8")


def test_decrypt_json_of_non_json_is_refused(ring: Keyring) -> None:
    kid, blob = ring.encrypt(b"\xff\xfe not json")
    with pytest.raises(DecryptionError):
        ring.decrypt_json(kid, blob)


def test_parse_accepts_padding_and_spaces() -> None:
    raw = os.urandom(32)
    padded = base64.urlsafe_b64encode(raw).decode()
    ring = Keyring.parse(f" a_B-1:{padded} , old:{_key_text(os.urandom(32))} ")
    assert ring.current_kid == "a_B-1"
    assert ring.kids == ("a_B-1", "old")
    kid, blob = ring.encrypt(b"x")
    assert Keyring({"a_B-1": raw}, "a_B-1").decrypt(kid, blob) == b"x"


SECRET = _key_text(b"S" * 32)  # recognisable key text that must never be echoed


@pytest.mark.parametrize(
    "value",
    [
        "",
        " , ",
        SECRET,  # no kid
        f"k1{SECRET}",
        f":{SECRET}",
        f"this-kid-is-far-too-long:{SECRET}",
        f"k 1:{SECRET}",
        f"kł:{SECRET}",
        f"k1:{SECRET[:-4]}",  # 29 bytes
        f"k1:{_key_text(b'S' * 33)}",
        f"k1:{SECRET}!!",
        f"k1:{SECRET.replace('U', '+')}/",  # standard alphabet, not base64url
        f"k1:{SECRET},k1:{SECRET}",
        f"k1:{SECRET},broken",
    ],
)
def test_parse_errors_never_include_key_material(value: str) -> None:
    with pytest.raises(ValueError) as info:
        Keyring.parse(value)
    message = str(info.value)
    assert "PORTAL_DATA_KEY" in message
    assert SECRET[:8] not in message
    assert "SSSS" not in message
    # No chained exception that a traceback could print with the key in it.
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__ or info.value.__context__ is None


def test_repr_hides_keys() -> None:
    value = Keyring.generate_value("k1")
    assert value.split(":")[1] not in repr(Keyring.parse(value))


def test_generate_value_refuses_bad_kid() -> None:
    with pytest.raises(ValueError):
        Keyring.generate_value("bad kid")
