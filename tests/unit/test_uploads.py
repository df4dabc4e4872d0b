"""Upload checks: type sniffing, PDF validation, image re-encoding, display names."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import struct
import warnings
import zlib
from collections.abc import Callable
from io import BytesIO

import pytest
from flask import Flask
from flask_babel import Babel
from PIL import Image, ImageCms

from portal.uploads import (
    CheckedFile,
    FileKind,
    RejectReason,
    UploadRejected,
    check_upload,
    reject_message,
    safe_display_name,
    sniff,
)
from portal.uploads.images import MAX_PIXELS

MB = 1024 * 1024
Make = Callable[..., bytes]


def check(
    data: bytes, filename: str = "zaswiadczenie.pdf", max_bytes: int = 10 * MB
) -> CheckedFile:
    return check_upload(data, filename, max_bytes=max_bytes, clamd_socket=None)


def rejected(data: bytes, filename: str = "plik.pdf", max_bytes: int = 10 * MB) -> RejectReason:
    with pytest.raises(UploadRejected) as info:
        check(data, filename, max_bytes)
    return info.value.reason


def noisy_image(fmt: str, size: tuple[int, int] = (256, 256), **save: object) -> bytes:
    """Random pixels compress badly, so the pixel data spans most of the file."""
    img = Image.frombytes("RGB", size, bytes(hashlib.shake_256(b"x").digest(size[0] * size[1] * 3)))
    out = BytesIO()
    img.save(out, format=fmt, **save)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a size but carries (almost) no pixels: a decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


# --- sniffing ---------------------------------------------------------------


def test_sniff_accepts_by_magic_only(make_pdf: Make, make_image: Make) -> None:
    assert sniff(make_pdf()) is FileKind.PDF
    assert sniff(make_image("JPEG")) is FileKind.JPEG
    assert sniff(make_image("PNG")) is FileKind.PNG


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF",  # too short for the magic
        b" %PDF-1.7\n",  # not at offset 0
        b"\xef\xbb\xbf%PDF-1.7\n",  # BOM before the header
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"<html>%PDF-1.4</html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml",  # ZIP / DOCX
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # old Office (OLE2)
        b"MZ\x90\x00\x03\x00\x00\x00PE\x00\x00",
        b"\x7fELF\x02\x01\x01\x00",
        b"#!/bin/sh\nrm -rf /\n",
        b"GIF89a\x01\x00\x01\x00",
        b"BM6\x00\x00\x00",
        b"\xff\xd8",  # truncated JPEG magic
        b"\x89PNG\r\n\x1a",  # truncated PNG signature
        b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        b"{\\rtf1\\ansi}",
    ],
)
def test_sniff_refuses_everything_else(data: bytes) -> None:
    assert sniff(data) is None


# --- size and type ----------------------------------------------------------


def test_empty_is_refused() -> None:
    assert rejected(b"") is RejectReason.EMPTY


def test_too_large_is_checked_before_type(make_pdf: Make) -> None:
    pdf = make_pdf()
    assert rejected(pdf, max_bytes=len(pdf) - 1) is RejectReason.TOO_LARGE
    assert rejected(b"<html>" * 1000, max_bytes=100) is RejectReason.TOO_LARGE
    assert check(pdf, max_bytes=len(pdf)).media_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><body onload='alert(1)'>zaswiadczenie</body></html>", "zaswiadczenie.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "scan.pdf"),
        (b"MZ\x90\x00" + b"\x00" * 200, "zaswiadczenie.pdf"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "zdjecie.jpg"),
        (b"PK\x03\x04" + b"\x00" * 200, "zaswiadczenie.pdf"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "skan.png"),
        (b"#!/usr/bin/env python\nimport os\n", "skan.jpg"),
    ],
)
def test_disguised_files_are_refused(data: bytes, name: str) -> None:
    assert rejected(data, name) is RejectReason.UNSUPPORTED_TYPE


def test_name_and_extension_do_not_matter(make_image: Make) -> None:
    result = check(make_image("PNG"), "zaswiadczenie.exe")
    assert (result.media_type, result.extension) == ("image/png", "png")
    result = check(make_image("JPEG"), "scan.pdf")
    assert (result.media_type, result.extension) == ("image/jpeg", "jpg")


# --- PDF --------------------------------------------------------------------


def test_valid_pdf_is_kept_as_a_rewritten_copy_of_its_pages(make_pdf: Make) -> None:
    from pypdf import PdfReader

    pdf = make_pdf(pages=3)
    result = check(pdf, "Zaświadczenie lekarskie.pdf")
    assert result.content != pdf and result.content.startswith(b"%PDF-")
    assert len(PdfReader(BytesIO(result.content)).pages) == 3
    assert b"/Title" not in result.content  # the document's metadata stays behind
    assert result.media_type == "application/pdf"
    assert result.extension == "pdf"
    assert result.size == len(result.content)
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert result.display_name == "Zaświadczenie lekarskie.pdf"


def test_checked_file_is_frozen(make_pdf: Make) -> None:
    result = check(make_pdf())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.content = b"changed"  # type: ignore[misc]


def test_pdf_with_trailing_newlines_is_accepted(make_pdf: Make) -> None:
    assert check(make_pdf(trailer=b"\r\n" * 10)).media_type == "application/pdf"


@pytest.mark.parametrize("password", ["", "tajne"])
def test_encrypted_pdf_is_refused_distinctly(make_pdf: Make, password: str) -> None:
    assert rejected(make_pdf(password=password)) is RejectReason.PDF_ENCRYPTED


def test_aes_encrypted_pdf_is_refused() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.encrypt("haslo", algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    assert rejected(out.getvalue()) is RejectReason.PDF_ENCRYPTED


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.2])
def test_truncated_pdf_is_refused(make_pdf: Make, keep: float) -> None:
    pdf = make_pdf(pages=2)
    assert rejected(pdf[: int(len(pdf) * keep)]) is RejectReason.PDF_INVALID


def test_pdf_with_eof_far_from_end_is_refused(make_pdf: Make) -> None:
    assert rejected(make_pdf(trailer=b"\0" * 2048)) is RejectReason.PDF_INVALID


def test_pdf_without_pages_is_refused() -> None:
    from pypdf import PdfWriter

    out = BytesIO()
    PdfWriter().write(out)
    assert rejected(out.getvalue()) is RejectReason.PDF_INVALID


@pytest.mark.parametrize(
    "data",
    [
        # Polyglot: a PDF header in front of an HTML page.
        b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        b"%PDF-1.4\n" + b"\x00garbage\xff" * 100 + b"\n%%EOF",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n"
        b"<< /Root 1 0 R >>\n%%EOF",
        b"%PDF-1.4\nxref\n0 9999999999\ntrailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n9\n%%EOF",
    ],
)
def test_broken_pdfs_are_refused_without_warnings(data: bytes) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert rejected(data) is RejectReason.PDF_INVALID


# --- images -----------------------------------------------------------------


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Telefon Ani"  # Make
    exif[0x0131] = "Camera app"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 13.0, 47.0)
    gps[3] = "E"
    gps[4] = (21.0, 0.0, 42.0)
    return exif


def test_jpeg_exif_and_gps_are_removed(make_image: Make) -> None:
    exif = _gps_exif()
    original = make_image("JPEG", exif=exif.tobytes(), comment=b"Pacjentka: Anna Kowalska")
    assert Image.open(BytesIO(original)).getexif().get_ifd(0x8825)  # the sample really has GPS
    result = check(original, "IMG_0001.JPG")
    out = Image.open(BytesIO(result.content))
    assert out.format == "JPEG"
    assert len(out.getexif()) == 0
    assert "exif" not in out.info and "comment" not in out.info
    for marker in (b"Exif", b"Telefon Ani", b"Anna Kowalska"):
        assert marker not in result.content
    assert result.sha256 == hashlib.sha256(result.content).hexdigest()
    assert result.size == len(result.content)


def test_icc_profile_is_removed(make_image: Make) -> None:
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for fmt in ("JPEG", "PNG"):
        original = make_image(fmt, icc_profile=icc)
        assert Image.open(BytesIO(original)).info.get("icc_profile")
        out = Image.open(BytesIO(check(original).content))
        assert "icc_profile" not in out.info


def test_png_text_and_exif_are_removed(make_image: Make) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "PESEL 44051401359")
    original = make_image("PNG", pnginfo=info, exif=_gps_exif().tobytes())
    result = check(original, "skan.png")
    assert b"44051401359" not in result.content
    assert b"eXIf" not in result.content and b"tEXt" not in result.content
    assert Image.open(BytesIO(result.content)).format == "PNG"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_bytes_after_end_marker_are_dropped(make_image: Make, fmt: str) -> None:
    tail = b"PK\x03\x04<script>alert(1)</script>"
    original = make_image(fmt) + tail
    result = check(original)
    assert tail not in result.content
    end = b"\xff\xd9" if fmt == "JPEG" else png_chunk(b"IEND", b"")
    assert result.content.endswith(end)


def test_jpeg_exif_orientation_is_applied(make_image: Make) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    original = make_image("JPEG", size=(64, 48), exif=exif.tobytes())
    out = Image.open(BytesIO(check(original).content))
    assert out.size == (48, 64)
    assert out.getexif().get(0x0112) is None
    # The dark top-left block of the stored pixels ends up top-right when displayed.
    rgb = out.convert("RGB")
    assert sum(rgb.getpixel((44, 4))) < 100  # type: ignore[arg-type]
    assert sum(rgb.getpixel((4, 4))) > 600  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "mode", "expected"),
    [
        ("JPEG", "CMYK", "RGB"),
        ("JPEG", "L", "L"),
        ("JPEG", "RGB", "RGB"),
        ("PNG", "RGBA", "RGBA"),
        ("PNG", "LA", "LA"),
        ("PNG", "1", "L"),
        ("PNG", "L", "L"),
    ],
)
def test_modes_are_converted_sensibly(make_image: Make, fmt: str, mode: str, expected: str) -> None:
    out = Image.open(BytesIO(check(make_image(fmt, mode=mode)).content))
    assert (out.format, out.mode) == (fmt, expected)


def test_palette_png_with_transparency_keeps_alpha() -> None:
    img = Image.new("RGBA", (20, 20), (255, 0, 0, 0))
    img.paste((0, 0, 255, 255), (0, 0, 10, 10))
    out = BytesIO()
    img.convert("P").save(out, format="PNG", transparency=0)
    original = out.getvalue()
    assert Image.open(BytesIO(original)).mode == "P"
    result = Image.open(BytesIO(check(original).content))
    assert result.mode == "RGBA"
    assert result.getpixel((15, 15))[3] == 0  # type: ignore[index]
    assert result.getpixel((5, 5))[3] == 255  # type: ignore[index]


def test_rgb_png_with_colour_key_keeps_transparency() -> None:
    img = Image.new("RGB", (10, 10), (0, 255, 0))
    img.paste((255, 0, 0), (0, 0, 5, 5))
    out = BytesIO()
    img.save(out, format="PNG", transparency=(0, 255, 0))
    result = Image.open(BytesIO(check(out.getvalue()).content))
    assert result.mode == "RGBA"
    assert result.getpixel((8, 8)) == (0, 255, 0, 0)
    assert result.getpixel((1, 1)) == (255, 0, 0, 255)


def test_palette_png_without_transparency_becomes_rgb(make_image: Make) -> None:
    img = Image.open(BytesIO(make_image("PNG"))).convert("P")
    out = BytesIO()
    img.save(out, format="PNG")
    assert Image.open(BytesIO(check(out.getvalue()).content)).mode == "RGB"


def test_sixteen_bit_png_is_kept() -> None:
    img = Image.new("I;16", (10, 10), 40000)
    out = BytesIO()
    img.save(out, format="PNG")
    result = Image.open(BytesIO(check(out.getvalue()).content))
    assert result.mode == "I;16"
    assert result.getpixel((0, 0)) == 40000


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_images_are_refused(fmt: str) -> None:
    data = noisy_image(fmt)
    assert rejected(data[: len(data) // 2]) is RejectReason.IMAGE_INVALID


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff<html><script>alert(1)</script></html>",
        b"\x89PNG\r\n\x1a\n<html></html>",
        b"\xff\xd8\xff\xe0" + b"\x00" * 100,
        # A PNG signature followed by a JPEG: must be decoded as what it claims to be.
        b"\x89PNG\r\n\x1a\n" + b"\xff\xd8\xff\xe0\x00\x10JFIF",
    ],
)
def test_fake_images_are_refused(data: bytes) -> None:
    assert rejected(data, "zdjecie.jpg") is RejectReason.IMAGE_INVALID


def test_png_with_bad_crc_is_refused(make_image: Make) -> None:
    data = bytearray(noisy_image("PNG", size=(32, 32)))
    idat = data.index(b"IDAT")
    data[idat + 10] ^= 0xFF
    assert rejected(bytes(data)) is RejectReason.IMAGE_INVALID


@pytest.mark.parametrize(
    "size",
    [
        (20000, 20000),  # beyond Pillow's own hard limit
        (10000, 10000),  # where Pillow only warns
        (7000, 7000),  # over our 40 megapixels, under Pillow's limits
        (1, MAX_PIXELS + 1),
    ],
)
def test_decompression_bombs_are_refused(size: tuple[int, int]) -> None:
    before_filters = list(warnings.filters)
    before_limit = Image.MAX_IMAGE_PIXELS
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert rejected(png_header_only(*size)) is RejectReason.IMAGE_TOO_LARGE
    assert caught == []
    assert Image.MAX_IMAGE_PIXELS == before_limit
    assert warnings.filters == before_filters


def test_image_at_the_pixel_limit_is_decoded_not_refused_for_size() -> None:
    # Declared exactly at the limit: passes the size check, then fails decoding
    # because the pixel data is missing.
    assert rejected(png_header_only(8000, 5000)) is RejectReason.IMAGE_INVALID


# --- display names ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zaświadczenie.pdf", "zaświadczenie.pdf"),
        ("ZAŻÓŁĆ GĘŚLĄ JAŹŃ.jpg", "ZAŻÓŁĆ GĘŚLĄ JAŹŃ.jpg"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("C:\\Users\\Ania\\Pulpit\\skan 1.png", "skan 1.png"),
        ("/var/www/../uploads/x.pdf", "x.pdf"),
        ("za\u0301s\u0301wiadczenie.pdf", "záświadczenie.pdf"),  # NFD -> NFC
        ("skan\x00.pdf.exe", "skan.pdf.exe"),
        ("faktura\u202efdp.exe", "fakturafdp.exe"),  # right-to-left override
        ("a\u2066b\u2069c\u200bd\ufeff.pdf", "abcd.pdf"),
        ("  dużo \t\n  spacji   .pdf ", "dużo spacji .pdf"),
        ("linia\r\nnowa.pdf", "linia nowa.pdf"),
        ("\x1b[31mred.pdf", "[31mred.pdf"),
        ("", "plik"),
        ("   ", "plik"),
        ("..", "plik"),
        ("...", "plik"),
        ("dir/", "plik"),
        ("\u202e\x00\u200b", "plik"),
        ("\ud800x.pdf", "x.pdf"),  # lone surrogate
    ],
)
def test_safe_display_name(raw: str, expected: str) -> None:
    assert safe_display_name(raw) == expected


def test_long_display_name_is_capped_keeping_extension() -> None:
    name = safe_display_name("ż" * 300 + ".pdf")
    assert len(name) == 120
    assert name.endswith("….pdf")
    plain = safe_display_name("x" * 300)
    assert len(plain) == 120 and plain.endswith("…")


def test_check_upload_uses_safe_display_name(make_pdf: Make) -> None:
    result = check(make_pdf(), "../../\u202eetc/pass\x00wd.pdf")
    assert result.display_name == "passwd.pdf"


def test_nothing_about_the_file_is_logged(
    make_pdf: Make, make_image: Make, caplog: pytest.LogCaptureFixture
) -> None:
    secret_name = "Kowalska_ciaza_zaswiadczenie.pdf"
    caplog.set_level(logging.DEBUG)
    check(make_pdf(), secret_name)
    check(make_image("JPEG"), secret_name)
    for data in (b"%PDF-1.4\nbroken\n%%EOF", b"<html></html>", b"\xff\xd8\xffbroken"):
        with pytest.raises(UploadRejected):
            check(data, secret_name)
    assert "Kowalska" not in caplog.text
    assert "broken" not in caplog.text


# --- messages ---------------------------------------------------------------


def test_reject_messages_are_polish_and_complete() -> None:
    messages = {reason: reject_message(reason, max_mb=10) for reason in RejectReason}
    assert all(isinstance(m, str) and len(m) > 20 for m in messages.values())
    assert len(set(messages.values())) == len(RejectReason)
    assert "10 MB" in messages[RejectReason.TOO_LARGE]
    assert "%(" not in reject_message(RejectReason.TOO_LARGE)
    assert messages[RejectReason.SCANNER_UNAVAILABLE].startswith(
        "Nie możemy teraz sprawdzić pliku."
    )


def test_reject_message_inside_a_flask_request() -> None:
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        assert "5 MB" in reject_message(RejectReason.TOO_LARGE, max_mb=5)
        assert "hasłem" in reject_message(RejectReason.PDF_ENCRYPTED)


def test_upload_rejected_carries_reason_only() -> None:
    err = UploadRejected(RejectReason.INFECTED)
    assert err.reason is RejectReason.INFECTED
    assert str(err) == "infected"
