"""Data sources: keras datasets (from a temporary keras cache) and the embedded digits;
the user's own folders and zips are in test_user_images.py."""

from __future__ import annotations

import gzip
import pickle
import struct
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

from gan_core.data import DataError, describe_sources, load_images  # noqa: E402
from gan_core.data.dataset_files import read_cifar10_batch, read_mnist_npz  # noqa: E402
from gan_core.data.download_errors import download_failure  # noqa: E402

# ---------------------------------------------------------------- keras cache


@pytest.fixture
def keras_datasets(tmp_path, monkeypatch):
    """An empty keras cache, as if the app had been started with KERAS_HOME set to it.

    Keras reads KERAS_HOME once, at import, so the value it already read is moved too.
    """
    from keras.src.backend import config as keras_config

    home = tmp_path / "keras_home"
    home.mkdir()
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))
    datasets = home / "datasets"
    datasets.mkdir()
    return datasets


def _idx_gz(path, array: np.ndarray) -> None:
    # IDX: magic (0, 0, dtype 0x08 = ubyte, number of dimensions), then big-endian sizes
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    with gzip.open(path, "wb") as fh:
        fh.write(header + array.astype(np.uint8).tobytes())


def _write_fashion_mnist(datasets, train_images, train_labels):
    folder = datasets / "fashion-mnist"
    folder.mkdir()
    _idx_gz(folder / "train-images-idx3-ubyte.gz", train_images)
    _idx_gz(folder / "train-labels-idx1-ubyte.gz", train_labels)
    _idx_gz(folder / "t10k-images-idx3-ubyte.gz", train_images[:2])
    _idx_gz(folder / "t10k-labels-idx1-ubyte.gz", train_labels[:2])


def test_fashion_mnist_comes_from_the_keras_loader_reading_its_cache(keras_datasets):
    images = np.arange(6 * 28 * 28, dtype=np.uint32).reshape(6, 28, 28) % 251
    labels = np.array([9, 0, 3, 3, 7, 1])
    _write_fashion_mnist(keras_datasets, images, labels)

    data = load_images("fashion-mnist")

    assert data.name == "fashion-mnist"
    assert data.images.dtype == np.uint8 and data.images.shape == (6, 28, 28, 1)
    np.testing.assert_array_equal(data.images[..., 0], images)
    np.testing.assert_array_equal(data.labels, labels)


def test_damaged_cached_fashion_mnist_says_to_delete_it(keras_datasets):
    _write_fashion_mnist(keras_datasets, np.zeros((3, 28, 28)), np.zeros(3))
    (keras_datasets / "fashion-mnist" / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip")

    with pytest.raises(DataError, match="unreadable.*delete") as err:
        load_images("fashion-mnist")
    assert "\n" not in str(err.value)


def test_cached_mnist_npz_is_read_without_downloading(keras_datasets):
    x_train = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    y_train = np.array([1, 2, 3, 4, 5], dtype=np.uint8)
    np.savez(keras_datasets / "mnist.npz", x_train=x_train, y_train=y_train, x_test=x_train[:1], y_test=y_train[:1])

    data = load_images("mnist")

    assert data.images.shape == (5, 28, 28, 1) and data.images.dtype == np.uint8
    np.testing.assert_array_equal(data.images[..., 0], x_train)
    assert data.labels.tolist() == [1, 2, 3, 4, 5]


def test_mnist_npz_without_training_arrays_is_rejected(tmp_path):
    np.savez(tmp_path / "mnist.npz", images=np.zeros((2, 28, 28), dtype=np.uint8))
    with pytest.raises(DataError, match="x_train"):
        read_mnist_npz(tmp_path / "mnist.npz")


def _cifar_batch(labels: list[int], first_value: int) -> dict:
    """Image i has red = first_value + i, green = 100, blue = 200 everywhere, stored as
    CIFAR does: one row of 1024 red, 1024 green, 1024 blue values per image."""
    rows = [
        np.concatenate([np.full(1024, first_value + i), np.full(1024, 100), np.full(1024, 200)])
        for i in range(len(labels))
    ]
    return {
        b"batch_label": b"test batch",
        b"labels": list(labels),
        b"data": np.stack(rows).astype(np.uint8),
        b"filenames": [b"x.png"] * len(labels),
    }


def _write_cifar10(datasets) -> None:
    folder = datasets / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for batch in range(1, 6):
        with open(folder / f"data_batch_{batch}", "wb") as fh:
            # CIFAR's files are Python 2 pickles: protocol 2, bytes keys
            pickle.dump(_cifar_batch([6, 0, 6], first_value=10 * batch), fh, protocol=2)


def test_cifar10_class_is_picked_by_name_or_index(keras_datasets):
    _write_cifar10(keras_datasets)

    frogs = load_images("cifar10:frog")
    by_index = load_images("cifar10:6")

    assert frogs.name == "cifar10:frog" and by_index.name == "cifar10:frog"
    assert frogs.images.shape == (10, 32, 32, 3) and frogs.images.dtype == np.uint8
    assert set(frogs.labels.tolist()) == {6}
    np.testing.assert_array_equal(frogs.images, by_index.images)
    # batch 1's images 0 and 2 are frogs: red 10 and 12, then green 100 and blue 200 at every pixel
    assert frogs.images[0, 5, 7].tolist() == [10, 100, 200]
    assert frogs.images[1, 31, 0].tolist() == [12, 100, 200]


def test_whole_cifar10_keeps_every_class(keras_datasets):
    _write_cifar10(keras_datasets)
    data = load_images("cifar10")
    assert data.images.shape == (15, 32, 32, 3)
    assert sorted(set(data.labels.tolist())) == [0, 6]


def test_unknown_cifar10_class_lists_the_classes():
    with pytest.raises(DataError, match="airplane.*truck"):
        load_images("cifar10:pony")


class _RunsCode:
    def __reduce__(self):
        import os

        return os.system, ("echo hacked",)


def test_cifar_batch_that_tries_to_run_code_is_refused(tmp_path):
    with open(tmp_path / "data_batch_1", "wb") as fh:
        pickle.dump({b"data": _RunsCode(), b"labels": [0]}, fh, protocol=2)
    with pytest.raises(DataError, match="unreadable.*refusing to load"):
        read_cifar10_batch(tmp_path / "data_batch_1")


@pytest.fixture
def no_network(monkeypatch):
    """This machine offline for the test: every connection and name lookup fails as they do
    without a network (the socket calls urllib makes), so no download can start even where
    there is a network. Returns the list of hosts something tried to reach."""
    import errno
    import socket

    tried = []

    def refuse_connection(address, *args, **kwargs):
        tried.append(address[0])
        raise OSError(errno.ENETUNREACH, "Network is unreachable")

    def refuse_lookup(host, *args, **kwargs):
        tried.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "create_connection", refuse_connection)
    monkeypatch.setattr(socket, "getaddrinfo", refuse_lookup)
    return tried


