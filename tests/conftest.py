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
    # A subset of the embedded digits, so it keeps their name: the name picks the quality judge.
    return ImageSet(digits.images[idx], digits.labels[idx], "mnist-5k")


@pytest.fixture
def open_page():
    """Run a page script once in AppTest and check it raised nothing; returns the AppTest."""
    def open_(path, timeout: float = 60):
        from streamlit.testing.v1 import AppTest
        at = AppTest.from_file(str(path), default_timeout=timeout)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at
    return open_
