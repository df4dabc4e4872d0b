"""A scanned-certificate-like PDF of about 1 MB: one page, one noisy JPEG image."""

from __future__ import annotations

import io
import random

from PIL import Image

MB = 1024 * 1024


def _pdf(side: int, seed: int) -> bytes:
    pixels = random.Random(seed).randbytes(side * side * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(out, "PDF", resolution=150, quality=70)
    return out.getvalue()


def certificate_pdf(target: int = MB, seed: int = 7) -> bytes:
    """A valid PDF within 3 % above `target` bytes."""
    low, high = 64, 4000
    while low < high:
        side = (low + high) // 2
        if len(_pdf(side, seed)) < target:
            low = side + 1
        else:
            high = side
    data = _pdf(low, seed)
    assert target <= len(data) <= target * 1.03, len(data)
    return data
