"""The fast image-head convolution must be Keras' Conv2D in everything but speed."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_core.nets.narrow_conv import NarrowConv2D, worth_it

from traced_graph import traced_ops


def _output_and_gradients(layer, x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * y)
    return [y] + tape.gradient(loss, [x] + layer.trainable_variables)


@pytest.mark.parametrize(
    "kernel,filters,channels", [(7, 1, 16), (3, 1, 8), (4, 1, 8), (5, 3, 4), ((3, 5), 1, 8), ((4, 3), 2, 4)]
)
def test_same_output_and_gradients_as_keras_conv2d(kernel, filters, channels):
    x = tf.random.normal((3, 12, 12, channels), seed=1)
    reference = keras.layers.Conv2D(filters, kernel, padding="same", activation="tanh")
    narrow = NarrowConv2D(filters, kernel, padding="same", activation="tanh")
    reference(x), narrow(x)
    rng = np.random.default_rng(0)
    weights = [rng.normal(0, 0.2, w.shape).astype("float32") for w in reference.get_weights()]
    reference.set_weights(weights)
    narrow.set_weights(weights)
    for expected, got in zip(_output_and_gradients(reference, x), _output_and_gradients(narrow, x)):
        # float32 sums of up to 7*7*16 products (kernel gradients: over 432 positions) in another
        # order, and oneDNN picks its blocking by what ran before: equal to 1e-4 of the largest
        # value (seen: 2e-5 after the whole suite). A wrong tap or filter is off by order 1.
        scale = float(np.max(np.abs(expected.numpy())))
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=0, atol=1e-4 * scale)


def test_only_narrow_stride_one_convolutions_take_the_fast_route():
    assert worth_it(1, 7) and worth_it(3, 7)
    assert not worth_it(128, 3) and not worth_it(16, 3) and not worth_it(1, 7, strides=2)


def test_a_model_with_it_saves_and_loads_safely(tmp_path):
    inputs = keras.Input((10, 10, 4))
    model = keras.Model(inputs, NarrowConv2D(1, 7, padding="same")(inputs))
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras", safe_mode=True, compile=False)
    x = np.random.default_rng(1).normal(size=(2, 10, 10, 4)).astype("float32")
    assert isinstance(loaded.layers[-1], NarrowConv2D)
    np.testing.assert_allclose(loaded(x).numpy(), model(x).numpy(), rtol=1e-6)


def test_odd_kernels_take_the_hand_written_gradients_and_even_ones_tensorflows():
    def backward_ops(kernel):
        layer = NarrowConv2D(1, kernel, padding="same")
        layer.build((None, 12, 12, 8))

        @tf.function
        def gradients(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = layer(x)
            return tape.gradient(y, [x, layer.kernel])

        graph = gradients.get_concrete_function(tf.TensorSpec([2, 12, 12, 8])).graph
        return {op.type for op in traced_ops(graph)}

    odd, even = backward_ops(7), backward_ops(4)
    # By hand: a convolution up from the one-channel gradient and a filter gradient.
    assert "Conv2DBackpropFilter" in odd and "Conv2D" in odd
    assert "Conv2DBackpropFilter" not in even and "DepthwiseConv2dNativeBackpropInput" in even


def test_hand_written_gradients_run_in_bfloat16():
    layer = NarrowConv2D(1, 7, padding="same", dtype="mixed_bfloat16")
    x = tf.random.normal((2, 12, 12, 8), seed=2)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(tf.cast(y, tf.float32) ** 2)
    d_x, d_kernel = tape.gradient(loss, [x, layer.kernel])
    assert y.dtype == tf.bfloat16 and d_kernel.dtype == tf.float32
    assert np.isfinite(d_x.numpy()).all() and float(tf.reduce_max(tf.abs(d_kernel))) > 0
