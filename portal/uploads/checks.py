"""Check an uploaded medical certificate before it is stored.

`check_upload` is the single entry point: it refuses empty, oversized,
unsupported, broken, encrypted, oversized-image and infected files, and returns
the bytes to store: a PDF rewritten to its pages only, an image re-encoded.
Refusals carry a `RejectReason`; `reject_message` turns it into text for the
applicant.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext

from portal.uploads import clamd
from portal.uploads.sniff import FileKind, sniff

__all__ = [
    "CheckedFile",
    "RejectReason",
    "UploadRejected",
    "check_upload",
    "reject_message",
    "safe_display_name",
    "safe_text",
]

# Health data: log reasons and signature names only, never names or contents.
log = logging.getLogger(__name__)

DISPLAY_NAME_MAX = 120
DISPLAY_NAME_FALLBACK = "plik"
_DROP_CATEGORIES = {"Cc", "Cf", "Cs"}  # controls, format chars (bidi, ZW*), lone surrogates


class RejectReason(enum.Enum):
    """Why an upload was refused; the applicant's message is chosen from this."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    PDF_INVALID = "pdf_invalid"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_NOT_REWRITABLE = "pdf_not_rewritable"
    IMAGE_INVALID = "image_invalid"
    IMAGE_TOO_LARGE = "image_too_large"
    INFECTED = "infected"
    SCANNER_UNAVAILABLE = "scanner_unavailable"


