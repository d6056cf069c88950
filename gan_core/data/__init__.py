"""Image data sources. Every source returns an `ImageSet` of uint8 images (N, H, W, C),
pixels 0..255, C in {1, 3}, with int labels or None.

Source names (`load_images`, registry.py): "mnist-5k" (embedded.py: 5,000 digits shipped in
`assets/data/mnist_5k.npz`, offline), "mnist", "fashion-mnist", "cifar10" or
"cifar10:<class>" (keras_sources.py, through keras.datasets, online the first time; why a
download failed: download_errors.py), or a path to a folder or a .zip of the user's own
images (user_images.py, decoded with limits by image_decoding.py). batch_fit.py lowers the
batch for a set smaller than one batch.
"""

from gan_core.data.batch_fit import MIN_BATCH, fit_config_to_data, fitted_batch_size
from gan_core.data.image_decoding import CROP_POLICY
from gan_core.data.imageset import DataError, ImageSet
from gan_core.data.registry import describe_sources, load_images
from gan_core.data.user_images import (
    UserImageLimits,
    load_images_from_folder,
    load_images_from_zip,
    load_images_from_zip_bytes,
)

__all__ = [
    "DataError",
    "ImageSet",
    "MIN_BATCH",
    "fit_config_to_data",
    "fitted_batch_size",
    "CROP_POLICY",
    "load_images",
    "describe_sources",
    "UserImageLimits",
    "load_images_from_folder",
    "load_images_from_zip",
    "load_images_from_zip_bytes",
]
