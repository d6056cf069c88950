"""Pictures of the Latent explorer that are drawn, not just tiled: the numbered sample grid."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from gan_core.generators.images import image_grid, upscale


def numbered_grid(images: np.ndarray, cols: int, scale: int, pad: int = 2) -> np.ndarray:
    """The images tiled `cols` wide with `pad` pixels between, enlarged `scale` times, each
    cell numbered from 1 in its top-left corner (yellow, PIL's default font).

    `images` is uint8 (n, H, W, C) with C in {1, 3}; returns uint8 RGB
    (scale * rows * (H + pad) + ..., ..., 3), rows = ceil(n / cols).
    """
    picture = Image.fromarray(upscale(image_grid(images, cols=cols, pad=pad), scale)[..., :3].squeeze()).convert("RGB")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=max(10, 4 * scale))
    h, w = images.shape[1:3]
    for i in range(len(images)):
        r, c = divmod(i, cols)
        x, y = (pad + c * (w + pad)) * scale, (pad + r * (h + pad)) * scale
        draw.text((x + 2, y + 1), str(i + 1), fill=(255, 210, 0), font=font)
    return np.asarray(picture)
