"""The later model and optimizer hacks on real Keras models: spectral normalization, the
minibatch-stddev channel, dropout in G at sampling time, the moving average of G, SGD for D."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_core.config.browser import browser_override
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.generators.meta import read_meta
from gan_core.generators.running import generate
from gan_core.hacks.ema import ema_update, warmed_up_decay
from gan_core.nets.hack_layers import MinibatchStdDev, SamplingDropout, largest_singular_value, minibatch_stddev
from gan_core.nets.models import build_discriminator, build_generator
from gan_core.step.gan_step import GanStep
from gan_core.store.checkpoint import TRAINED_GENERATOR, restore_checkpoint, write_checkpoint

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

SHAPE = (28, 28, 1)


def small(*overrides: str) -> TrainConfig:
    return TrainConfig().with_overrides(["model.base_filters=8", "run.batch_size=16", *overrides]).validated()


def images(n: int = 64) -> np.ndarray:
    return (np.random.default_rng(0).random((n, *SHAPE)) * 255).astype(np.uint8)


def load(path):
    from gan_core.nets.saved_layers import register_saved_layers

    register_saved_layers()
    return keras.models.load_model(path, safe_mode=True, compile=False)


# -- spectral normalization --------------------------------------------------------------
def test_spectral_norm_brings_every_d_kernels_largest_singular_value_to_one():
    cfg = small("model.spectral_norm=true", "model.d_extra_conv=true")
    d = build_discriminator(cfg.model, SHAPE)
    wrapped = [layer for layer in d.layers if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(wrapped) == 4  # three convs and the logit
    for layer in wrapped:  # make the kernels far from 1 first
        layer.kernel.assign(layer.kernel * 50.0)
    assert all(largest_singular_value(layer.kernel) > 2.0 for layer in wrapped)
    x = tf.random.normal((8, *SHAPE), seed=1)
    for _ in range(30):  # one power iteration per training call
        d(x, training=True)
    for layer in wrapped:
        assert largest_singular_value(layer.kernel) == pytest.approx(1.0, abs=0.05), layer.name


def test_spectral_norm_d_trains_in_bf16_and_survives_save_and_load(tmp_path):
    step = GanStep(small("model.spectral_norm=true", "run.precision=bf16"), images())
    for _ in range(3):
        metrics = step.step().numpy()
    assert np.isfinite(metrics).all() and step.traces == 1
    step.discriminator.save(tmp_path / "d.keras")
    loaded = load(tmp_path / "d.keras")
    x = tf.random.normal((4, *SHAPE), seed=2)
    np.testing.assert_allclose(loaded(x, training=False), step.discriminator(x, training=False), atol=1e-2)


# -- minibatch standard deviation --------------------------------------------------------
def test_minibatch_stddev_value_on_a_known_batch():
    x = np.zeros((8, 2, 2, 3), np.float32)
    x[0:4:2], x[1:4:2] = 1.0, 3.0  # first group of 4: each feature is 1 or 3, std 1
    x[4:] = 7.0  # second group: all alike, std ~0
    out = minibatch_stddev(tf.constant(x)).numpy()
    assert out.shape == (8, 2, 2, 1)
    np.testing.assert_allclose(out[:4], 1.0, atol=1e-5)
    np.testing.assert_allclose(out[4:], 0.0, atol=1e-3)
    layer_out = MinibatchStdDev()(tf.constant(x)).numpy()
    assert layer_out.shape == (8, 2, 2, 4)
    np.testing.assert_array_equal(layer_out[..., :3], x)


def test_minibatch_stddev_takes_a_batch_not_divisible_by_the_group():
    x = tf.constant(np.arange(6 * 1 * 1 * 1, dtype=np.float32).reshape(6, 1, 1, 1))
    out = minibatch_stddev(x).numpy().ravel()
    np.testing.assert_allclose(out[:4], np.std([0, 1, 2, 3]), rtol=1e-4)
    np.testing.assert_allclose(out[4:], 0.5, rtol=1e-4)  # the last group is images 4 and 5
    with pytest.raises(ValueError, match="group size"):
        minibatch_stddev(x, group_size=0)


def test_minibatch_stddev_in_d_adds_one_channel_and_loads_back(tmp_path):
    d = build_discriminator(small("model.minibatch_stddev=true").model, SHAPE)
    layer = next(layer for layer in d.layers if isinstance(layer, MinibatchStdDev))
    assert layer.output.shape[-1] == layer.input.shape[-1] + 1
    d.save(tmp_path / "d.keras")
    x = tf.random.normal((8, *SHAPE), seed=3)
    np.testing.assert_allclose(load(tmp_path / "d.keras")(x), d(x), atol=1e-5)


# -- dropout in G at sampling time --------------------------------------------------------
def test_g_dropout_makes_the_same_z_draw_different_images_also_after_save_and_load(tmp_path):
    z = np.repeat(np.random.default_rng(4).standard_normal((1, 100)).astype(np.float32), 2, axis=0)
    plain = build_generator(small().model, SHAPE)
    same = generate(plain, z, True)
    np.testing.assert_array_equal(same[0], same[1])  # without it, same z, same image

    g = build_generator(small("model.g_dropout=0.5").model, SHAPE)
    assert any(isinstance(layer, SamplingDropout) for layer in g.layers)
    drawn = generate(g, z, True)
    assert np.abs(drawn[0].astype(int) - drawn[1].astype(int)).max() > 0
    g.save(tmp_path / "g.keras")
    loaded = load(tmp_path / "g.keras")
    again = generate(loaded, z, True)
    assert np.abs(again[0].astype(int) - again[1].astype(int)).max() > 0


# -- moving average of G ------------------------------------------------------------------
def test_ema_weights_equal_the_hand_computed_average_and_draw_the_samples():
    step = GanStep(small("run.ema_decay=0.9"), images())
    expected = [w.numpy().copy() for w in step.generator.trainable_variables]
    for t in range(4):
        step.step()
        decay = warmed_up_decay(0.9, t)
        expected = [ema_update(e, w.numpy(), decay) for e, w in zip(expected, step.generator.trainable_variables)]
    assert step.traces == 1
    for e, a in zip(expected, step.ema.average.trainable_variables):
        np.testing.assert_allclose(a.numpy(), e, rtol=1e-5, atol=1e-6)
    # The average is not G, and it is what draws the grid and quality samples.
    assert any(
        not np.allclose(a.numpy(), g.numpy())
        for a, g in zip(step.ema.average.trainable_variables, step.generator.trainable_variables)
    )
    z = np.random.default_rng(5).standard_normal((4, 100)).astype(np.float32)
    np.testing.assert_allclose(step.generate(z), step.ema.average(z, training=False).numpy(), atol=1e-6)


def test_warm_up_keeps_a_short_runs_average_near_g():
    assert warmed_up_decay(0.999, 0) == pytest.approx(0.1)
    assert warmed_up_decay(0.999, 10_000) == 0.999


def test_ema_checkpoint_publishes_the_average_and_resumes_both(tmp_path):
    cfg = small("run.ema_decay=0.99")
    step = GanStep(cfg, images())
    for _ in range(3):
        step.step()
    meta = {"step": 3, "hacks": {}, "latent_distribution": "gaussian", "tanh_output": True, "latent_dim": 100}
    folder = write_checkpoint(tmp_path, step, {"step": 3}, meta)
    assert (folder / TRAINED_GENERATOR).exists() and read_meta(folder / "generator.keras") is not None
    published = load(folder / "generator.keras")
    for p, a in zip(published.get_weights(), step.ema.average.get_weights()):
        np.testing.assert_array_equal(p, a)

    fresh = GanStep(cfg, images())
    restore_checkpoint(folder, fresh)
    for mine, theirs in ((fresh.generator, step.generator), (fresh.ema.average, step.ema.average)):
        for x, y in zip(mine.get_weights(), theirs.get_weights()):
            np.testing.assert_array_equal(x, y)
    assert fresh.ema.updates.numpy() == 3


# -- SGD for D ----------------------------------------------------------------------------
def test_sgd_d_takes_plain_gradient_steps_at_d_learning_rate():
    step = GanStep(small("optimizer.d_optimizer=sgd", "optimizer.d_learning_rate=0.002"), images())
    assert isinstance(step.d_optimizer, keras.optimizers.SGD)
    assert isinstance(step.g_optimizer, keras.optimizers.Adam)
    assert float(step.d_optimizer.learning_rate.numpy()) == pytest.approx(0.002)
    # Plain SGD keeps no moments: a step is w - lr * grad, checked on D's logit layer.
    var = step.discriminator.trainable_variables[-1]
    before = var.numpy().copy()
    grad = tf.ones_like(var)
    step.d_optimizer.apply_gradients([(grad, var)])
    np.testing.assert_allclose(var.numpy(), before - 0.002, rtol=1e-5)
    step.step()  # and it trains inside the compiled step


# -- the keys, from the CLI's --set and from a browser --------------------------------------
@pytest.mark.parametrize(
    "pair",
    [
        "optimizer.d_optimizer=sgd",
        "model.g_dropout=0.5",
        "model.minibatch_stddev=true",
        "model.spectral_norm=true",
        "run.ema_decay=0.999",
    ],
)
def test_each_key_is_taken_by_set_and_by_compare_overrides(pair):
    key, _, value = pair.partition("=")
    assert TrainConfig().with_overrides([pair]).validated() == browser_override(TrainConfig(), key, value).validated()


@pytest.mark.parametrize(
    "pair, message",
    [
        ("optimizer.d_optimizer=rmsprop", "optimizer.d_optimizer must be 'adam' or 'sgd'"),
        ("model.g_dropout=0.9", "model.g_dropout must be in [0, 0.7]"),
        ("run.ema_decay=0.3", "run.ema_decay must be 0 (off) or in [0.5, 1)"),
        ("run.ema_decay=1", "run.ema_decay must be 0 (off) or in [0.5, 1)"),
        ("model.spectral_norm=maybe", "model.spectral_norm must be true/false"),
    ],
)
def test_bad_values_get_one_line(pair, message):
    with pytest.raises(ConfigError) as err:
        TrainConfig().with_overrides([pair]).validated()
    assert message in str(err.value) and "\n" not in str(err.value)


# -- the 2D playground --------------------------------------------------------------------
def test_toy_spectral_norm_keeps_every_d_kernel_at_singular_value_one():
    from gan_core.toy import builtin_dataset
    from gan_core.toy.config import ToyConfig
    from gan_core.toy.trainer import ToyTrainer

    cfg = ToyConfig().with_overrides(
        ["model.spectral_norm=true", "run.batch_size=64", "model.d_hidden=16", "model.hidden=16"]
    )
    trainer = ToyTrainer(cfg, builtin_dataset("ring"))
    trainer.run(30)
    wrapped = [layer for layer in trainer.discriminator.layers if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(wrapped) == cfg.model.depth + 1
    for layer in wrapped:
        assert largest_singular_value(layer.kernel) == pytest.approx(1.0, abs=0.1), layer.name


def test_toy_d_optimizer_switches_d_alone_live():
    from gan_core.toy import builtin_dataset
    from gan_core.toy.config import ToyConfig
    from gan_core.toy.trainer import ToyTrainer

    cfg = ToyConfig().with_overrides(["run.batch_size=64", "model.d_hidden=16", "model.hidden=16"])
    trainer = ToyTrainer(cfg, builtin_dataset("ring"))
    assert bool(trainer._d_opt.use_adam.numpy()) and bool(trainer._g_opt.use_adam.numpy())
    trainer.apply_live(cfg.with_value("optimizer.d_optimizer", "sgd"))
    assert not trainer._d_opt.use_adam.numpy() and trainer._g_opt.use_adam.numpy()
    trainer.run(3)
    with pytest.raises(ConfigError, match="optimizer.d_optimizer must be 'same', 'adam' or 'sgd'"):
        cfg.with_value("optimizer.d_optimizer", "rmsprop").validated()
