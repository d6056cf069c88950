"""One untrusted image file -> small square uint8 pixels.

Pillow only parses the formats listed here, the declared size is checked before any
pixel is decoded (a 1 kB file can declare a gigapixel image), and JPEGs are decoded at
a reduced scale when they are much larger than the target.

Crop policy: the largest centred square is kept (the longer side loses equal margins),
then resized with Lanczos. Images with a side under `min_side` pixels (icons, 1-pixel
strips) or an aspect ratio beyond `max_aspect`:1 (banners, scan strips) are skipped:
a centre crop of them is a flat patch, not a picture of anything.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "WEBP")
ACCEPTED_NAMES = "PNG, JPEG, BMP, GIF, WebP"
CROP_POLICY = "each image is centre-cropped to a square, then resized"

# Pillow reports odd files (bomb-sized, truncated EXIF, palette transparency) through the
# warnings module; its text is not for users: a file it dislikes is skipped and counted instead.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
warnings.filterwarnings("ignore", module=r"PIL(\..*)?$")


class SkippedImage(Exception):
    """This file is left out; `reason` is a short phrase counted in the user's message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SquareImage:
    """One decoded image, centre-cropped to a square and resized to each wanted side.

    `gray`: whether it was grayscale; `pixels`: side -> uint8 (side, side) when gray,
    (side, side, 3) RGB otherwise; `decoded_pixels`: width x height actually decoded (after a
    JPEG's reduced-scale draft), counted against the set's pixel budget.
    """

    gray: bool
    pixels: dict  # side -> uint8 (side, side) when gray, (side, side, 3) otherwise
    decoded_pixels: int = 0  # width x height actually decoded (after a JPEG's reduced-scale draft)


@dataclass(frozen=True)
class ShapeRules:
    """Which declared sizes are decoded. Defaults: at most 4096 px a side (Pillow's own
    bomb check starts at 89 megapixels, far above what a 28-64 px GAN needs), at least
    8 px a side and at most 4:1 (a centre crop of a longer strip keeps a quarter of it)."""

    max_side: int = 4096
    min_side: int = 8
    max_aspect: float = 4.0


def too_small_reason(min_side: int) -> str:
    """The skip reason for an image under `min_side` pixels on a side, as counted in the summary line."""
    return f"smaller than {min_side} px on a side"


def aspect_reason(max_aspect: float) -> str:
    """The skip reason for an image longer than `max_aspect`:1, as counted in the summary line."""
    return f"aspect ratio over {max_aspect:g}:1"


def check_shape(width: int, height: int, rules: ShapeRules) -> None:
    """Raise SkippedImage when a declared size is not decoded (too large, degenerate, a strip)."""
    if width > rules.max_side or height > rules.max_side:
        raise SkippedImage(f"larger than {rules.max_side}x{rules.max_side}")
    if width < 1 or height < 1:
        raise SkippedImage("damaged")
    if min(width, height) < rules.min_side:
        raise SkippedImage(too_small_reason(rules.min_side))
    if max(width, height) > rules.max_aspect * min(width, height):
        raise SkippedImage(aspect_reason(rules.max_aspect))


def decode_square(stream: BinaryIO, sides: Sequence[int], rules: ShapeRules | int = ShapeRules()) -> SquareImage:
    """Decode, center-crop to a square and resize to each of `sides` (first frame of a GIF).

    `rules` (or a bare max side, the older call) decides which declared sizes are decoded;
    CMYK, palette, 16-bit and transparent images are converted to RGB first.
    Raises SkippedImage with the reason counted in the user's summary.
    """
    if isinstance(rules, int):
        rules = ShapeRules(max_side=rules)
    try:
        image = Image.open(stream, formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        raise SkippedImage(f"larger than {rules.max_side}x{rules.max_side}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise SkippedImage("not an image") from None
    with image:
        check_shape(*image.size, rules)
        try:
            image.draft(None, (2 * max(sides), 2 * max(sides)))
            decoded = image.size[0] * image.size[1]
            rgb = _to_rgb(ImageOps.exif_transpose(image))
        except Exception:  # a malformed file can make a decoder raise nearly anything
            raise SkippedImage("damaged") from None
    square = _center_square(rgb)
    # reducing_gap 3: a box reduction first, then Lanczos; Pillow documents the result as
    # indistinguishable from plain Lanczos, and a 4096-pixel scan resizes 7 times faster
    pixels = {
        side: np.asarray(square.resize((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0), dtype=np.uint8)
        for side in sides
    }
    gray = all(np.array_equal(p[..., 0], p[..., 1]) and np.array_equal(p[..., 1], p[..., 2]) for p in pixels.values())
    if gray:
        pixels = {side: p[..., 0].copy() for side, p in pixels.items()}
    return SquareImage(gray=gray, pixels=pixels, decoded_pixels=decoded)


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
