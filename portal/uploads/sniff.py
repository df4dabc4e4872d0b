"""Decide a file's type from its leading bytes only.

The filename and the declared content type come from the applicant's browser
and prove nothing, so they are never consulted here.
"""

from __future__ import annotations

import enum

__all__ = ["FileKind", "sniff"]

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class FileKind(enum.Enum):
    """The file types a certificate may be sent as."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"

    @property
    def media_type(self) -> str:
        """The MIME type we store and serve the file with."""
        return _MEDIA_TYPES[self]

    @property
    def extension(self) -> str:
        """The file extension we use when offering the file for download."""
        return _EXTENSIONS[self]


_MEDIA_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}
_EXTENSIONS = {FileKind.PDF: "pdf", FileKind.JPEG: "jpg", FileKind.PNG: "png"}


def sniff(data: bytes) -> FileKind | None:
    """Return the file kind judged by magic numbers at offset 0, or None if not accepted."""
    # Offset 0 only: PDF readers tolerate junk before %PDF-, which is how
    # HTML/PDF polyglots are built, so we do not.
    if data.startswith(PDF_MAGIC):
        return FileKind.PDF
    if data.startswith(JPEG_MAGIC):
        return FileKind.JPEG
    if data.startswith(PNG_MAGIC):
        return FileKind.PNG
    return None