class UploadRejected(Exception):
    """The upload was refused; `reason` says why."""

    def __init__(self, reason: RejectReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, ready to be encrypted and stored."""

    content: bytes
    media_type: str
    extension: str
    display_name: str
    size: int
    sha256: str


def check_upload(
    data: bytes,
    filename: str,
    *,
    max_bytes: int,
    clamd_socket: str | None,
    scan_timeout: float = 10.0,
) -> CheckedFile:
    """Check `data` and return what to store, or raise UploadRejected.

    The type is judged from the bytes only; `filename` is used for display text.
    With `clamd_socket=None` the virus scan is skipped (development only).
    `scan_timeout` bounds the whole clamd exchange in seconds.
    """
    if not data:
        raise UploadRejected(RejectReason.EMPTY)
    if len(data) > max_bytes:
        raise UploadRejected(RejectReason.TOO_LARGE)
    kind = sniff(data)
    if kind is None:
        raise UploadRejected(RejectReason.UNSUPPORTED_TYPE)
    content = _content_to_store(data, kind)
    if clamd_socket is not None:
        # Scan what the applicant sent: that is what any finding refers to.
        _scan(clamd_socket, data, scan_timeout)
    return CheckedFile(
        content=content,
        media_type=kind.media_type,
        extension=kind.extension,
        display_name=_stored_name(safe_display_name(filename), kind),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _stored_name(name: str, kind: FileKind) -> str:
    """A converted photo is named for what is stored: IMG_0042.HEIC becomes IMG_0042.jpg."""
    if kind is not FileKind.HEIF:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and stem and ext.lower() in ("heic", "heif", "hif"):
        return f"{stem}.{kind.extension}"
    return f"{name}.{kind.extension}"


def _content_to_store(data: bytes, kind: FileKind) -> bytes:
    """Validate a PDF and rewrite it to its pages only, or decode and re-encode an image."""
    # Imported here: pypdf and Pillow cost every worker ~9 MB, and most never see a file.
    from portal.uploads.images import ImageInvalid, ImageTooLarge, reencode_image
    from portal.uploads.pdf import (
        PdfEncrypted,
        PdfInvalid,
        PdfNotRewritable,
        rewrite_pdf,
        validate_pdf,
    )

    try:
        if kind is FileKind.PDF:
            return rewrite_pdf(data, validate_pdf(data))
        return reencode_image(data, kind)
    except PdfEncrypted:
        raise UploadRejected(RejectReason.PDF_ENCRYPTED) from None
    except PdfInvalid:
        raise UploadRejected(RejectReason.PDF_INVALID) from None
    except PdfNotRewritable as exc:
        log.warning("Upload refused: PDF not rewritable (%s)", exc)
        raise UploadRejected(RejectReason.PDF_NOT_REWRITABLE) from None
    except ImageTooLarge:
        raise UploadRejected(RejectReason.IMAGE_TOO_LARGE) from None
    except ImageInvalid:
        raise UploadRejected(RejectReason.IMAGE_INVALID) from None


def _scan(socket_path: str, data: bytes, timeout: float) -> None:
    """Refuse infected files, and refuse everything while the scanner is down."""
    try:
        result = clamd.scan(socket_path, data, timeout=timeout)
    except clamd.ScannerUnavailable as exc:
        log.warning("Virus scanner unavailable: %s", exc)
        raise UploadRejected(RejectReason.SCANNER_UNAVAILABLE) from None
    if result.infected:
        log.warning("Upload refused: malware signature %s", result.signature)
        raise UploadRejected(RejectReason.INFECTED)


def safe_display_name(filename: str) -> str:
    """Reduce an applicant's file name to short, harmless display text.

    Display only: the result must never be used to build a filesystem path.
    """
    # Browsers may send full client paths; keep the last component only.
    text = safe_text(filename.replace("\\", "/").rsplit("/", 1)[-1])
    if text.strip(".") == "":
        return DISPLAY_NAME_FALLBACK
    return _shorten(text)


def safe_text(typed: str) -> str:
    """One line of harmless display text: NFC, no controls or bidi marks, single spaces."""
    text = unicodedata.normalize("NFC", typed)
    # Whitespace controls (tab, newline) become spaces so words stay apart.
    kept = (
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in _DROP_CATEGORIES
    )
    return " ".join("".join(kept).split())


def _shorten(text: str) -> str:
    """Cap at DISPLAY_NAME_MAX characters, keeping a short extension visible."""
    if len(text) <= DISPLAY_NAME_MAX:
        return text
    stem, dot, ext = text.rpartition(".")
    if dot and stem and 0 < len(ext) <= 10:
        suffix = "…." + ext
        return stem[: DISPLAY_NAME_MAX - len(suffix)].rstrip() + suffix
    return text[: DISPLAY_NAME_MAX - 1].rstrip() + "…"


# Each entry calls gettext with a literal so `pybabel extract` finds the strings,
# and translation happens at call time in the applicant's language.
_MESSAGES: dict[RejectReason, Callable[[], object]] = {
    RejectReason.EMPTY: lambda: gettext(
        "Wybrany plik jest pusty. Sprawdź, czy to właściwy plik, i dodaj go ponownie."
    ),
    RejectReason.UNSUPPORTED_TYPE: lambda: gettext(
        "Nie możemy przyjąć pliku w tym formacie. "
        "Dodaj zaświadczenie jako plik PDF albo zdjęcie JPG, PNG lub HEIC."
    ),
    RejectReason.PDF_INVALID: lambda: gettext(
        "Nie udało się otworzyć tego pliku PDF – może być uszkodzony albo niekompletny. "
        "Zapisz go ponownie albo dodaj zdjęcie zaświadczenia (JPG lub PNG)."
    ),
    RejectReason.PDF_ENCRYPTED: lambda: gettext(
        "Ten plik PDF jest zabezpieczony hasłem, więc nie możemy go otworzyć. "
        "Dodaj wersję bez hasła albo zdjęcie zaświadczenia (JPG lub PNG)."
    ),
    RejectReason.PDF_NOT_REWRITABLE: lambda: gettext(
        "Nie udało się bezpiecznie zapisać tego pliku PDF. Zapisz zaświadczenie ponownie "
        "jako PDF (na przykład poleceniem „Drukuj” i „Zapisz jako PDF”) "
        "albo dodaj jego zdjęcie (JPG lub PNG)."
    ),
    RejectReason.IMAGE_INVALID: lambda: gettext(
        "Nie udało się otworzyć tego zdjęcia – może być uszkodzone albo niekompletne. "
        "Zrób zdjęcie jeszcze raz i dodaj je ponownie."
    ),
    RejectReason.IMAGE_TOO_LARGE: lambda: gettext(
        "Zdjęcie ma zbyt dużą rozdzielczość. "
        "Zmniejsz je (na przykład w aparacie telefonu) i dodaj ponownie."
    ),
    RejectReason.INFECTED: lambda: gettext(
        "Program antywirusowy wykrył w tym pliku zagrożenie, więc go nie przyjęliśmy. "
        "Sprawdź swoje urządzenie programem antywirusowym albo zrób nowe zdjęcie "
        "zaświadczenia i dodaj je ponownie."
    ),
    RejectReason.SCANNER_UNAVAILABLE: lambda: gettext(
        "Nie możemy teraz sprawdzić pliku. Spróbuj ponownie za kilka minut."
    ),
}


def reject_message(reason: RejectReason, *, max_mb: int | None = None) -> str:
    """Return the applicant-facing message for `reason` in the current language.

    `max_mb` fills in the size limit for RejectReason.TOO_LARGE.
    """
    if reason is not RejectReason.TOO_LARGE:
        return str(_MESSAGES[reason]())
    if max_mb is None:
        return str(gettext("Plik jest za duży. Zapisz go w mniejszym rozmiarze i dodaj ponownie."))
    return str(
        gettext(
            "Plik jest za duży. Największy dozwolony rozmiar to %(mb)s MB. "
            "Zapisz go w mniejszym rozmiarze (na przykład skanując w niższej "
            "rozdzielczości) i dodaj ponownie.",
            mb=max_mb,
        )
    )
