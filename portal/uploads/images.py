"""Decode an uploaded JPEG/PNG/HEIF fully and re-encode it from its pixels alone.

HEIF photos (what iPhones take) are decoded with pi-heif and stored as JPEG, which
every reader at the centre opens.

Re-encoding drops EXIF (including GPS position), ICC profiles, comments, text
chunks and anything appended after the image's end marker, and it guarantees
the stored file is an image our own encoder produced.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from PIL import Image, ImageOps

from portal.uploads.sniff import FileKind

__all__ = ["MAX_PIXELS", "ImageInvalid", "ImageTooLarge", "reencode_image"]

# 40 megapixels is well above any phone camera or 600 dpi A4 scan.
MAX_PIXELS = 40_000_000

_PIL_FORMATS = {FileKind.JPEG: "JPEG", FileKind.PNG: "PNG"}
# What each kind is stored as; modes that encoder writes as they are (others are converted).
_STORED_AS = {
    FileKind.JPEG: FileKind.JPEG,
    FileKind.PNG: FileKind.PNG,
    FileKind.HEIF: FileKind.JPEG,
}
_KEEP_MODES = {FileKind.JPEG: {"L", "RGB"}, FileKind.PNG: {"L", "LA", "RGB", "RGBA", "I;16"}}


class ImageInvalid(ValueError):
    """The image could not be decoded completely."""


class ImageTooLarge(ValueError):
    """The image has more pixels than we are willing to decode."""


def reencode_image(data: bytes, kind: FileKind, *, max_pixels: int = MAX_PIXELS) -> bytes:
    """Decode `data` as `kind` and return a clean re-encoding (HEIF becomes JPEG)."""
    if kind not in _STORED_AS:
        raise ValueError(f"not an image kind: {kind}")
    with warnings.catch_warnings():
        # Pillow only *warns* about moderately large images; make that a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        if kind is FileKind.HEIF:
            img = _decode_heif(data, max_pixels)
        else:
            img = _decode(data, kind, max_pixels)
    target = _STORED_AS[kind]
    try:
        # libheif has already turned the photo upright (its irot/imir boxes, which
        # iPhones write); the EXIF orientation is only for the other formats.
        upright = img if kind is FileKind.HEIF else _upright(img)
        return _encode(_normalise(upright, target), target)
    except Exception as exc:  # an exotic mode Pillow cannot convert or encode
        raise ImageInvalid(f"cannot re-encode image ({type(exc).__name__})") from None
    finally:
        img.close()


def _decode(data: bytes, kind: FileKind, max_pixels: int) -> Image.Image:
    """Open (only with the sniffed format's decoder), check the size, decode every pixel."""
    try:
        img = Image.open(BytesIO(data), formats=[_PIL_FORMATS[kind]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge("image exceeds Pillow's bomb limit") from None
    except Exception as exc:  # Pillow raises assorted types on hostile input
        raise ImageInvalid(f"cannot open image ({type(exc).__name__})") from None
    width, height = img.size
    # Checked before load(): the declared size is what would be allocated.
    if width * height > max_pixels:
        img.close()
        raise ImageTooLarge(f"{width}x{height} exceeds {max_pixels} pixels")
    try:
        img.load()
    except Exception as exc:  # truncated data raises OSError, broken chunks SyntaxError
        img.close()
        raise ImageInvalid(f"cannot decode image ({type(exc).__name__})") from None
    return img


def _decode_heif(data: bytes, max_pixels: int) -> Image.Image:
    """Read the HEIF's primary image: its size first, then every pixel, into a bare image."""
    # Imported here: libheif costs a worker memory only once a photo arrives.
    import pi_heif

    try:
        heif = pi_heif.open_heif(data, convert_hdr_to_8bit=True)
    except Exception as exc:  # libheif raises on anything it cannot parse
        raise ImageInvalid(f"cannot open HEIF ({type(exc).__name__})") from None
    width, height = heif.size
    # Checked before the pixels are decoded: the declared size is what would be allocated.
    if width * height > max_pixels:
        raise ImageTooLarge(f"{width}x{height} exceeds {max_pixels} pixels")
    try:
        # Built from the raw pixels only: no EXIF, XMP or colour profile comes along.
        return Image.frombytes(heif.mode, heif.size, heif.data, "raw", heif.mode, heif.stride)
    except Exception as exc:  # a truncated or corrupt HEVC stream fails here
        raise ImageInvalid(f"cannot decode HEIF ({type(exc).__name__})") from None


def _upright(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, so the photo is stored the way it was taken."""
    try:
        return ImageOps.exif_transpose(img)
    except Exception:  # a malformed EXIF block should not lose an otherwise good photo
        return img.copy()


def _normalise(img: Image.Image, kind: FileKind) -> Image.Image:
    """Convert to a mode the target format can store, keeping nothing but the pixels."""
    # A tRNS colour key lives in `info`, which we drop: turn it into real alpha first.
    if img.mode not in _KEEP_MODES[kind] or "transparency" in img.info:
        img = _convert(img, kind)
    # A fresh image holds only pixels: encoders read metadata (ICC, comments,
    # transparency) from `info`, so nothing from the upload can leak through.
    clean = Image.new(img.mode, img.size)
    clean.paste(img)
    return clean


def _convert(img: Image.Image, kind: FileKind) -> Image.Image:
    """Convert unusual modes (CMYK, P, LA, 1, I, F...) to L/RGB/RGBA."""
    if img.mode == "1":
        return img.convert("L")
    if img.mode.startswith(("I", "F")):
        # Deep grayscale: scale 16 bits down to 8 rather than clip everything to white.
        return img.convert("I").point(lambda v: v / 256).convert("L")
    has_alpha = "A" in img.getbands() or "transparency" in img.info
    if kind is FileKind.PNG and has_alpha:
        return img.convert("RGBA")
    if has_alpha:
        # JPEG has no alpha: flatten on white, as a printed certificate would look.
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")


def _encode(img: Image.Image, kind: FileKind) -> bytes:
    """Encode with our own settings and no metadata."""
    out = BytesIO()
    if kind is FileKind.JPEG:
        img.save(out, format="JPEG", quality=90)
    else:
        img.save(out, format="PNG", optimize=True)
    return out.getvalue()
