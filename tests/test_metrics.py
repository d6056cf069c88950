"""Quality metrics with the real digit classifier: trained once per test session into a temporary cache."""

import json
import os
import shutil
import threading
from dataclasses import FrozenInstanceError
from pathlib import Path

import numpy as np
import pytest
import scipy.linalg

from gan_core.data import load_images
from gan_core.metrics import (
    GaussianFit,
    MetricsError,
    QualityReport,
    cache_dir,
    classifier_cache_path,
    frechet_distance,
    gaussian_fit,
    get_classifier,
    load_or_train_classifier,
    metrics_from_npy,
    quality_report,
)


@pytest.fixture(scope="session")
def classifier(tmp_path_factory):
    """The session's one trained classifier. Its cache starts out corrupt (a half-written file),
    so this training is also the proof that a corrupt cache is retrained rather than fatal."""
    previous = os.environ.get("GAN_LAB_CACHE")
    os.environ["GAN_LAB_CACHE"] = str(tmp_path_factory.mktemp("gan-lab-cache"))
    classifier_cache_path().parent.mkdir(parents=True, exist_ok=True)
    classifier_cache_path().write_bytes(b"PK\x03\x04 not really a keras archive")
    yield get_classifier()
    if previous is None:
        os.environ.pop("GAN_LAB_CACHE", None)
    else:
        os.environ["GAN_LAB_CACHE"] = previous


@pytest.fixture(scope="session")
def real_digits():
    real = load_images("mnist-5k")
    return real.images, real.labels


@pytest.fixture(scope="session")
def real_1000(real_digits):
    images, _ = real_digits
    return images[np.random.default_rng(7).choice(len(images), 1000, replace=False)]


@pytest.fixture(scope="session")
def real_report(classifier, real_1000):
    return quality_report(real_1000, classifier)


@pytest.fixture(scope="session")
def noise_report(classifier):
    noise = np.random.default_rng(3).integers(0, 256, size=(1000, 28, 28, 1), dtype=np.uint8)
    return quality_report(noise, classifier)


# --- the classifier and its cache -------------------------------------------------------------


def test_classifier_tells_held_out_digits_apart(classifier):
    assert classifier.validation_accuracy >= 0.95


def test_corrupt_cache_file_was_retrained_and_replaced(classifier):
    assert classifier.training_seconds is not None and not classifier.loaded_from_cache
    assert classifier.path == classifier_cache_path()
    assert classifier.path.read_bytes()[:4] == b"PK\x03\x04"
    assert b"not really" not in classifier.path.read_bytes()


def test_second_load_reads_the_cached_file_and_predicts_the_same(classifier, real_1000):
    again = load_or_train_classifier(classifier.path)
    assert again.loaded_from_cache
    assert again.validation_accuracy == pytest.approx(classifier.validation_accuracy)
    _, p1 = classifier.features_and_probabilities(real_1000[:50])
    _, p2 = again.features_and_probabilities(real_1000[:50])
    np.testing.assert_allclose(p1, p2, atol=1e-5)


