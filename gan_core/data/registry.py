"""Source name -> ImageSet."""
from __future__ import annotations

from .embedded import load_mnist_5k
from .imageset import DataError, ImageSet

SOURCES = {
    "mnist-5k": "5,000 MNIST digits embedded with the app (28x28, works offline) - the default",
}


def describe_sources() -> dict[str, str]:
    return dict(SOURCES)


def load_images(source: str) -> ImageSet:
    source = (source or "").strip()
    if source == "mnist-5k":
        return load_mnist_5k()
    raise DataError(f"unknown data source '{source}' (known: {', '.join(SOURCES)}, or a folder/.zip of images)")
