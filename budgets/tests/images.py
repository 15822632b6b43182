from __future__ import annotations

import io

from PIL import Image


def png_bytes(size: tuple[int, int] = (4, 4), image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=image_format)
    return buffer.getvalue()
