"""The step's cheaper kernels do what Keras' own do: D's dropout masks from 16-bit draws
(Dropout16), Adam's update as one fused kernel (FusedAdam) and the LeakyReLU whose gradient
reads its output (FusableLeakyReLU), which saved models replace by Keras' own."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_core.nets.fast_dropout import Dropout16
from gan_core.nets.fusable_leaky_relu import FusableLeakyReLU
from gan_core.step.optimizers import FusedAdam
from gan_core.store.checkpoint import write_checkpoint

from traced_graph import traced_ops

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def test_dropout16_keeps_the_share_keras_keeps_and_scales_as_keras_does():
    x = tf.ones([64, 6272])
    out = Dropout16(0.4, seed=3)(x, training=True).numpy()
    kept = out != 0
    # 401,408 units: the kept share's standard error is ~0.0008.
    assert abs(kept.mean() - 0.6) < 0.004
    np.testing.assert_allclose(out[kept], 1.0 / 0.6, rtol=1e-6)
    # No unit is kept far more often than others: rows and columns both look random.
    assert kept.mean(axis=1).std() < 0.03 and kept.mean(axis=0).std() < 0.1


def test_dropout16_passes_inputs_through_when_not_training_and_at_rate_zero():
    x = tf.random.normal([8, 10])
    np.testing.assert_array_equal(Dropout16(0.4, seed=1)(x, training=False).numpy(), x.numpy())
    np.testing.assert_array_equal(Dropout16(0.0, seed=1)(x, training=True).numpy(), x.numpy())


def test_dropout16_draws_a_new_mask_each_call_and_the_same_sequence_for_the_same_seed():
    x = tf.ones([4, 999])  # odd unit count: the last 32-bit draw is half used
    a, b = Dropout16(0.5, seed=7), Dropout16(0.5, seed=7)
    first_a, second_a = a(x, training=True).numpy(), a(x, training=True).numpy()
    first_b, second_b = b(x, training=True).numpy(), b(x, training=True).numpy()
    assert (first_a != second_a).any()
    np.testing.assert_array_equal(first_a, first_b)
    np.testing.assert_array_equal(second_a, second_b)
    assert (Dropout16(0.5, seed=8)(x, training=True).numpy() != first_a).any()


def test_dropout16_in_a_saved_model_loads_back():
    model = keras.Sequential([keras.Input((5,)), Dropout16(0.3, seed=2, name="drop"), keras.layers.Dense(1)])
    again = keras.models.model_from_json(model.to_json())
    assert isinstance(again.get_layer("drop"), Dropout16) and again.get_layer("drop").rate == 0.3


def _adam_trajectory(optimizer_class, steps: int = 6, **kwargs) -> np.ndarray:
    weights = keras.Variable(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(3, 4))
    optimizer = optimizer_class(learning_rate=0.01, beta_1=0.5, **kwargs)
    optimizer.build([weights])

    @tf.function
    def update(gradient):
        optimizer.apply_gradients([(gradient, weights)])

    for i in range(steps):
        if i == 3:  # the live learning-rate control sets the rate between steps
            optimizer.learning_rate.assign(0.002)
        update(tf.constant(np.sin(np.arange(12, dtype=np.float32) + i).reshape(3, 4)))
    return np.concatenate([weights.numpy().ravel(), [int(optimizer.iterations.numpy())]])


@pytest.mark.parametrize("amsgrad", [False, True])
def test_fused_adam_takes_the_same_steps_as_keras_adam(amsgrad):
    ours = _adam_trajectory(FusedAdam, amsgrad=amsgrad)
    theirs = _adam_trajectory(keras.optimizers.Adam, amsgrad=amsgrad)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-6)
    # The steps moved the weights: a no-op update would also "agree" with nothing.
    assert np.abs(ours[:-1] - np.linspace(-1.0, 1.0, 12)).max() > 0.02


def test_fused_adam_updates_with_one_fused_kernel_per_variable():
    weights = [keras.Variable(np.ones((3, 4), np.float32)), keras.Variable(np.zeros(4, np.float32))]
    optimizer = FusedAdam(learning_rate=0.01)
    optimizer.build(weights)
    update = tf.function(lambda grads: optimizer.apply_gradients(zip(grads, weights)))
    graph = update.get_concrete_function([tf.TensorSpec(w.shape, tf.float32) for w in weights]).graph
    assert [op.type for op in traced_ops(graph)].count("ResourceApplyAdam") == 2


# -- FusableLeakyReLU ---------------------------------------------------------------------
@pytest.mark.parametrize("slope", [0.0, 0.2, 0.5])
@pytest.mark.parametrize("policy", ["float32", "mixed_bfloat16"])
def test_fusable_leaky_relu_has_keras_values_and_gradients(slope, policy):
    dtype = "bfloat16" if policy == "mixed_bfloat16" else "float32"
    x = tf.cast(tf.constant([[-3.0, -0.5, 0.0, 0.25, 2.0] * 20]), dtype)
    dy = tf.cast(tf.random.stateless_normal(x.shape, [1, 2]), dtype)
    results = []
    layers = (
        keras.layers.LeakyReLU(negative_slope=slope, dtype=policy),
        FusableLeakyReLU(negative_slope=slope, dtype=policy),
    )
    for layer in layers:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        results.append((y.numpy(), tape.gradient(y, x, output_gradients=dy).numpy()))
    (y_keras, g_keras), (y_ours, g_ours) = results
    np.testing.assert_array_equal(y_ours, y_keras)
    np.testing.assert_array_equal(g_ours, g_keras)


@pytest.mark.parametrize("slope", [0.0, 0.2])
def test_fusable_leaky_relu_has_keras_second_derivatives_as_r1_takes_them(slope):
    # R1: the weights' gradient of the squared input gradient, through a conv and the activation.
    x = tf.random.stateless_normal([4, 6, 6, 2], [3, 4])
    results = []
    for leaky in (keras.layers.LeakyReLU(negative_slope=slope), FusableLeakyReLU(negative_slope=slope)):
        conv = keras.layers.Conv2D(3, 3, kernel_initializer=keras.initializers.RandomNormal(seed=5))
        with tf.GradientTape() as outer:
            with tf.GradientTape() as inner:
                inner.watch(x)
                score = tf.reduce_sum(leaky(conv(x)) ** 2)
            penalty = tf.reduce_sum(inner.gradient(score, x) ** 2)
        results.append([g.numpy() for g in outer.gradient(penalty, conv.trainable_variables)])
    for keras_grad, our_grad in zip(*results):
        np.testing.assert_allclose(our_grad, keras_grad, rtol=1e-5, atol=1e-6)


def test_ds_leaky_relu_gradients_read_their_outputs_so_conv_bias_and_activation_can_fuse():
    from gan_core.config.tree import ModelConfig
    from gan_core.nets.models import build_discriminator

    d = build_discriminator(ModelConfig(base_filters=8), (28, 28, 1))

    @tf.function
    def gradients(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(d(x, training=True))
        return tape.gradient(loss, d.trainable_variables)

    graph = gradients.get_concrete_function(tf.TensorSpec([4, 28, 28, 1])).graph

    grads = [op for op in traced_ops(graph) if op.type == "LeakyReluGrad"]
    # Each reads the activation's output (through a stop_gradient), not the conv + bias before
    # it (Keras' own reads that sum), so nothing but the activation consumes the sum and
    # Grappler may fuse them.
    assert len(grads) == 2
    assert all(
        op.inputs[1].op.type == "StopGradient" and op.inputs[1].op.inputs[0].op.type == "LeakyRelu" for op in grads
    )


@pytest.mark.parametrize(
    "extra",
    [[], ["model.spectral_norm=true", "model.minibatch_stddev=true"]],  # the second: D's wrapper layers
)
def test_checkpoint_files_carry_keras_own_leaky_relu_and_load_in_plain_keras(tmp_path, extra):
    from gan_core.config.tree import TrainConfig
    from gan_core.step.gan_step import GanStep

    cfg = TrainConfig().with_overrides(["model.base_filters=8", "run.batch_size=16", *extra]).validated()
    images = (np.random.default_rng(0).random((64, 28, 28, 1)) * 255).astype(np.uint8)
    step = GanStep(cfg, images)
    assert any(isinstance(layer, FusableLeakyReLU) for layer in step.generator.layers)
    step.step()
    meta = {"step": 1, "hacks": {}, "latent_distribution": "gaussian", "tanh_output": True, "latent_dim": 100}
    folder = write_checkpoint(tmp_path, step, {"step": 1}, meta)
    for name in ("generator.keras", "discriminator.keras"):
        config = json.loads(zipfile.ZipFile(folder / name).read("config.json"))
        classes = {layer["class_name"] for layer in config["config"]["layers"]}
        assert "LeakyReLU" in classes and "FusableLeakyReLU" not in classes
    # A fresh Python without this package loads the generator and draws what the step's draws.
    z = np.random.default_rng(1).standard_normal((3, 100)).astype("float32")
    x = np.random.default_rng(2).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    np.save(tmp_path / "z.npy", z)
    np.save(tmp_path / "x.npy", x)
    plain = "import sys, numpy as np, keras; "
    ours = plain + "from gan_core.nets.saved_layers import register_saved_layers; register_saved_layers(); "
    model_out = (
        "m = keras.models.load_model(sys.argv[1], compile=False, safe_mode=True); "
        "np.save(sys.argv[2], np.asarray(m(np.load(sys.argv[3]), training=False)))"
    )

    def fresh_python(prelude, model, inputs):
        """What `model` (a file of the checkpoint) gives for `inputs` in a new process."""
        out = tmp_path / f"{model}.out.npy"
        args = [str(folder / model), str(out), str(tmp_path / inputs)]
        command = [sys.executable, "-c", prelude + model_out, *args]
        subprocess.run(command, check=True, cwd=tmp_path, capture_output=True)
        return np.load(out)

    expected = step.sampling_generator(z, training=False)
    np.testing.assert_allclose(fresh_python(plain, "generator.keras", "z.npy"), expected, atol=1e-5)
    # D holds our own layers (Dropout16; spectral-norm wrappers and minibatch stddev in the second
    # case): a fresh Python that only calls register_saved_layers() loads it and judges alike.
    expected = step.discriminator(x, training=False)
    np.testing.assert_allclose(fresh_python(ours, "discriminator.keras", "x.npy"), expected, atol=1e-5)
