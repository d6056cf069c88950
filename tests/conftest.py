import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# No background trace of the default step in every app a test starts (and in this process):
# it would compete with the tests for the two cores. tests/test_prewarm.py turns it on.
os.environ.setdefault("GAN_LAB_PREWARM", "0")

import tempfile

import pytest


def pytest_configure(config):
    """Keep every cache and the default runs folder of the whole session (the quality judges, keras datasets) in a
    temporary folder, so no test reads or writes the user's real ~/.cache or ~/.keras, and
    no test passes only because another one filled a cache first. Subprocesses inherit it."""
    if not os.environ.get("GAN_LAB_TEST_CACHE"):
        root = tempfile.mkdtemp(prefix="gan-lab-test-cache-")
        os.environ["GAN_LAB_TEST_CACHE"] = root
        os.environ["GAN_LAB_CACHE"] = os.path.join(root, "gan-lab")
        os.environ["KERAS_HOME"] = os.path.join(root, "keras")
    # Runs, and what a server keeps beside them (the class's predictions), go to a folder of
    # the session's own unless a test names one: nothing a test writes outlives the session
    # or reaches the next one through the working directory's runs/.
    os.environ.setdefault("GAN_LAB_RUNS", os.path.join(os.environ["GAN_LAB_TEST_CACHE"], "runs"))


@pytest.fixture(scope="session")
def digits():
    from gan_core.data import load_images

    return load_images("mnist-5k")


@pytest.fixture(scope="session")
def small_digits(digits):
    """640 digits, 64 of each class: 20 steps per epoch at batch 64 (32 real images a step)."""
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


@pytest.fixture
def small_config():
    """The suite's small configuration factory (support.small_config): fast-demo with no time
    limit, `epochs` epochs (0: until stopped), a 2x2 grid and no quality meter, then overrides."""
    from support import small_config

    return small_config


@pytest.fixture
def wait_until():
    """The suite's one wait helper (support.wait_until): `wait_until(read, predicate, timeout,
    what)` polls `read()` until `predicate(value)` holds and returns that value."""
    from support import wait_until

    return wait_until
