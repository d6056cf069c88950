"""Latent math, and finding / loading / running generators with real Keras models on disk."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

from gan_core.config.presets import preset  # noqa: E402
from gan_core.generators.latent import (  # noqa: E402
    angle_between,
    lerp,
    nearest_real,
    random_directions,
    sample_latent,
    slerp,
    vector_arithmetic,
    walk_2d,
)

DIM = 100


def save_tiny_generator(folder, config=None, activation="tanh"):
    """A real (untrained) generator: Dense -> Reshape -> Conv2DTranspose -> tanh, 28x28x1, latent 100."""
    import keras

    folder.mkdir(parents=True, exist_ok=True)
    z = keras.Input((DIM,))
    x = keras.layers.Dense(7 * 7 * 4)(z)
    x = keras.layers.Reshape((7, 7, 4))(x)
    x = keras.layers.Conv2DTranspose(1, 4, strides=4, padding="same", activation=activation)(x)
    keras.Model(z, x).save(str(folder / "generator.keras"))
    (folder / "config.json").write_text((config or preset("dcgan-hacks")).to_json())
    return folder / "generator.keras"


# -- sampling ---------------------------------------------------------------------------


def test_gaussian_samples_look_standard_normal_and_repeat_with_the_seed():
    z = sample_latent(7, 2000, DIM, "gaussian")
    assert z.shape == (2000, DIM) and z.dtype == np.float32
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1.0) < 0.02
    assert np.array_equal(z, sample_latent(7, 2000, DIM, "gaussian"))
    assert not np.array_equal(z, sample_latent(8, 2000, DIM, "gaussian"))


def test_uniform_samples_stay_in_minus_one_to_one():
    z = sample_latent(3, 1000, DIM, "uniform")
    assert z.min() >= -1.0 and z.max() <= 1.0
    assert z.min() < -0.99 and z.max() > 0.99  # fills the interval, not a narrower one


def test_unknown_distribution_is_a_one_line_error():
    with pytest.raises(ValueError, match="gaussian, uniform"):
        sample_latent(0, 1, DIM, "cauchy")


# -- interpolation ----------------------------------------------------------------------


@pytest.mark.parametrize("path", [lerp, slerp])
def test_interpolations_hit_both_ends_exactly(path):
    a, b = sample_latent(1, 2, DIM, "gaussian")
    frames = path(a, b, 10)
    assert frames.shape == (10, DIM)
    assert np.array_equal(frames[0], a) and np.array_equal(frames[-1], b)


def test_slerp_norms_stay_between_the_ends_norms_while_lerp_dips_inside():
    a, b = sample_latent(2, 2, DIM, "gaussian")
    b = b * 1.3  # different radii
    lo, hi = sorted([np.linalg.norm(a), np.linalg.norm(b)])
    s_norms = np.linalg.norm(slerp(a, b, 21), axis=1)
    assert np.all(s_norms >= lo - 1e-4) and np.all(s_norms <= hi + 1e-4)
    assert np.linalg.norm(lerp(a, b, 21)[10]) < lo * 0.9  # the straight midpoint falls inside the shell


def test_slerp_frames_are_evenly_spaced_in_angle():
    a, b = sample_latent(4, 2, DIM, "gaussian")
    frames = slerp(a, b, 9)
    steps = [angle_between(frames[i], frames[i + 1]) for i in range(8)]
    assert np.allclose(steps, angle_between(a, b) / 8, atol=1e-5)


def test_slerp_of_parallel_points_is_the_straight_line():
    a = sample_latent(5, 1, DIM, "gaussian")[0]
    np.testing.assert_allclose(slerp(a, 2 * a, 5), lerp(a, 2 * a, 5), rtol=1e-6)
    assert np.all(np.isfinite(slerp(a, -a, 5)))


def test_interpolation_needs_two_steps():
    a, b = sample_latent(1, 2, DIM, "gaussian")
    with pytest.raises(ValueError, match="at least 2 steps"):
        slerp(a, b, 1)


# -- directions, walks, arithmetic ------------------------------------------------------


def test_random_directions_are_orthonormal_and_can_start_from_a_given_one():
    d = random_directions(0, DIM, 2)
    np.testing.assert_allclose(d @ d.T, np.eye(2), atol=1e-6)
    toward = np.arange(DIM, dtype=np.float32)
    d = random_directions(0, DIM, 2, first=toward)
    np.testing.assert_allclose(d[0], toward / np.linalg.norm(toward), rtol=1e-5)
    assert abs(float(d[0] @ d[1])) < 1e-6


def test_walk_grid_centre_is_the_chosen_point_and_axes_move_by_the_step():
    center = sample_latent(9, 1, DIM, "gaussian")[0]
    u, v = random_directions(1, DIM, 2)
    grid = walk_2d(center, u, v, 0.5, 5)
    assert grid.shape == (5, 5, DIM)
    assert np.array_equal(grid[2, 2], center)
    np.testing.assert_allclose(grid[2, 3] - grid[2, 2], 0.5 * u, atol=1e-5)  # columns along u
    np.testing.assert_allclose(grid[3, 2] - grid[2, 2], 0.5 * v, atol=1e-5)  # rows along v


def test_vector_arithmetic_is_mean_a_minus_mean_b_plus_mean_c():
    a = np.array([[1.0, 0.0], [3.0, 0.0]])
    b = np.array([[0.0, 2.0]])
    c = np.array([[1.0, 1.0], [1.0, 3.0], [1.0, 2.0]])
    np.testing.assert_allclose(vector_arithmetic(a, b, c), [2.0 - 0.0 + 1.0, 0.0 - 2.0 + 2.0])
    with pytest.raises(ValueError, match="group B"):
        vector_arithmetic(a, np.zeros((0, 2)), c)


# -- nearest real image -----------------------------------------------------------------


def test_nearest_real_finds_the_copied_image_at_distance_zero():
    rng = np.random.default_rng(0)
    reals = rng.integers(0, 256, (50, 28, 28, 1), dtype=np.uint8)
    samples = reals[[17, 3]].copy()
    samples[1, 0, 0, 0] ^= 255  # one pixel changed: still nearest, distance small but not zero
    idx, dist = nearest_real(samples, reals)
    assert idx.tolist() == [17, 3]
    assert dist[0] == pytest.approx(0.0, abs=1e-3) and 0.0 < dist[1] <= 1.0 + 1e-6


def test_nearest_real_by_features_uses_the_given_features():
    reals = np.zeros((3, 28, 28, 1), np.uint8)
    samples = np.zeros((1, 28, 28, 1), np.uint8)
    idx, dist = nearest_real(
        samples,
        reals,
        "features",
        sample_features=np.array([[0.0, 2.0]]),
        real_features=np.array([[5.0, 5.0], [0.0, 1.0], [9.0, 0.0]]),
    )
    assert idx.tolist() == [1] and dist[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="needs sample_features"):
        nearest_real(samples, reals, "features")


# -- generators on disk -----------------------------------------------------------------

from gan_core.generators.running import generate, interpolation_strip, interpolation_strip_seconds  # noqa: E402
from gan_core.generators.source import (  # noqa: E402
    GeneratorError,
    list_run_sources,
    load_generator,
    load_uploaded_generator,
    pretrained_source,
)


def test_pretrained_source_loads_and_generates_uint8_images(tmp_path, monkeypatch):
    save_tiny_generator(tmp_path / "pre")
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "pre"))
    model, source = load_generator(pretrained_source())
    assert (source.latent_dim, source.image_shape, source.tanh_output) == (DIM, (28, 28, 1), True)
    images = generate(model, sample_latent(0, 40, DIM, source.latent_distribution), source.tanh_output)
    assert images.shape == (40, 28, 28, 1) and images.dtype == np.uint8
    assert images.std() > 0  # real outputs, not padding


def test_generate_gives_the_same_image_for_a_point_alone_or_in_a_batch(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(save_tiny_generator(tmp_path).parent))
    model, source = load_generator(pretrained_source())
    z = sample_latent(1, 5, DIM, "gaussian")
    together = generate(model, z, True)
    alone = generate(model, z[3], True)
    assert np.abs(together[3].astype(int) - alone[0].astype(int)).max() <= 1


def test_missing_pretrained_generator_is_a_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "nothing"))
    with pytest.raises(GeneratorError, match="no pretrained generator"):
        pretrained_source()


def test_uploaded_generator_loads_and_reads_sigmoid_output_from_its_last_layer(tmp_path):
    path = save_tiny_generator(tmp_path, activation="sigmoid")
    model, source = load_uploaded_generator(path.read_bytes(), "mine.keras")
    assert source.config is None and source.latent_distribution == "gaussian"
    assert source.tanh_output is False and source.image_shape == (28, 28, 1)
    assert any("sigmoid" in note for note in source.assumptions)


def test_uploaded_classifier_is_not_a_generator(tmp_path):
    import keras

    classifier = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    classifier.save(str(tmp_path / "clf.keras"))
    with pytest.raises(
        GeneratorError,
        match=r"not a generator: it takes \(batch, 28, 28, 1\) "
        r"and returns \(batch, 10\)",
    ) as err:
        load_uploaded_generator((tmp_path / "clf.keras").read_bytes(), "clf.keras")
    assert "\n" not in str(err.value)


def _zip_with_a_text_file() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("notes.txt", "a zip, but no model inside")
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"PK\x03\x04 this is not a zip", "broken.keras", "not a .keras zip archive"),
        (_zip_with_a_text_file(), "other.keras", "could not be read as a Keras model"),
        (b"\x00" * 64, "weights.h5", "not a .keras file"),
        (b"", "empty.keras", "is empty"),
    ],
)
def test_bad_uploads_are_one_line_errors(data, name, message):
    with pytest.raises(GeneratorError, match=message) as err:
        load_uploaded_generator(data, name)
    assert "\n" not in str(err.value)


def test_run_listing_is_newest_first_and_skips_broken_runs(tmp_path):
    runs = tmp_path / "runs"
    old = save_tiny_generator(runs / "old")
    new = save_tiny_generator(runs / "new", config=preset("no-hacks"))
    os.utime(old, (time.time() - 100, time.time() - 100))
    (runs / "starting").mkdir()
    (runs / "starting" / "config.json").write_text(preset("dcgan-hacks").to_json())  # no generator yet
    save_tiny_generator(runs / "bad-config")
    (runs / "bad-config" / "config.json").write_text(json.dumps({"model": {"latent_dim": "many"}}))
    (runs / "stray-file.txt").write_text("not a run")
    sources = list_run_sources(runs)
    assert [s.name for s in sources] == ["new", "old"]
    assert sources[0].path == new and sources[0].latent_distribution == "uniform"
    assert sources[0].tanh_output is False
    assert list_run_sources(tmp_path / "no-such-folder") == []


def test_interpolation_strip_is_one_picture_of_all_frames(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(save_tiny_generator(tmp_path).parent))
    model, source = load_generator(pretrained_source())
    a, b = sample_latent(0, 2, DIM, "gaussian")
    frames, strip = interpolation_strip(model, source, a, b, 16, spherical=True, scale=2)
    assert frames.shape == (16, 28, 28, 1)
    assert strip.shape[1] > 16 * 28 * 2 and strip.shape[0] < 2 * 28 * 2 + 10
    assert interpolation_strip_seconds(source, frames=16, repeats=1) > 0
