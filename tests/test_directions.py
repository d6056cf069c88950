"""Discovered directions (GANSpace) on the shipped pretrained generator and small real Keras models."""

from __future__ import annotations

import numpy as np
import pytest

from gan_core.generators.directions import (
    MAX_COMPONENTS,
    N_SAMPLES,
    DirectionsError,
    discover,
    early_layer,
    layer_features,
)
from gan_core.generators.running import generate
from gan_core.generators.source import GeneratorSource, load_generator, pretrained_source


@pytest.fixture(scope="module")
def pretrained():
    return load_generator(pretrained_source())


@pytest.fixture(scope="module")
def found(pretrained):
    return discover(*pretrained)


def small_source(latent_dim: int, classes: int = 0, distribution: str = "gaussian") -> GeneratorSource:
    return GeneratorSource("small", None, None, latent_dim, distribution, True, (8, 8, 1), classes=classes)


def dense_generator(latent_dim: int = 16, width: int = 64, batch_norm: bool = True, sequential: bool = False):
    """A real (untrained) DCGAN-like generator: Dense -> [BN -> LeakyReLU] -> Reshape -> conv -> tanh, 8x8x1."""
    import keras

    layers = [keras.layers.Dense(width, name="seed")]
    if batch_norm:
        layers += [keras.layers.BatchNormalization(name="seed_bn"), keras.layers.LeakyReLU(0.2, name="seed_act")]
    layers += [
        keras.layers.Reshape((4, 4, width // 16)),
        keras.layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh", name="head"),
    ]
    if sequential:
        return keras.Sequential([keras.Input((latent_dim,)), *layers])
    z = keras.Input((latent_dim,))
    x = z
    for layer in layers:
        x = layer(x)
    return keras.Model(z, x)


def test_pretrained_directions_are_ten_unit_distinct_latent_vectors_ordered_by_variance(pretrained, found):
    model, source = pretrained
    assert found.layer == "g_03_leaky_relu"  # the dense seed after its batch norm and LeakyReLU
    assert found.samples == N_SAMPLES and found.features == found.layer_features == 7 * 7 * 64
    assert found.vectors.shape == (MAX_COMPONENTS, source.latent_dim)  # the noise part only, no class code
    np.testing.assert_allclose(np.linalg.norm(found.vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.abs(found.vectors @ found.vectors.T - np.eye(found.count))
    assert cosines.max() < 0.3  # distinct; regression directions need not be exactly orthogonal
    share = found.variance_share
    assert np.all(np.diff(share) <= 0) and 0 < share.sum() < 1
    assert share[0] > 1.5 * share[1]  # the first direction stands out
    np.testing.assert_allclose(found.sigmas, 1.0, atol=0.1)  # a Gaussian latent: 1 along any unit direction


def test_the_same_seed_gives_the_same_directions_and_another_seed_close_ones(pretrained, found):
    again = discover(*pretrained)
    np.testing.assert_array_equal(again.vectors, found.vectors)
    np.testing.assert_array_equal(again.variance_share, found.variance_share)
    other = discover(*pretrained, seed=1)
    assert not np.array_equal(other.vectors, found.vectors)
    # The leading direction is a property of the generator, not of the samples (sign aside).
    assert abs(float(other.vectors[0] @ found.vectors[0])) > 0.9


def test_moving_along_direction_1_changes_the_image_more_than_a_random_direction(pretrained, found):
    model, source = pretrained
    z = source.latent(5, 32)
    step = 3.0 * found.sigmas[0]
    rng = np.random.default_rng(0)
    randoms = rng.standard_normal((8, source.latent_dim))
    randoms /= np.linalg.norm(randoms, axis=1, keepdims=True)

    def change(moved):
        """Mean change of the early layer (what the PCA ranks) and of the pixels (what a student sees)."""
        act = np.linalg.norm(layer_features(model, moved) - layer_features(model, z), axis=1).mean()
        pix = np.abs(generate(model, moved, source.pixel_range) - generate(model, z, source.pixel_range).astype(float))
        return act, pix.mean()

    along = change(found.move(z, [3.0]))
    for v in randoms:  # the same step length along a random unit direction
        moved = z.copy()
        moved[:, : source.latent_dim] += step * v
        act, pix = change(moved)
        assert along[0] > 2 * act and along[1] > 2 * pix


def test_move_shifts_the_noise_by_amount_times_sigma_and_keeps_the_class_code(found, pretrained):
    _, source = pretrained
    z = source.latent(0, 4)  # classes 0..3 in the last 10 entries
    moved = found.move(z, [0.0, 2.0])
    np.testing.assert_array_equal(moved[:, source.latent_dim :], z[:, source.latent_dim :])
    np.testing.assert_allclose(
        moved[:, : source.latent_dim] - z[:, : source.latent_dim],
        np.tile(2.0 * found.sigmas[1] * found.vectors[1], (4, 1)),
        atol=1e-5,
    )
    np.testing.assert_array_equal(found.move(z[0], np.zeros(found.count)), z[0])
    with pytest.raises(ValueError, match="latent points must have 110 entries"):
        found.move(z[:, :100], [1.0])
    with pytest.raises(ValueError, match="at most 10 finite amounts"):
        found.move(z, [np.nan])


def test_the_layer_rule_reads_the_seed_after_its_per_feature_layers_or_the_bare_dense():
    assert early_layer(dense_generator()).name == "seed_act"
    assert early_layer(dense_generator(sequential=True)).name == "seed_act"
    assert early_layer(dense_generator(batch_norm=False)).name == "seed"


def test_a_sequential_conditional_generator_with_a_uniform_latent_works(tmp_path):
    model = dense_generator(latent_dim=12 + 3, sequential=True)
    found = discover(model, small_source(12, classes=3, distribution="uniform"), count=5, n_samples=600)
    assert found.vectors.shape == (5, 12) and found.classes == 3
    np.testing.assert_allclose(found.sigmas, 1 / np.sqrt(3), atol=0.1)  # U[-1, 1] has std 1/sqrt(3)


def test_a_wide_layer_is_read_through_a_seeded_subset_of_its_features():
    model = dense_generator(width=256)
    z = small_source(16).latent(0, 50)
    y = layer_features(model, z, max_features=40)
    assert y.shape == (50, 40)
    np.testing.assert_array_equal(y, layer_features(model, z, max_features=40))
    full = layer_features(model, z)
    assert y.shape[1] < full.shape[1] == 256 and np.isin(y[0], full[0]).all()


def test_a_huge_early_layer_is_refused_before_the_model_runs(monkeypatch):
    import gan_core.generators.directions as directions

    monkeypatch.setattr(directions, "MAX_LAYER_FEATURES", 63)
    with pytest.raises(DirectionsError, match="its early layer seed_act has 64 features; .* at most 63"):
        discover(dense_generator(), small_source(16), n_samples=100)


def test_a_generator_whose_first_layer_ignores_z_has_no_directions():
    model = dense_generator(batch_norm=False)
    seed = model.get_layer("seed")
    seed.set_weights([np.zeros_like(w) for w in seed.get_weights()])
    with pytest.raises(DirectionsError, match="does not vary with its latent input"):
        discover(model, small_source(16), n_samples=200)
