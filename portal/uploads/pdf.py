"""PDF certificates: check that the file is a complete, readable, unencrypted document,
then keep a rewritten copy that holds pages only.

Staff open certificates in a desktop PDF reader, where a document can run
JavaScript, open a link or a program, or carry files and forms. The copy that is
kept has none of that: only the pages (their content, resources and annotations,
with every action taken off the annotations), no document actions, no name trees
(JavaScript, embedded files), no AcroForm or XFA, no outlines. A file whose
rewritten copy still holds active content is refused rather than kept.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from pypdf import PdfReader

__all__ = ["PdfEncrypted", "PdfInvalid", "PdfNotRewritable", "rewrite_pdf", "validate_pdf"]

# A complete PDF ends with %%EOF; allow some trailing junk (many tools add a newline
# or padding) but not a cut-off download.
_EOF_WINDOW = 1024

# What a page keeps: how it looks, nothing it does.
_PAGE_KEYS = frozenset(
    "/Type /Parent /Resources /MediaBox /CropBox /BleedBox /TrimBox /ArtBox /Contents"
    " /Rotate /Group /UserUnit /Annots".split()
)
# Annotations that only show something (comments, highlights, stamps, links);
# widgets (form fields), file attachments and media players are dropped.
_SHOWN_ANNOTATIONS = frozenset(
    "/Text /Link /FreeText /Line /Square /Circle /Polygon /PolyLine /Highlight /Underline"
    " /Squiggly /StrikeOut /Stamp /Caret /Ink /Popup".split()
)
# Keys that name active content or its containers, wherever they appear.
_ACTIVE_KEYS = frozenset(
    "/JS /JavaScript /OpenAction /AA /A /AcroForm /XFA /EmbeddedFiles /EF /Names".split()
)
# Action types (`/S`) and object types (`/Type`) that do or carry something.
_ACTIVE_NAMES = frozenset(
    "/JavaScript /Launch /URI /SubmitForm /ImportData /ResetForm /GoToR /GoToE /Rendition"
    " /Movie /Sound /Hide /Named /SetOCGState /GoTo3DView /RichMediaExecute /Action"
    " /Filespec /EmbeddedFile".split()
)
_MAX_DEPTH = 64  # deeper nesting is not a certificate; refuse rather than recurse on


class PdfInvalid(ValueError):
    """The PDF is truncated, malformed or has no pages."""


class PdfEncrypted(ValueError):
    """The PDF is encrypted; staff could not open or print it."""


class PdfNotRewritable(ValueError):
    """The PDF could not be rewritten into pages without active content."""


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


def rewrite_pdf(data: bytes, pages: int) -> bytes:
    """A new PDF holding only the `pages` pages of `data` (already validated), inert.

    Raises PdfNotRewritable when qpdf cannot rewrite the file, the page count
    changes, or active content is still found in the result.
    """
    import pikepdf  # loaded only when a PDF arrives (qpdf is a large library)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rewritten = _pages_only(pikepdf, data)
            found = _active_content(pikepdf, rewritten, pages)
        except PdfNotRewritable:
            raise
        except Exception as exc:  # qpdf reports hostile input in many ways
            raise PdfNotRewritable(f"cannot rewrite ({type(exc).__name__})") from None
    if found:
        raise PdfNotRewritable(f"active content left: {found}")
    return rewritten


def _pages_only(pikepdf: Any, data: bytes) -> bytes:
    with pikepdf.open(BytesIO(data)) as source, pikepdf.new() as target:
        for page in source.pages:
            _make_inert(pikepdf, page.obj)
            target.pages.append(page)  # copies the page and what it still refers to
        out = BytesIO()
        target.save(
            out,
            min_version=source.pdf_version,  # keeps what the pages use (e.g. JPX images)
            # Streams are copied byte for byte: no decoding (so no decompression bomb),
            # no recompression (what the pages show is exactly what was sent).
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            compress_streams=False,
            deterministic_id=True,
        )
        return out.getvalue()


def _make_inert(pikepdf: Any, page: Any) -> None:
    """Keep what a page shows; drop its actions, form fields, attachments and media."""
    for key in list(page.keys()):
        if key not in _PAGE_KEYS:
            del page[key]
    if "/Annots" not in page:
        return
    kept = []
    for annot in page.Annots:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        if str(annot.get("/Subtype")) not in _SHOWN_ANNOTATIONS:
            continue
        for key in ("/A", "/AA"):
            if key in annot:
                del annot[key]
        kept.append(annot)
    page.Annots = pikepdf.Array(kept)


def _active_content(pikepdf: Any, rewritten: bytes, pages: int) -> str | None:
    """The first active thing found in the rewritten file (None when inert)."""
    with pikepdf.open(BytesIO(rewritten)) as pdf:
        if len(pdf.pages) != pages:
            return "page count changed"
        for obj in pdf.objects:
            for key, value in _entries(pikepdf, obj, 0):
                if key in _ACTIVE_KEYS:
                    return key
                if key in ("/S", "/Type", "/Subtype") and str(value) in _ACTIVE_NAMES:
                    return str(value)
    return None


def _entries(pikepdf: Any, obj: Any, depth: int) -> Iterator[tuple[str, Any]]:
    """Every (key, value) of `obj` and of the direct objects nested in it."""
    if depth > _MAX_DEPTH:
        raise PdfNotRewritable("nested too deeply")
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        items: Any = obj.items()
    elif isinstance(obj, pikepdf.Array):
        items = (("", value) for value in obj)
    else:
        return
    for key, value in items:
        yield str(key), value
        # Indirect objects are visited on their own, as members of `pdf.objects`.
        if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
            yield from _entries(pikepdf, value, depth + 1)
