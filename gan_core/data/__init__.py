"""Image data sources. Every source returns an `ImageSet` of uint8 images (N, H, W, C).

Source names: "mnist-5k" (embedded, offline), "mnist", "fashion-mnist",
"cifar10" or "cifar10:<class>" (through keras.datasets, online the first time),
or a path to a folder or a .zip of the user's own images.
"""
from gan_core.data.batch_fit import MIN_BATCH, fit_config_to_data, fitted_batch_size
from gan_core.data.image_decoding import CROP_POLICY
from gan_core.data.imageset import DataError, ImageSet
from gan_core.data.registry import describe_sources, load_images
from gan_core.data.user_images import (UserImageLimits, load_images_from_folder, load_images_from_zip,
                          load_images_from_zip_bytes)

__all__ = ["DataError", "ImageSet", "MIN_BATCH", "fit_config_to_data", "fitted_batch_size", "CROP_POLICY",
           "load_images", "describe_sources", "UserImageLimits",
           "load_images_from_folder", "load_images_from_zip", "load_images_from_zip_bytes"]
