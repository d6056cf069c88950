"""Layers of the later architecture hacks: dropout in G that stays on when sampling, the
minibatch standard-deviation feature of D, and spectral normalization of D's weights.

The two own layers are registered Keras serializables, so generators and discriminators
saved with them load with safe_mode=True (like NarrowConv2D): import this module before
loading a `.keras` file.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from gan_core.nets.fast_dropout import Dropout16

# ProGAN's group size: the statistic is taken over groups of 4 images (Karras et al. 2018).
MINIBATCH_GROUP = 4
# Keeps the square root's gradient finite when a group's images agree exactly.
_STDDEV_EPSILON = 1e-8
# One power iteration per step is Miyato et al. 2018's choice: u carries over between
# steps, so one iteration a step keeps the estimate of the largest singular value close.
POWER_ITERATIONS = 1


def minibatch_stddev(x: tf.Tensor, group_size: int = MINIBATCH_GROUP) -> tf.Tensor:
    """Mean over features of the standard deviation across each group of images.

    x: (N, H, W, C) features, any float dtype; N may be unknown until run time. Images
    0..g-1 form the first group, g..2g-1 the next, and so on (the last group may be
    smaller; a group of one gives ~0). For each group: the population std of every
    feature over the group's images, averaged over H, W and C (Karras et al. 2018,
    ProGAN, section 3). Returns (N, H, W, 1) in x's dtype: each image's group value,
    broadcast over the positions. Raises ValueError for a group_size below 1.
    """
    if group_size < 1:
        raise ValueError(f"the minibatch-stddev group size must be at least 1, got {group_size}")
    features = tf.cast(x, tf.float32)
    n = tf.shape(features)[0]
    group = tf.range(n) // group_size
    groups = (n + group_size - 1) // group_size
    mean = tf.math.unsorted_segment_mean(features, group, groups)
    variance = tf.math.unsorted_segment_mean(tf.square(features - tf.gather(mean, group)), group, groups)
    per_group = tf.reduce_mean(tf.sqrt(variance + _STDDEV_EPSILON), axis=[1, 2, 3])
    per_image = tf.gather(per_group, group)
    shape = tf.concat([tf.shape(features)[:3], [1]], 0)
    return tf.cast(tf.broadcast_to(per_image[:, None, None, None], shape), x.dtype)


@keras.saving.register_keras_serializable(package="gan_hacks_lab")
class MinibatchStdDev(keras.layers.Layer):
    """(N, H, W, C) -> (N, H, W, C + 1): the features with `minibatch_stddev` appended as
    one more channel, so D can see how varied a batch is and catch a collapsed G
    (Karras et al. 2018; ganhacks #15's aim, "minibatch discrimination", made cheap).
    """

    def __init__(self, group_size: int = MINIBATCH_GROUP, **kwargs):
        super().__init__(**kwargs)
        if int(group_size) < 1:
            raise ValueError(f"the minibatch-stddev group size must be at least 1, got {group_size}")
        self.group_size = int(group_size)

    def call(self, inputs):
        """`inputs` (N, H, W, C) with the group's stddev as channel C + 1, same dtype."""
        return tf.concat([inputs, minibatch_stddev(inputs, self.group_size)], axis=-1)

    def compute_output_shape(self, input_shape):
        """(N, H, W, C) -> (N, H, W, C + 1)."""
        return (*input_shape[:-1], input_shape[-1] + 1)

    def get_config(self):
        """Keras' config plus `group_size`, so a saved D loads back with the same groups."""
        return {**super().get_config(), "group_size": self.group_size}


@keras.saving.register_keras_serializable(package="gan_hacks_lab")
class SamplingDropout(Dropout16):
    """Dropout (Dropout16, Keras' with cheaper masks) that drops at sampling time too: G's
    noise source in pix2pix (Isola et al. 2017; ganhacks #17). The same z then gives a
    different image each call, in training, in the grid, in `predict` and after saving and
    loading.
    """

    def call(self, inputs, training=None):
        """Dropout as in training whatever `training` says: sampling stays noisy."""
        return super().call(inputs, training=True)


def spectral_normalized(layer: keras.layers.Layer) -> keras.layers.Layer:
    """`layer` (a Conv2D or Dense, unbuilt) wrapped in keras.layers.SpectralNormalization
    with one power iteration: in training calls its kernel is divided by an estimate of its
    largest singular value, so D's every layer is at most 1-Lipschitz (Miyato et al. 2018).
    The wrapper keeps the layer's name and dtype policy; Keras saves and loads it as is.
    """
    return keras.layers.SpectralNormalization(
        layer, power_iterations=POWER_ITERATIONS, dtype=layer.dtype_policy, name=f"{layer.name}_sn"
    )


def largest_singular_value(kernel) -> float:
    """The largest singular value of a kernel reshaped to (inputs, outputs) as the spectral
    normalization sees it: (k_h * k_w * in, out) for a conv, (in, out) for a dense."""
    matrix = tf.reshape(tf.cast(kernel, tf.float32), [-1, kernel.shape[-1]])
    return float(tf.linalg.svd(matrix, compute_uv=False)[0])
