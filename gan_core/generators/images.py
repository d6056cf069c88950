"""Image conversion and encoding: generator output -> uint8 -> grids, PNG and GIF bytes.

Numpy and Pillow only; called once per epoch or per user action, never in the train step.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image


def to_uint8(batch: np.ndarray, tanh_output: bool = True) -> np.ndarray:
    """Generator output ([-1, 1] with tanh, [0, 1] with sigmoid) to uint8 pixels."""
    x = np.asarray(batch, dtype=np.float32)
    if tanh_output:
        x = (x + 1.0) * 0.5
    return np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)


def to_model_scale(images: np.ndarray, tanh_output: bool = True) -> np.ndarray:
    """uint8 pixels to the generator's scale: [-1, 1] (tanh) or [0, 1] (sigmoid)."""
    x = np.asarray(images, dtype=np.float32) / 255.0
    return x * 2.0 - 1.0 if tanh_output else x


def image_grid(images: np.ndarray, cols: int | None = None, pad: int = 2, pad_value: int = 40) -> np.ndarray:
    """Tile uint8 images (N, H, W, C) into one (rows*H, cols*W, C) picture with a thin border."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    n, h, w, c = images.shape
    cols = cols or int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    out = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), pad_value, dtype=np.uint8)
    for i in range(n):
        r, k = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + k * (w + pad)
        out[y : y + h, x : x + w] = images[i]
    return out


def upscale(picture: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour enlargement so 28-pixel digits stay crisp on a projector."""
    if factor <= 1:
        return picture
    return picture.repeat(factor, axis=0).repeat(factor, axis=1)


def _pil(picture: np.ndarray) -> Image.Image:
    picture = np.asarray(picture, dtype=np.uint8)
    if picture.ndim == 3 and picture.shape[-1] == 1:
        picture = picture[..., 0]
    return Image.fromarray(picture)


def png_bytes(picture: np.ndarray) -> bytes:
    """PNG bytes of one uint8 picture (H, W), (H, W, 1) (saved as grayscale) or (H, W, 3)."""
    buf = io.BytesIO()
    _pil(picture).save(buf, format="PNG")
    return buf.getvalue()


def gif_bytes(frames: Sequence[np.ndarray], frame_ms: int = 300, loop: int = 0) -> bytes:
    """An animated GIF from same-sized uint8 pictures."""
    if not frames:
        raise ValueError("a GIF needs at least one frame")
    pics = [
        _pil(f).convert("P") if np.asarray(f).ndim == 3 and np.asarray(f).shape[-1] == 3 else _pil(f) for f in frames
    ]
    buf = io.BytesIO()
    pics[0].save(buf, format="GIF", save_all=True, append_images=pics[1:], duration=frame_ms, loop=loop)
    return buf.getvalue()
