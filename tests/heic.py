"""Real HEIC photos made in the test, as an iPhone writes them (pillow-heif's encoder).

Each photo is two colours, so a test can tell which way up the stored JPEG is: red on
the left of the sensor, blue on the right.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from PIL import Image

RED = (255, 0, 0)
BLUE = (0, 0, 255)
EXIF_ORIENTATION = 0x0112
EXIF_GPS = 0x8825
EXIF_MAKE = 0x010F


def heic_bytes(
    size: tuple[int, int] = (64, 32),
    *,
    orientation: int | None = None,
    gps: bool = True,
    noise: bool = False,
    quality: int = 90,
) -> bytes:
    """A HEIC file: red left half, blue right half (or noise), with camera metadata.

    `orientation` is written as the EXIF tag; pillow-heif turns it into the HEIF
    rotation box, as an iPhone's photo carries it.
    """
    import pillow_heif

    pillow_heif.register_heif_opener()
    img = _noise(size) if noise else _halves(size)
    exif = Image.Exif()
    exif[EXIF_MAKE] = "Apple"
    if orientation is not None:
        exif[EXIF_ORIENTATION] = orientation
    if gps:
        exif[EXIF_GPS] = {1: "N", 2: (52.0, 25.0, 1.0), 3: "E", 4: (19.0, 28.0, 1.0)}
    out = BytesIO()
    img.save(out, format="HEIF", exif=exif.tobytes(), quality=quality)
    return out.getvalue()


def _halves(size: tuple[int, int]) -> Image.Image:
    img = Image.new("RGB", size, RED)
    img.paste(BLUE, (size[0] // 2, 0, size[0], size[1]))
    return img


def _noise(size: tuple[int, int]) -> Image.Image:
    pixels = hashlib.shake_256(b"heic").digest(size[0] * size[1] * 3)
    return Image.frombytes("RGB", size, pixels)


def near(pixel: object, colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    """A lossy codec's pixel close to `colour`."""
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
