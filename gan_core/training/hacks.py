"""The training hacks as small pure tensor functions.

Each takes its parameters as tensors (or tf.Variables), so the compiled train step can
read the current slider value every step without retracing. `rng` is a
`tf.random.Generator`, which keeps runs reproducible and threads independent.
"""
from __future__ import annotations

import tensorflow as tf


def sample_latent(rng: tf.random.Generator, n: int, dim: int, gaussian) -> tf.Tensor:
    """Latent points (n, dim) float32: N(0, 1) when `gaussian` is true, else uniform in [-1, 1].

    Both are drawn and one is selected, so the choice is a tensor, not a trace branch.
    """
    normal = rng.normal((n, dim))
    uniform = rng.uniform((n, dim), -1.0, 1.0)
    return tf.where(tf.cast(gaussian, tf.bool), normal, uniform)


def flip_labels(rng: tf.random.Generator, is_real: tf.Tensor, probability) -> tf.Tensor:
    """Flip each hard label (1 real, 0 fake) independently with `probability`.

    A Bernoulli mask per label: the expected share flipped is exactly p (choosing
    int(p*n) indices with replacement, as some tutorials do, flips fewer).
    """
    is_real = tf.cast(is_real, tf.float32)
    flip = tf.cast(rng.uniform(tf.shape(is_real)) < tf.cast(probability, tf.float32), tf.float32)
    return is_real + flip * (1.0 - 2.0 * is_real)


def smooth_labels(rng: tf.random.Generator, is_real: tf.Tensor, real_range, fake_range) -> tf.Tensor:
    """Targets for binary cross-entropy: uniform in `real_range` for 1s, `fake_range` for 0s.

    Hard labels are the special case real_range=(1, 1), fake_range=(0, 0).
    """
    is_real = tf.cast(is_real, tf.float32)
    u = rng.uniform(tf.shape(is_real))
    real_lo, real_hi = tf.cast(real_range[0], tf.float32), tf.cast(real_range[1], tf.float32)
    fake_lo, fake_hi = tf.cast(fake_range[0], tf.float32), tf.cast(fake_range[1], tf.float32)
    real_t = real_lo + u * (real_hi - real_lo)
    fake_t = fake_lo + u * (fake_hi - fake_lo)
    return is_real * real_t + (1.0 - is_real) * fake_t


def discriminator_targets(rng, is_real, probability, real_range, fake_range) -> tf.Tensor:
    """Flip first, then smooth: a flipped real gets a target from the fake range."""
    return smooth_labels(rng, flip_labels(rng, is_real, probability), real_range, fake_range)


def discriminator_batches(rng: tf.random.Generator, real: tf.Tensor, fake: tf.Tensor, separate):
    """The two half-batches D learns from in one D step, and the order that made them.

    Separate: the first half is all real, the second all fake. Mixed: the real and fake
    images are shuffled together, so each half holds both (and BatchNorm sees mixed
    statistics). D makes two updates either way, so the two settings cost the same and
    differ only in what each batch contains. Returns (images, is_real, order), where
    `order` maps batch positions back to [real..., fake...].
    """
    images = tf.concat([real, tf.cast(fake, real.dtype)], axis=0)
    n = tf.shape(images)[0]
    is_real = tf.concat([tf.ones([tf.shape(real)[0]]), tf.zeros([tf.shape(fake)[0]])], axis=0)
    # argsort of uniform noise is a random permutation drawn from our own generator.
    shuffled = tf.argsort(rng.uniform([n]))
    order = tf.where(tf.cast(separate, tf.bool), tf.range(n), shuffled)
    return tf.gather(images, order), tf.gather(is_real, order), order


def bce_with_logits(targets: tf.Tensor, logits: tf.Tensor) -> tf.Tensor:
    """Mean binary cross-entropy; targets may lie outside [0, 1] (smoothing up to 1.2),
    which makes the loss negative for confident predictions - expected, not a bug."""
    logits = tf.cast(tf.reshape(logits, [-1]), tf.float32)
    targets = tf.cast(tf.reshape(targets, [-1]), tf.float32)
    return tf.reduce_mean(tf.nn.relu(logits) - logits * targets + tf.math.softplus(-tf.abs(logits)))


def generator_loss(fake_logits: tf.Tensor, non_saturating) -> tf.Tensor:
    """Non-saturating: minimise -log D(G(z)). Minimax: minimise log(1 - D(G(z))).

    log(1 - sigmoid(x)) = -softplus(x); it is flat where D rejects fakes confidently,
    which is exactly where a young generator lives - hence the saturation.
    """
    x = tf.cast(tf.reshape(fake_logits, [-1]), tf.float32)
    ns = tf.reduce_mean(tf.math.softplus(-x))
    mm = -tf.reduce_mean(tf.math.softplus(x))
    w = tf.cast(non_saturating, tf.float32)
    return w * ns + (1.0 - w) * mm


def accuracy(logits: tf.Tensor, is_real: bool) -> tf.Tensor:
    """Share of a batch that D classifies correctly (probability > 0.5 means real)."""
    x = tf.cast(tf.reshape(logits, [-1]), tf.float32)
    hits = x > 0.0 if is_real else x <= 0.0
    return tf.reduce_mean(tf.cast(hits, tf.float32))
