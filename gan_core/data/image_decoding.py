"""One untrusted image file -> small square uint8 pixels.

Pillow only parses the formats listed here, the declared size is checked before any
pixel is decoded (a 1 kB file can declare a gigapixel image), and JPEGs are decoded at
a reduced scale when they are much larger than the target.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Sequence

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "WEBP")
ACCEPTED_NAMES = "PNG, JPEG, BMP, GIF, WebP"


class SkippedImage(Exception):
    """This file is left out; `reason` is a short phrase counted in the user's message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SquareImage:
    gray: bool
    pixels: dict                # side -> uint8 (side, side) when gray, (side, side, 3) otherwise


def decode_square(stream: BinaryIO, sides: Sequence[int], max_side: int) -> SquareImage:
    """Decode, center-crop to a square and resize to each of `sides` (first frame of a GIF)."""
    try:
        image = Image.open(stream, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise SkippedImage(f"larger than {max_side}x{max_side}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise SkippedImage("not an image") from None
    with image:
        width, height = image.size
        if width > max_side or height > max_side:
            raise SkippedImage(f"larger than {max_side}x{max_side}")
        if width < 1 or height < 1:
            raise SkippedImage("damaged")
        try:
            image.draft(None, (2 * max(sides), 2 * max(sides)))
            rgb = _to_rgb(ImageOps.exif_transpose(image))
        except Exception:       # a malformed file can make a decoder raise nearly anything
            raise SkippedImage("damaged") from None
    square = _center_square(rgb)
    pixels = {side: np.asarray(square.resize((side, side), Image.Resampling.LANCZOS), dtype=np.uint8)
              for side in sides}
    gray = all(np.array_equal(p[..., 0], p[..., 1]) and np.array_equal(p[..., 1], p[..., 2])
               for p in pixels.values())
    if gray:
        pixels = {side: p[..., 0].copy() for side, p in pixels.items()}
    return SquareImage(gray=gray, pixels=pixels)


def _center_square(image: Image.Image) -> Image.Image:
    # a real crop first: resizing with a box would let the filter reach past the crop's edges
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return image.crop((left, top, left + side, top + side))


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I", "I;16", "I;16L", "I;16B", "F"):
        # 16-bit and float grayscale: Pillow's convert("L") clips instead of scaling
        values = np.asarray(image, dtype=np.float64)
        if values.max(initial=0) > 255:
            values = values / 257.0
        image = Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        # transparent areas become white, as most image viewers show them
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")