@pytest.mark.parametrize("source", ["mnist", "fashion-mnist", "cifar10:frog"])
def test_offline_download_failure_names_the_embedded_default(keras_datasets, no_network, source):
    # nothing cached: keras really tries to download, and the network is blocked
    with pytest.raises(DataError) as err:
        load_images(source)
    assert no_network, "keras did not try to download"
    message = str(err.value)
    assert "\n" not in message
    assert "needs the internet the first time" in message and "mnist-5k" in message
    assert "looks offline" in message


# ---------------------------------------------------------------- why a download failed


def _raised(action) -> BaseException:
    try:
        action()
    except Exception as err:
        return err
    raise AssertionError("the action did not fail")


def _file_url(path) -> str:
    return Path(path).resolve().as_uri()


def test_a_checksum_mismatch_is_named_as_such(tmp_path):
    import keras

    (tmp_path / "served.npz").write_bytes(b"not the archive keras expects")
    err = _raised(
        lambda: keras.utils.get_file(
            "mnist.npz",
            origin=_file_url(tmp_path / "served.npz"),
            file_hash="0" * 64,
            cache_dir=str(tmp_path / "cache"),
        )
    )
    message = download_failure("mnist", err, tmp_path / "cache")
    assert "failed its checksum" in message and "try again" in message and "\n" not in message


def test_a_corrupt_archive_is_named_as_such(tmp_path):
    import io
    import tarfile

    import keras

    payload = np.random.default_rng(0).integers(0, 256, 200_000, dtype=np.uint8).tobytes()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("cifar-10-batches-py/data_batch_1")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    (tmp_path / "cifar.tar.gz").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])  # cut short
    err = _raised(
        lambda: keras.utils.get_file(
            "cifar.tar.gz", origin=_file_url(tmp_path / "cifar.tar.gz"), extract=True, cache_dir=str(tmp_path / "cache")
        )
    )
    message = download_failure("cifar10:frog", err, tmp_path / "cache")
    assert "archive is corrupt" in message and "delete its files" in message and "\n" not in message


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs the Linux /dev/full device")
def test_a_full_disk_is_named_as_such(tmp_path):
    def write_to_a_full_disk():
        with open("/dev/full", "wb") as fh:  # every write fails with ENOSPC, as on a full disk
            fh.write(b"x" * 65536)

    message = download_failure("fashion-mnist", _raised(write_to_a_full_disk), tmp_path)
    assert "the disk is full" in message and "free some space" in message and "\n" not in message


# ---------------------------------------------------------------- named sources


def test_embedded_digits_are_5000_with_500_per_class():
    data = load_images("mnist-5k")
    assert data.images.shape == (5000, 28, 28, 1) and data.images.dtype == np.uint8
    assert np.bincount(data.labels).tolist() == [500] * 10


def test_source_list_starts_with_the_offline_default():
    sources = describe_sources()
    assert list(sources)[0] == "mnist-5k"
    assert {"mnist", "fashion-mnist", "cifar10", "cifar10:frog"} <= set(sources)
    assert all(text and "\n" not in text for text in sources.values())


@pytest.mark.parametrize(
    "source, expected",
    [
        ("", "no data source given"),
        ("imagenet", "unknown data source 'imagenet'"),
        ("photos/missing", "no such folder or file"),
        ("missing.zip", "no such folder or file"),
    ],
)
def test_bad_source_names(source, expected):
    with pytest.raises(DataError, match=expected):
        load_images(source)
