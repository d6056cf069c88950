"""Non-digit images the classifier is taught to be unsure about ("outlier exposure").

A softmax trained only on digits is confidently wrong on anything else (uniform noise
came out as a 94%-sure "8"). Training on these images with a flat target (0.1 per
class) makes "confidently recognized" mean something for an untrained generator's
noise, blobs and scrambled strokes.
"""
from __future__ import annotations

import numpy as np


def _uniform_noise(n: int, rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    return rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)


def _sparse_noise(n: int, rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    density = rng.uniform(0.05, 0.5, size=(n, 1, 1))
    return ((rng.random((n, 28, 28)) < density) * 255).astype(np.uint8)


def _blobs(n: int, rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    """Smoothed, thresholded noise: the white clouds an early generator draws."""
    field = rng.random((n, 28, 28))
    for _ in range(3):   # three box blurs approximate a Gaussian blur
        field = sum(np.roll(np.roll(field, dy, axis=1), dx, axis=2)
                    for dy in (-1, 0, 1) for dx in (-1, 0, 1)) / 9.0
    centred = (field - field.mean(axis=(1, 2), keepdims=True)) / (field.std(axis=(1, 2), keepdims=True) + 1e-9)
    cut = rng.uniform(-0.5, 1.5, size=(n, 1, 1))
    return np.clip((centred - cut) * 255.0, 0, 255).astype(np.uint8)


def _scrambled_digits(n: int, rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    """Real strokes in the wrong places: a digit's 7x7 tiles shuffled."""
    picked = digits[rng.integers(0, len(digits), size=n)].reshape(n, 4, 7, 4, 7)
    tiles = picked.transpose(0, 1, 3, 2, 4).reshape(n, 16, 7, 7)
    order = np.argsort(rng.random((n, 16)), axis=1)
    tiles = np.take_along_axis(tiles, order[:, :, None, None], axis=1)
    return tiles.reshape(n, 4, 4, 7, 7).transpose(0, 1, 3, 2, 4).reshape(n, 28, 28)


def _flat(n: int, rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    return np.broadcast_to(rng.integers(0, 256, size=(n, 1, 1)), (n, 28, 28)).astype(np.uint8)


_KINDS = (_uniform_noise, _sparse_noise, _blobs, _scrambled_digits, _flat)


def junk_images(n: int, rng: np.random.Generator, digits: np.ndarray) -> np.ndarray:
    """n uint8 (n, 28, 28, 1) non-digits, an even mix of the kinds above."""
    counts = np.bincount(np.arange(n) % len(_KINDS), minlength=len(_KINDS))
    parts = [kind(int(c), rng, digits[..., 0]) for kind, c in zip(_KINDS, counts)]
    return np.concatenate(parts)[..., None]