def test_get_classifier_is_one_shared_instance_across_threads(classifier, tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_CACHE", str(tmp_path))
    shutil.copy(classifier.path, classifier_cache_path())
    got = []
    threads = [threading.Thread(target=lambda: got.append(get_classifier())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 4 and all(c is got[0] for c in got)
    assert got[0].loaded_from_cache and got[0] is not classifier
    assert get_classifier() is got[0]


def test_cache_folder_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GAN_LAB_CACHE", str(tmp_path / "explicit"))
    assert cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("GAN_LAB_CACHE")
    assert cache_dir() == tmp_path / "xdg" / "gan-hacks-lab"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == tmp_path / "home" / ".cache" / "gan-hacks-lab"
    assert classifier_cache_path().name.startswith("judge-mnist-v")
    assert classifier_cache_path().suffix == ".keras"


# --- the report -------------------------------------------------------------------------------


def test_real_digits_are_recognized_in_all_ten_classes_with_a_small_frechet_distance(real_report):
    assert real_report.n == 1000
    assert real_report.recognized_share >= 0.9
    assert real_report.classes_present == 10
    assert sum(real_report.class_histogram) == round(real_report.recognized_share * 1000)
    assert min(real_report.class_histogram) >= 50
    assert real_report.frechet_distance < 10
    assert real_report.reference_n == 2000 and real_report.reference_recognized_share >= 0.9


def test_uniform_noise_is_not_recognized_and_is_far_from_the_real_digits(noise_report, real_report):
    assert noise_report.recognized_share <= 0.05
    assert noise_report.frechet_distance > 20 * real_report.frechet_distance


def test_a_batch_of_ones_has_one_class_present(classifier, real_digits):
    images, labels = real_digits
    report = quality_report(images[labels == 1][:300], classifier)
    assert report.classes_present == 1
    assert int(np.argmax(report.class_histogram)) == 1
    assert report.frechet_distance > 10 * quality_report(images[::16][:300], classifier).frechet_distance


def test_a_few_stray_samples_do_not_count_as_a_class(classifier, real_digits):
    images, labels = real_digits
    ones, sevens = images[labels == 1][:400], images[labels == 7][:3]
    report = quality_report(np.concatenate([ones, sevens]), classifier)
    assert report.class_histogram[7] >= 1  # recognized, but under 1% of the batch
    assert report.classes_present == 1


def test_images_without_a_channel_axis_give_the_same_report(classifier, real_1000):
    with_axis = quality_report(real_1000[:200], classifier)
    without = quality_report(real_1000[:200, :, :, 0], classifier)
    assert without == with_axis


def test_report_is_frozen_and_serializes_to_json(real_report):
    data = json.loads(json.dumps(real_report.to_dict()))
    assert set(data) == {
        "meter",
        "judge",
        "n",
        "recognized_share",
        "classes_present",
        "classes_total",
        "class_histogram",
        "frechet_distance",
        "reference_n",
        "reference_recognized_share",
    }
    assert data["meter"] == "judge" and data["judge"] == "mnist"
    assert len(data["class_histogram"]) == 10 and all(isinstance(c, int) for c in data["class_histogram"])
    with pytest.raises(FrozenInstanceError):
        real_report.frechet_distance = 0.0
    assert isinstance(real_report, QualityReport)


@pytest.mark.parametrize(
    "images, words",
    [
        (np.zeros((10, 32, 32, 3), np.uint8), "28x28 grayscale images"),
        (np.zeros((10, 28, 28, 3), np.uint8), "28x28 grayscale images"),
        (np.zeros((28, 28), np.uint8), "28x28 grayscale images"),
        (np.zeros((10, 28, 28, 1), np.float32), "uint8"),
        (np.zeros((1, 28, 28, 1), np.uint8), "at least 2 images"),
        (np.zeros((0, 28, 28), np.uint8), "at least 2 images"),
        ([[0] * 28] * 28, "numpy array"),
    ],
)
def test_bad_inputs_get_a_one_line_metrics_error(images, words):
    with pytest.raises(MetricsError, match=words) as err:
        quality_report(images)  # rejected before any classifier is needed
    assert "\n" not in str(err.value)


# --- the Fréchet distance -----------------------------------------------------------------------


def test_frechet_distance_of_known_gaussians():
    one_d = frechet_distance(
        GaussianFit(np.array([0.0]), np.array([[1.0]])), GaussianFit(np.array([3.0]), np.array([[4.0]]))
    )
    assert one_d == pytest.approx(9 + 1 + 4 - 2 * 2)


def test_frechet_distance_agrees_with_scipy_sqrtm_and_is_zero_for_identical_fits():
    rng = np.random.default_rng(0)
    a, b = (
        gaussian_fit(rng.normal(size=(300, 8))),
        gaussian_fit(rng.normal(1.0, 2.0, size=(300, 8)) @ rng.normal(size=(8, 8))),
    )
    covmean = scipy.linalg.sqrtm(a.cov @ b.cov).real
    expected = np.sum((a.mean - b.mean) ** 2) + np.trace(a.cov) + np.trace(b.cov) - 2 * np.trace(covmean)
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-6)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)


def test_frechet_distance_handles_singular_covariances():
    rng = np.random.default_rng(1)
    few = gaussian_fit(rng.normal(size=(5, 32)))  # rank 4 in 32 dimensions
    dead = gaussian_fit(np.zeros((50, 32)))  # all features zero
    d = frechet_distance(few, dead)
    assert np.isfinite(d) and d == pytest.approx(np.sum(few.mean**2) + np.trace(few.cov))


# --- the CLI's .npy entry point -----------------------------------------------------------------


def test_metrics_from_npy_reports_on_saved_digits(classifier, real_1000, tmp_path):
    path = tmp_path / "samples.npy"
    np.save(path, real_1000[:300])
    report = metrics_from_npy(path)
    assert report == quality_report(real_1000[:300], classifier).to_dict()
    json.dumps(report)


def _write_text(path: Path) -> Path:
    path.write_text("not numbers")
    return path


def _write_npz(path: Path) -> Path:
    np.savez(path, images=np.zeros((4, 28, 28), np.uint8))
    return path


def _write_objects(path: Path) -> Path:
    np.save(path, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    return path


def _write_floats(path: Path) -> Path:
    np.save(path, np.zeros((4, 28, 28, 1), np.float32))
    return path


def _write_rgb(path: Path) -> Path:
    np.save(path, np.zeros((4, 32, 32, 3), np.uint8))
    return path


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda p: p / "missing.npy", "no such file"),
        (lambda p: p, "not a file"),
        (lambda p: _write_text(p / "notes.npy"), "not a readable .npy"),
        (lambda p: _write_npz(p / "bundle.npz"), "npz archive"),
        (lambda p: _write_objects(p / "objects.npy"), "not a readable .npy"),
        (lambda p: _write_floats(p / "floats.npy"), "uint8"),
        (lambda p: _write_rgb(p / "rgb.npy"), "28x28 grayscale images"),
    ],
)
def test_metrics_from_npy_rejects_bad_files_in_one_line(make, words, tmp_path):
    path = make(tmp_path)
    with pytest.raises(MetricsError, match=words) as err:
        metrics_from_npy(path)
    assert "\n" not in str(err.value)
