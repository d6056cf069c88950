"""Input checks for the quality meters."""

from __future__ import annotations

import numpy as np

# A Gaussian fit (for the Fréchet distance) needs at least two samples.
MIN_IMAGES = 2


class MetricsError(ValueError):
    """Images or a file the metrics cannot judge; the message is one line a user can act on."""


def as_image_batch(images, shape: tuple) -> np.ndarray:
    """Validate a batch of uint8 images of one (H, W, C) `shape` and return it as (N, H, W, C).

    A grayscale batch may come without its channel axis. Raises MetricsError otherwise.
    """
    shape = tuple(int(s) for s in shape)
    if not isinstance(images, np.ndarray):
        raise MetricsError(f"quality metrics need a numpy array of images, got {type(images).__name__}")
    if images.ndim == 3 and shape[-1] == 1:
        images = images[..., None]
    if images.ndim != 4 or tuple(images.shape[1:]) != shape:
        wanted = "x".join(map(str, shape[:2])) + (" grayscale" if shape[-1] == 1 else " colour")
        raise MetricsError(
            f"this meter judges {wanted} images (N, {', '.join(map(str, shape))}), got shape {images.shape}"
        )
    if images.dtype != np.uint8:
        raise MetricsError(
            f"quality metrics need uint8 pixels 0-255, got {images.dtype} "
            f"(generator output converts with gan_core.generators.images.to_uint8)"
        )
    if images.shape[0] < MIN_IMAGES:
        raise MetricsError(f"quality metrics need at least {MIN_IMAGES} images, got {images.shape[0]}")
    return images
