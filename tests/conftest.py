import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest


@pytest.fixture(scope="session")
def digits():
    from gan_core.data import load_images
    return load_images("mnist-5k")


@pytest.fixture(scope="session")
def small_digits(digits):
    """640 digits, 64 of each class: 10 steps per epoch at batch 64."""
    import numpy as np
    from gan_core.data import ImageSet
    idx = np.concatenate([np.where(digits.labels == c)[0][:64] for c in range(10)])
    return ImageSet(digits.images[idx], digits.labels[idx], "small-digits")
