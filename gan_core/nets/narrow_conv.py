"""A Conv2D with the same weights and result as Keras', fast when it has few filters.

TensorFlow's CPU kernels for a wide-kernel convolution down to one or three channels
(the tutorial generator's 7x7 image head) are very slow, the backward pass above all:
on batch 128 at 28x28x128 it takes ~1.3 s, half of the whole training step. The same
sum can be taken in two cheap parts: a 1x1 projection of every pixel onto each
(tap, filter) pair (a plain matrix product), then, for each tap, its map shifted into
place and added (a depthwise convolution with a fixed one-hot kernel). Same kernel
variable, same output; ~10x faster forward and backward on two cores.

Its gradients (odd kernels) are taken by hand, not through the projection: both are
convolutions of the head's few-channel output gradient, which oneDNN runs as it runs an image
network's first layer. TensorFlow's gradient of the projection is two matrix products with
a long inner dimension (batch x pixels) and 49 columns, which run at a fifth to a third of
the CPU's peak. Measured on two cores, batch 128 at 28x28x128: the head's forward and
backward alone 30 -> 22 ms; the whole `seed-tutorial` step +3-4% (in one process, interleaved).
"""

from __future__ import annotations

import functools

import keras
import numpy as np
import tensorflow as tf

# Above this many (tap, filter) channels the projection costs more than it saves.
MAX_PROJECTED_CHANNELS = 256
# Only image heads (1 or 3 channels) are slow in TensorFlow's kernels; wider layers stay plain.
MAX_FILTERS = 4


@functools.cache
def _tap_selector(k_h: int, k_w: int, filters: int) -> np.ndarray:
    """Depthwise kernel that keeps, for channel (tap, filter), only its own tap's position."""
    one_hot = np.zeros((k_h, k_w, k_h * k_w * filters, 1), dtype=np.float32)
    for tap in range(k_h * k_w):
        one_hot[tap // k_w, tap % k_w, tap * filters : (tap + 1) * filters, 0] = 1.0
    one_hot.setflags(write=False)
    return one_hot


def worth_it(filters: int, kernel, strides=1) -> bool:
    """Whether a 'same' convolution of this shape gains from the fast route (kernel and
    strides: an int or a (height, width) pair, as Keras takes them)."""
    k_h, k_w = (kernel, kernel) if isinstance(kernel, int) else tuple(kernel)
    one_step = tuple(strides) == (1, 1) if not isinstance(strides, int) else strides == 1
    return one_step and filters <= MAX_FILTERS and k_h * k_w * filters <= MAX_PROJECTED_CHANNELS


@keras.saving.register_keras_serializable(package="gan_hacks_lab")
class NarrowConv2D(keras.layers.Conv2D):
    """keras.layers.Conv2D; stride-1 'same' convolutions with few filters take the fast route."""

    def _fast_route(self) -> bool:
        return (
            tuple(self.dilation_rate) == (1, 1)
            and self.padding == "same"
            and self.groups == 1
            and self.data_format == "channels_last"
            and worth_it(self.filters, self.kernel_size, self.strides)
        )

    def convolution_op(self, inputs, kernel):
        """Keras' convolution, or on the fast route a 1x1 projection then a shifted sum.

        inputs (batch, H, W, channels), kernel (k_h, k_w, channels, filters); returns
        (batch, H, W, filters) in the inputs' dtype, the same values as Keras' Conv2D.
        """
        if not self._fast_route():
            return super().convolution_op(inputs, kernel)
        k_h, k_w = kernel.shape[:2]
        if k_h % 2 and k_w % 2:  # 'same' pads odd kernels evenly, so a flipped kernel lines up
            return _with_narrow_gradients(inputs, kernel)
        return _shifted_sum(inputs, kernel)


def _with_narrow_gradients(inputs, kernel):
    """_shifted_sum with its gradients taken by hand (odd kernel sizes only).

    For out = conv(x, K) ('same', stride 1; K (k_h, k_w, channels, filters)) and F, K flipped
    in space with its two channel axes swapped (k_h, k_w, filters, channels):
      d x = conv(d out, F), a convolution from `filters` channels up to `channels`;
      d K = F's filter gradient of that convolution, with x as its output gradient, flipped back.
    Same values as TensorFlow's gradients to float rounding; inputs and kernel in one dtype.
    """

    @tf.custom_gradient
    def conv(x, k):
        """The shifted sum of x under k, and its gradient function."""

        def gradients(d_out):
            """(d x, d k) for the output gradient d_out (batch, H, W, filters)."""
            flipped = tf.transpose(tf.reverse(k, [0, 1]), [0, 1, 3, 2])
            d_x = tf.nn.conv2d(d_out, flipped, 1, "SAME")
            d_flipped = tf.raw_ops.Conv2DBackpropFilter(
                input=d_out,
                filter_sizes=tf.shape(flipped),
                out_backprop=x,
                strides=[1, 1, 1, 1],
                padding="SAME",
            )
            return d_x, tf.transpose(tf.reverse(d_flipped, [0, 1]), [0, 1, 3, 2])

        return _shifted_sum(x, k), gradients

    # Tensors, not the kernel variable: a custom gradient that sees a variable must return
    # the variable's gradient separately; read here, the gradient reaches it through the read.
    return conv(tf.convert_to_tensor(inputs), tf.convert_to_tensor(kernel))


def _shifted_sum(inputs, kernel):
    """The fast route's forward: a 1x1 projection onto every (tap, filter), then each tap's map
    shifted into place and summed. inputs (batch, H, W, channels), kernel (k_h, k_w, channels,
    filters) in the same dtype; returns (batch, H, W, filters) in that dtype."""
    k_h, k_w, channels, filters = kernel.shape
    taps = k_h * k_w
    # projection[..., (tap, filter)] = sum_c x[..., c] * kernel[tap, c, filter]
    weights = tf.reshape(tf.transpose(kernel, [2, 0, 1, 3]), [channels, taps * filters])
    projection = tf.einsum("bhwc,cm->bhwm", inputs, weights)
    # Channel (tap, filter) keeps only its own tap: shifting each map into place.
    one_hot = _tap_selector(k_h, k_w, filters)
    shifted = tf.nn.depthwise_conv2d(projection, tf.constant(one_hot, dtype=projection.dtype), [1, 1, 1, 1], "SAME")
    per_tap = tf.reshape(shifted, tf.concat([tf.shape(shifted)[:3], [taps, filters]], 0))
    out = tf.reduce_sum(per_tap, axis=3)
    return tf.ensure_shape(out, inputs.shape[:3] + (filters,))
