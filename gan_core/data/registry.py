"""Source name (or path) -> ImageSet."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from gan_core.data.dataset_files import CIFAR10_CLASSES
from gan_core.data.embedded import load_mnist_5k
from gan_core.data.imageset import DataError, ImageSet
from gan_core.data.keras_sources import KERAS_SOURCES, is_keras_source, load_keras_source
from gan_core.data.user_images import load_images_from_folder, load_images_from_zip

EMBEDDED_SOURCES = {
    "mnist-5k": "5,000 MNIST digits embedded with the app (28x28, works offline) - the default",
}
KNOWN_NAMES = (*EMBEDDED_SOURCES, *KERAS_SOURCES, "cifar10:<class>")


def describe_sources() -> dict[str, str]:
    """Named sources for a selection list, the offline default first. Folders and .zip
    files of the user's own images are loaded by path and are not listed."""
    sources = dict(EMBEDDED_SOURCES)
    sources.update(KERAS_SOURCES)
    for name in CIFAR10_CLASSES:
        sources[f"cifar10:{name}"] = f"CIFAR-10 '{name}' class only, 5,000 images 32x32 colour (downloads once)"
    return sources


def load_images(source: str, image_size: int | None = None) -> ImageSet:
    """Load a named source or the user's images from a folder or .zip path.

    `image_size` is the side user images are cropped and resized to (default 28 when
    they are all grayscale, 32 otherwise); the named sets keep their own size.
    """
    source = (source or "").strip()
    if source in EMBEDDED_SOURCES:
        return load_mnist_5k()
    if is_keras_source(source):
        return load_keras_source(source)
    if not source:
        raise DataError(f"no data source given: choose one of {', '.join(KNOWN_NAMES)}, or a folder/.zip of images")
    path = Path(source).expanduser()
    if path.is_dir():
        return load_images_from_folder(path, image_size)
    if path.is_file():
        if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            return load_images_from_zip(path, image_size)
        raise DataError(f"'{source}' is a file but not a .zip: give a folder or a .zip of images")
    if _looks_like_path(source):
        raise DataError(f"no such folder or file: '{source}'")
    raise DataError(f"unknown data source '{source}' (known: {', '.join(KNOWN_NAMES)}, or a folder/.zip of images)")


def _looks_like_path(source: str) -> bool:
    return "/" in source or os.sep in source or source.startswith(("~", ".")) or source.lower().endswith(".zip")
