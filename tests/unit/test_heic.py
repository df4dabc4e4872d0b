"""HEIC/HEIF photos: recognised by their bytes, converted to JPEG from their pixels
alone, turned upright as they were taken, refused clearly when broken or too big."""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

import pytest
from PIL import Image

from portal.uploads import FileKind, RejectReason, UploadRejected, check_upload, sniff
from portal.uploads.images import ImageTooLarge, reencode_image
from tests.heic import BLUE, EXIF_GPS, RED, heic_bytes, near

MB = 1024 * 1024


def checked_image(data: bytes, name: str = "IMG_0042.HEIC") -> tuple[Image.Image, str, str]:
    """(the stored image, its media type, its display name)."""
    result = check_upload(data, name, max_bytes=10 * MB, clamd_socket=None)
    return Image.open(BytesIO(result.content)), result.media_type, result.display_name


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\0\0\0\0" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\0" * 32


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (ftyp(b"heic", b"mif1", b"heic"), FileKind.HEIF),
        (ftyp(b"heix", b"mif1"), FileKind.HEIF),
        (ftyp(b"mif1", b"heic"), FileKind.HEIF),
        (ftyp(b"hevc", b"msf1"), FileKind.HEIF),
        (ftyp(b"avif", b"mif1", b"miaf"), None),  # AVIF: same box, another codec
        (ftyp(b"mif1", b"avif"), None),
        (ftyp(b"isom", b"mp41"), None),  # an MP4 video
        (b"\0\0\0\x18ftypheic", None),  # cut off inside its own box
        (b"\xff\xff\xff\xffftypheic" + b"\0" * 64, None),  # a box larger than the file
    ],
)
def test_heif_is_known_by_its_brands(data: bytes, kind: FileKind | None) -> None:
    assert sniff(data) is kind


def test_a_real_heic_is_sniffed() -> None:
    assert sniff(heic_bytes()) is FileKind.HEIF


def test_a_heic_is_stored_as_a_jpeg_named_for_it() -> None:
    img, media_type, name = checked_image(heic_bytes())
    assert img.format == "JPEG" and media_type == "image/jpeg"
    assert name == "IMG_0042.jpg"
    assert img.size == (64, 32)
    assert near(img.getpixel((8, 16)), RED) and near(img.getpixel((56, 16)), BLUE)


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("zdjęcie.heif", "zdjęcie.jpg"),
        ("scan.HIF", "scan.jpg"),
        ("bez rozszerzenia", "bez rozszerzenia.jpg"),
    ],
)
def test_the_display_name_says_jpg(filename: str, shown: str) -> None:
    assert checked_image(heic_bytes(), filename)[2] == shown


@pytest.mark.parametrize(
    ("orientation", "size", "red_at", "blue_at"),
    [
        (1, (64, 32), (8, 16), (56, 16)),  # as taken
        (3, (64, 32), (56, 16), (8, 16)),  # upside down: red goes right
        (6, (32, 64), (16, 8), (16, 56)),  # phone held upright: red on top
        (8, (32, 64), (16, 56), (16, 8)),  # the other way: red at the bottom
    ],
)
def test_the_photo_is_turned_upright_once(
    orientation: int,
    size: tuple[int, int],
    red_at: tuple[int, int],
    blue_at: tuple[int, int],
) -> None:
    img, _type, _name = checked_image(heic_bytes(orientation=orientation))
    assert img.size == size
    assert near(img.getpixel(red_at), RED), img.getpixel(red_at)
    assert near(img.getpixel(blue_at), BLUE), img.getpixel(blue_at)


def test_no_metadata_survives() -> None:
    data = heic_bytes(orientation=6, gps=True)
    assert b"Apple" in data  # the upload carries camera metadata and a position
    img, _type, _name = checked_image(data)
    assert not img.getexif() and EXIF_GPS not in img.getexif()
    assert "exif" not in img.info and "xmp" not in img.info and "icc_profile" not in img.info
    stored = check_upload(data, "a.heic", max_bytes=10 * MB, clamd_socket=None).content
    assert b"Apple" not in stored and b"Exif" not in stored


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[: len(d) // 2],  # cut off half way
        lambda d: d[:200],  # only the boxes at the start
        lambda d: d[:40] + bytes(len(d) - 40),  # everything after the brands zeroed
    ],
)
def test_a_broken_heic_is_refused_as_an_unreadable_photo(damage: Callable[[bytes], bytes]) -> None:
    data = damage(heic_bytes(size=(256, 256), noise=True))
    with pytest.raises(UploadRejected) as info:
        check_upload(data, "a.heic", max_bytes=10 * MB, clamd_socket=None)
    assert info.value.reason is RejectReason.IMAGE_INVALID


def test_too_many_pixels_are_refused_before_decoding() -> None:
    data = heic_bytes(size=(640, 480))
    with pytest.raises(ImageTooLarge):
        reencode_image(data, FileKind.HEIF, max_pixels=640 * 480 - 1)
    assert reencode_image(data, FileKind.HEIF, max_pixels=640 * 480)[:3] == b"\xff\xd8\xff"


def test_the_size_limit_applies_to_the_photo_as_sent() -> None:
    data = heic_bytes(size=(512, 512), noise=True)
    with pytest.raises(UploadRejected) as info:
        check_upload(data, "a.heic", max_bytes=len(data) - 1, clamd_socket=None)
    assert info.value.reason is RejectReason.TOO_LARGE
