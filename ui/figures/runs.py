"""The Runs page's thumbnails: a run's last grid, shrunk so a long list stays light."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

THUMBNAIL_PX = 144  # the longest side, in pixels: eight 28-pixel digits across stay legible


def thumbnail_png(path: Path, size: int = THUMBNAIL_PX) -> bytes | None:
    """PNG bytes of the picture at `path` shrunk to at most `size` pixels on its longest side
    (never enlarged; box filter, which keeps thin strokes visible), or None when the file
    is missing or not a picture."""
    try:
        with Image.open(path) as picture:
            picture.load()
            small = picture.convert("RGB" if picture.mode not in ("L", "LA") else "L")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    small.thumbnail((size, size), Image.Resampling.BOX)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()
