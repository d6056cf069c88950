"""The playground's switchable optimizer must take the same steps as Keras' own Adam and SGD."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_core.toy.optim import SwitchableOptimizer


def _gradients(steps: int, shapes, seed: int = 0):
    rng = np.random.default_rng(seed)
    return [[rng.normal(0, 1, s).astype("float32") for s in shapes] for _ in range(steps)]


def _run(optimizer_apply, start, grads):
    variables = [tf.Variable(w) for w in start]
    apply = optimizer_apply(variables)
    for g in grads:
        apply([tf.constant(x) for x in g], variables)
    return [v.numpy() for v in variables]


@pytest.mark.parametrize("name", ["adam", "sgd"])
def test_switchable_optimizer_matches_keras_on_the_same_gradients(name):
    shapes = [(3, 4), (4,)]
    start = [np.random.default_rng(1).normal(0, 1, s).astype("float32") for s in shapes]
    grads = _gradients(25, shapes)

    def ours(variables):
        opt = SwitchableOptimizer(variables, learning_rate=0.01, beta_1=0.5, beta_2=0.999, epsilon=1e-7)
        opt.use_adam.assign(name == "adam")
        return lambda g, _v: opt.apply(g)

    def theirs(variables):
        opt = (
            keras.optimizers.Adam(0.01, beta_1=0.5, beta_2=0.999, epsilon=1e-7)
            if name == "adam"
            else keras.optimizers.SGD(0.01)
        )
        return lambda g, v: opt.apply_gradients(zip(g, v))

    a, b = _run(ours, start, grads), _run(theirs, start, grads)
    assert not np.allclose(a[0], start[0])  # both really moved
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-6)
