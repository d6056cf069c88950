"""Non-images a judge is taught to be unsure about ("outlier exposure").

A softmax trained only on the real classes is confidently wrong on anything else
(uniform noise came out as a 94%-sure "8"). Training on these images with a flat
target (1/K per class) makes "confidently recognized" mean something for an
untrained generator's noise, blobs and scrambled strokes (Hendrycks et al. 2019,
"Deep anomaly detection with outlier exposure").
"""

from __future__ import annotations

import numpy as np


def _uniform_noise(n: int, rng: np.random.Generator, real: np.ndarray) -> np.ndarray:
    return rng.integers(0, 256, size=(n,) + real.shape[1:], dtype=np.uint8)


def _sparse_noise(n: int, rng: np.random.Generator, real: np.ndarray) -> np.ndarray:
    density = rng.uniform(0.05, 0.5, size=(n, 1, 1, 1))
    return ((rng.random((n,) + real.shape[1:]) < density) * 255).astype(np.uint8)


def _blobs(n: int, rng: np.random.Generator, real: np.ndarray) -> np.ndarray:
    """Smoothed, thresholded noise: the clouds an early generator draws."""
    field = rng.random((n,) + real.shape[1:])
    for _ in range(3):  # three box blurs approximate a Gaussian blur
        field = sum(np.roll(np.roll(field, dy, axis=1), dx, axis=2) for dy in (-1, 0, 1) for dx in (-1, 0, 1)) / 9.0
    centred = (field - field.mean(axis=(1, 2, 3), keepdims=True)) / (field.std(axis=(1, 2, 3), keepdims=True) + 1e-9)
    cut = rng.uniform(-0.5, 1.5, size=(n, 1, 1, 1))
    return np.clip((centred - cut) * 255.0, 0, 255).astype(np.uint8)


def _scrambled(n: int, rng: np.random.Generator, real: np.ndarray) -> np.ndarray:
    """Real strokes in the wrong places: a real image's 4x4 tiles shuffled."""
    _, h, w, c = real.shape
    th, tw = h // 4, w // 4
    picked = real[rng.integers(0, len(real), size=n), : 4 * th, : 4 * tw].copy()
    tiles = picked.reshape(n, 4, th, 4, tw, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, 16, th, tw, c)
    order = np.argsort(rng.random((n, 16)), axis=1)
    tiles = np.take_along_axis(tiles, order[:, :, None, None, None], axis=1)
    picked[:] = tiles.reshape(n, 4, 4, th, tw, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, 4 * th, 4 * tw, c)
    out = real[rng.integers(0, len(real), size=n)].copy()
    out[:, : 4 * th, : 4 * tw] = picked
    return out


def _flat(n: int, rng: np.random.Generator, real: np.ndarray) -> np.ndarray:
    colour = rng.integers(0, 256, size=(n, 1, 1, real.shape[-1]))
    return np.broadcast_to(colour, (n,) + real.shape[1:]).astype(np.uint8)


_KINDS = (_uniform_noise, _sparse_noise, _blobs, _scrambled, _flat)


def junk_images(n: int, rng: np.random.Generator, real: np.ndarray) -> np.ndarray:
    """n uint8 images shaped like `real` (N, H, W, C), an even mix of the kinds above."""
    counts = np.bincount(np.arange(n) % len(_KINDS), minlength=len(_KINDS))
    parts = [kind(int(c), rng, real) for kind, c in zip(_KINDS, counts)]
    return np.concatenate(parts)
