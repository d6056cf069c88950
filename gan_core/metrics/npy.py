"""The CLI's `metrics FILE.npy [--data SOURCE]`: measure images saved as a numpy array."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from gan_core.metrics.meter import meter_for
from gan_core.metrics.validation import MetricsError, as_image_batch


def load_digits_npy(path) -> np.ndarray:
    """The array in a .npy file; a one-line MetricsError for anything that is not one."""
    path = Path(path)
    if not path.exists():
        raise MetricsError(f"no such file: {path}")
    if not path.is_file():
        raise MetricsError(f"not a file: {path}")
    try:
        loaded = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise MetricsError(
            f"{path} is not a readable .npy array "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'unreadable'})"
        ) from None
    if not isinstance(loaded, np.ndarray):
        loaded.close()
        raise MetricsError(f"{path} is an .npz archive; save one array with numpy.save to a .npy file")
    return loaded


def metrics_from_npy(path, source: str = "mnist-5k") -> dict:
    """Quality report (as a dict) of uint8 images (N, H, W, C) stored in a .npy file, measured
    by the meter of the data set `source` names (its judge, or the label-free meter).
    Raises MetricsError (or DataError for the source) with one line."""
    from gan_core.data import load_images

    images = load_digits_npy(path)
    try:
        data = load_images(source)
        as_image_batch(images, data.shape)  # a bad file fails before any judge is trained
        return meter_for(data).report(images).to_dict()
    except MetricsError as exc:
        raise MetricsError(f"{path}: {exc}") from None
