"""MNIST, Fashion-MNIST and CIFAR-10 (training splits) through keras.datasets.

Keras downloads each set once into its cache; a failed download says why (offline,
disk full, checksum, corrupt archive) and points at the embedded set. MNIST and CIFAR-10 archives already in the
cache are read by our own parsers (see dataset_files) so that keras' hash check cannot
turn a usable offline copy into a failed download.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from gan_core.data.dataset_files import (
    CIFAR10_CLASSES,
    CIFAR10_TRAIN_BATCHES,
    cifar10_class_index,
    read_cifar10_train,
    read_mnist_npz,
    select_class,
)
from gan_core.data.download_errors import download_failure
from gan_core.data.imageset import DataError, ImageSet, one_line_reason

KERAS_SOURCES = {
    "mnist": "MNIST handwritten digits, 60,000 images 28x28 grayscale (downloads once)",
    "fashion-mnist": "Fashion-MNIST clothing, 60,000 images 28x28 grayscale (downloads once)",
    "cifar10": "CIFAR-10 photos of 10 classes, 50,000 images 32x32 colour (downloads once)",
}
CIFAR10_CLASS_SOURCE = "cifar10:<class>"
FASHION_MNIST_FILES = (
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
)


def is_keras_source(source: str) -> bool:
    """Whether `source` is loaded through keras.datasets: mnist, fashion-mnist, cifar10 or cifar10:<class>."""
    return source in KERAS_SOURCES or source.startswith("cifar10:")


def load_keras_source(source: str) -> ImageSet:
    """The training split of a keras data set as an ImageSet (uint8, labels int): MNIST and
    Fashion-MNIST (60,000, 28x28x1), CIFAR-10 (50,000, 32x32x3) or one CIFAR-10 class (5,000).

    Downloads into the keras cache the first time. Raises DataError (one line) for an unknown
    source or class (before any download), and for a failed download: offline, the server's
    HTTP answer, a full disk, a checksum mismatch or a corrupt archive.
    """
    if source == "mnist":
        images, labels = _mnist_train()
        return ImageSet(images=images, labels=labels, name="mnist")
    if source == "fashion-mnist":
        images, labels = _fashion_mnist_train()
        return ImageSet(images=images, labels=labels, name="fashion-mnist")
    if source == "cifar10" or source.startswith("cifar10:"):
        wanted = source.partition(":")[2]
        index = cifar10_class_index(wanted) if wanted else None  # a bad class fails before any download
        images, labels = _cifar10_train(source)
        if index is None:
            return ImageSet(images=images, labels=labels, name="cifar10")
        images, labels = select_class(images, labels, index)
        return ImageSet(images=images, labels=labels, name=f"cifar10:{CIFAR10_CLASSES[index]}")
    raise DataError(f"'{source}' is not a keras dataset (known: {', '.join(KERAS_SOURCES)}, {CIFAR10_CLASS_SOURCE})")


def keras_datasets_dir() -> Path:
    """The folder keras.utils.get_file caches datasets in.

    Keras reads $KERAS_HOME once, when it is imported, so ask keras for the value it
    actually uses instead of reading the environment again.
    """
    try:
        from keras.src.backend.config import keras_home

        base = keras_home()
    except ImportError:
        base = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    base = os.path.expanduser(base)
    if not os.access(base, os.W_OK):
        # get_file's own fallback for a read-only home
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    return Path(base) / "datasets"


def _mnist_train() -> tuple[np.ndarray, np.ndarray]:
    cached = keras_datasets_dir() / "mnist.npz"
    if cached.is_file():
        return read_mnist_npz(cached)

    def download():
        import keras

        return keras.datasets.mnist.load_data()

    (images, labels), _ = _download("mnist", download)
    return np.asarray(images, dtype=np.uint8)[..., None], np.asarray(labels, dtype=np.int64)


def _fashion_mnist_train() -> tuple[np.ndarray, np.ndarray]:
    # Keras' own loader accepts whatever files sit in its cache folder, so it reads them too.
    folder = keras_datasets_dir() / "fashion-mnist"
    if all((folder / name).is_file() for name in FASHION_MNIST_FILES):
        try:
            (images, labels), _ = _keras_fashion_mnist()
        except Exception as err:  # keras raises anything from gzip, numpy or urllib
            raise DataError(
                f"the cached Fashion-MNIST files are unreadable ({one_line_reason(err)}): "
                f"delete the folder {folder.name} in the keras cache to download them again"
            ) from None
    else:
        (images, labels), _ = _download("fashion-mnist", _keras_fashion_mnist)
    return np.asarray(images, dtype=np.uint8)[..., None], np.asarray(labels, dtype=np.int64)


def _keras_fashion_mnist():
    import keras

    return keras.datasets.fashion_mnist.load_data()


def _cifar10_train(source: str) -> tuple[np.ndarray, np.ndarray]:
    datasets = keras_datasets_dir()
    # Keras 3 extracts into "cifar-10-batches-py-target/"; older tf.keras into "cifar-10-batches-py/".
    for folder in (datasets / "cifar-10-batches-py-target" / "cifar-10-batches-py", datasets / "cifar-10-batches-py"):
        if all((folder / batch).is_file() for batch in CIFAR10_TRAIN_BATCHES):
            return read_cifar10_train(folder)

    def download():
        import keras

        return keras.datasets.cifar10.load_data()

    (images, labels), _ = _download(source, download)
    images = np.asarray(images, dtype=np.uint8)
    if images.shape[-1] != 3:  # keras honours image_data_format="channels_first"
        images = images.transpose(0, 2, 3, 1)
    return images, np.asarray(labels, dtype=np.int64).reshape(-1)


def _download(source: str, load: Callable):
    """Run keras' `load`; any failure becomes a DataError naming its real cause (download_errors)."""
    try:
        return load()
    except Exception as err:  # get_file wraps URL errors in a bare Exception
        raise DataError(download_failure(source, err, keras_datasets_dir())) from None
