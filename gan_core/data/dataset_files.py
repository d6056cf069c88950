"""Parsers for the dataset files keras.datasets keeps in its cache.

Keras' own loaders for MNIST and CIFAR-10 check a SHA-256 of the cached archive and
download again when it differs, so a cache they did not write themselves (an offline
copy, a mirror, a test file) is never read. These functions read the files directly.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

from gan_core.data.imageset import DataError, one_line_reason

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CIFAR10_TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))


def read_mnist_npz(path) -> tuple[np.ndarray, np.ndarray]:
    """The training split of keras' `mnist.npz`: images uint8 (N, 28, 28, 1), labels int64 (N,)."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            images, labels = archive["x_train"], archive["y_train"]
    except KeyError as err:
        raise DataError(f"{Path(path).name} has no {err} array: delete it so keras downloads it again") from None
    except (OSError, ValueError) as err:
        raise DataError(
            f"{Path(path).name} is not a readable .npz file ({one_line_reason(err)}): "
            f"delete it so keras downloads it again"
        ) from None
    if images.ndim != 3 or images.dtype != np.uint8 or labels.shape != (images.shape[0],):
        raise DataError(
            f"{Path(path).name} holds {images.dtype} images {images.shape} and labels "
            f"{labels.shape}, expected uint8 (N, 28, 28) and (N,)"
        )
    return images[..., None], labels.astype(np.int64)


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """CIFAR batches are pickles; only the globals that rebuild numpy arrays may load,
    so a tampered file cannot run code. `_codecs.encode` is how Python 3 writes bytes
    into a protocol-2 pickle; it only converts text to bytes."""

    _ALLOWED = {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }

    def find_class(self, module, name):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}")
        if module == "numpy.core.multiarray" and hasattr(np, "_core"):
            module = "numpy._core.multiarray"  # the numpy 1.x name warns under numpy 2
        return super().find_class(module, name)


def read_cifar10_batch(path) -> tuple[np.ndarray, np.ndarray]:
    """One pickled CIFAR-10 batch: b'data' (N, 3072) rows of R, G, B planes -> uint8 (N, 32, 32, 3)."""
    name = Path(path).name
    try:
        with open(path, "rb") as fh:
            batch = _ArrayOnlyUnpickler(fh, encoding="bytes").load()
        data = np.asarray(batch[b"data"])
        labels = np.asarray(batch[b"labels"], dtype=np.int64)
    except (OSError, EOFError, pickle.UnpicklingError, KeyError, TypeError, ValueError, IndexError) as err:
        raise DataError(
            f"CIFAR-10 batch {name} is unreadable ({one_line_reason(err)}): "
            f"delete the cached folder so keras downloads it again"
        ) from None
    if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or labels.shape != (data.shape[0],):
        raise DataError(
            f"CIFAR-10 batch {name} holds {data.dtype} data {data.shape} and labels "
            f"{labels.shape}, expected uint8 (N, 3072) and (N,)"
        )
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels


def read_cifar10_train(folder) -> tuple[np.ndarray, np.ndarray]:
    """The five training batches of an extracted `cifar-10-batches-py` folder, in order."""
    parts = [read_cifar10_batch(Path(folder) / batch) for batch in CIFAR10_TRAIN_BATCHES]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def cifar10_class_index(wanted: str) -> int:
    """'frog', 'Frog' or '6' -> 6."""
    key = wanted.strip().lower()
    if key.isdigit() and int(key) < len(CIFAR10_CLASSES):
        return int(key)
    if key in CIFAR10_CLASSES:
        return CIFAR10_CLASSES.index(key)
    raise DataError(f"unknown CIFAR-10 class '{wanted}': use one of {', '.join(CIFAR10_CLASSES)} or 0-9")


def select_class(images: np.ndarray, labels: np.ndarray, index: int) -> tuple[np.ndarray, np.ndarray]:
    """The images and labels of one class: `images` (N, ...) and int `labels` (N,) filtered to
    `labels == index`, in their order.
    """
    keep = labels == index
    return images[keep], labels[keep]
