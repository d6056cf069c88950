"""Input checks for the quality metrics: only 28x28 grayscale uint8 digits can be judged."""
from __future__ import annotations

import numpy as np

DIGIT_SHAPE = (28, 28, 1)

# A Gaussian fit (for the Frechet distance) needs at least two samples.
MIN_IMAGES = 2


class MetricsError(ValueError):
    """Images or a file the metrics cannot judge; the message is one line a user can act on."""


def is_digit_dataset(shape) -> bool:
    """True for digit-like images: one image (28, 28) or (28, 28, 1), or a batch (N, 28, 28, 1).

    The UI and the trainer ask this before showing the classifier-based figures.
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) == 2:
        return shape == DIGIT_SHAPE[:2]
    if len(shape) == 3:
        return shape == DIGIT_SHAPE
    if len(shape) == 4:
        return shape[1:] == DIGIT_SHAPE
    return False


def as_digit_batch(images) -> np.ndarray:
    """Validate a batch of digits and return it as uint8 (N, 28, 28, 1)."""
    if not isinstance(images, np.ndarray):
        raise MetricsError(f"quality metrics need a numpy array of images, got {type(images).__name__}")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[1:] != DIGIT_SHAPE:
        raise MetricsError(f"quality metrics need 28x28 grayscale digits (N, 28, 28, 1) or (N, 28, 28), "
                           f"got shape {images.shape}")
    if images.dtype != np.uint8:
        raise MetricsError(f"quality metrics need uint8 pixels 0-255, got {images.dtype} "
                           f"(generator output converts with gan_core.images.to_uint8)")
    if images.shape[0] < MIN_IMAGES:
        raise MetricsError(f"quality metrics need at least {MIN_IMAGES} images, got {images.shape[0]}")
    return images
