"""Check that an uploaded PDF is a complete, readable, unencrypted document.

The PDF is only inspected, never rewritten: staff see exactly what was sent.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from pypdf import PdfReader

__all__ = ["PdfEncrypted", "PdfInvalid", "validate_pdf"]

# A complete PDF ends with %%EOF; allow some trailing junk (many tools add a newline
# or padding) but not a cut-off download.
_EOF_WINDOW = 1024


class PdfInvalid(ValueError):
    """The PDF is truncated, malformed or has no pages."""


class PdfEncrypted(ValueError):
    """The PDF is encrypted; staff could not open or print it."""


def validate_pdf(data: bytes) -> int:
    """Parse `data` with pypdf and return its page count.

    Raises PdfEncrypted for encrypted files and PdfInvalid for anything else wrong.
    """
    if b"%%EOF" not in data[-_EOF_WINDOW:]:
        # Cheap check for a truncated upload before running the parser.
        raise PdfInvalid("missing %%EOF marker")
    with warnings.catch_warnings():
        # pytest and strict deployments turn warnings into errors; broken PDFs make
        # pypdf warn, and we report the problem through our own exceptions instead.
        warnings.simplefilter("ignore")
        return _parse(data)


def _parse(data: bytes) -> int:
    """Return the page count, mapping every parser failure to our exceptions."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfEncrypted("encrypted PDF")
        pages = len(reader.pages)
        if pages:
            # Resolve the first page too: a page tree can count pages it cannot deliver.
            _ = reader.pages[0].mediabox
    except PdfEncrypted:
        raise
    except Exception as exc:  # pypdf raises many unrelated types on hostile input
        # Only the exception type: messages may quote bytes from the file.
        raise PdfInvalid(f"unreadable PDF ({type(exc).__name__})") from None
    if pages < 1:
        raise PdfInvalid("PDF has no pages")
    return pages
