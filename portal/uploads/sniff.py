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
# HEIF photos (iPhones take HEIC) open with an ISO-BMFF `ftyp` box naming their brands.
# Only HEVC-coded brands: AVIF shares the container but not the decoder we ship.
HEVC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
STRUCTURAL_BRANDS = frozenset({b"mif1", b"msf1"})


class FileKind(enum.Enum):
    """The file types a certificate may be sent as."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    HEIF = "heif"  # converted: stored and served as JPEG

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
    FileKind.HEIF: "image/jpeg",
}
_EXTENSIONS = {FileKind.PDF: "pdf", FileKind.JPEG: "jpg", FileKind.PNG: "png", FileKind.HEIF: "jpg"}


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
    if _is_heif(data):
        return FileKind.HEIF
    return None


def _is_heif(data: bytes) -> bool:
    """An `ftyp` box first, whose brands say HEVC-coded HEIF (major, or compatible)."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[0:4], "big")
    if size < 16 or size > min(len(data), 4096):
        return False
    major = data[8:12]
    compatible = {data[i : i + 4] for i in range(16, size - 3, 4)}
    if major in HEVC_BRANDS:
        return True
    return major in STRUCTURAL_BRANDS and bool(compatible & HEVC_BRANDS)
