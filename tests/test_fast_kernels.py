"""The step's cheaper kernels do what Keras' own do: D's dropout masks from 16-bit draws
(Dropout16) and Adam's update as one fused kernel (FusedAdam)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_core.training.fast_dropout import Dropout16
from gan_core.training.optimizers import FusedAdam


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
    graph_def = update.get_concrete_function([tf.TensorSpec(w.shape, tf.float32) for w in weights]).graph.as_graph_def()
    nodes = [*graph_def.node, *(node for f in graph_def.library.function for node in f.node_def)]
    assert [node.op for node in nodes].count("ResourceApplyAdam") == 2
