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


# -- the rest of ganhacks and what came after it (issue: every hack as a live setting) ------

# Where D's raw output splits "real" from "fake" under each loss: the logit sign for BCE and
# hinge; for least-squares (targets a=0, b=1, Mao et al. 2017) the midpoint 0.5.
DECISION_THRESHOLDS = (0.0, 0.5, 0.0)


def instance_noise_std(start_std, progress) -> tf.Tensor:
    """The instance-noise std now: `start_std` decaying linearly to 0 as `progress` (the share
    of the run's budget spent, 0..1, clipped) goes from 0 to 1 (Sønderby et al. 2016)."""
    p = tf.clip_by_value(tf.cast(progress, tf.float32), 0.0, 1.0)
    return tf.cast(start_std, tf.float32) * (1.0 - p)


def add_instance_noise(rng: tf.random.Generator, images: tf.Tensor, std) -> tf.Tensor:
    """`images` plus N(0, std²) per pixel, same shape and dtype (pixels in [-1, 1]; std 0 returns
    them unchanged). Any shape: the 2-D playground adds it to points, std in the data's units.
    Sources: ganhacks #13; Sønderby et al. 2016; Arjovsky & Bottou 2017."""
    noise = rng.normal(tf.shape(images)) * tf.cast(std, tf.float32)
    return images + tf.cast(noise, images.dtype)


def mix_replayed(rng: tf.random.Generator, fresh: tf.Tensor, buffer: tf.Tensor, filled, share, scale: float = 1.0):
    """The fake half-batch with a share of it drawn from a buffer of earlier fakes.

    fresh (n, H, W, C) float, or points (n, d); buffer (capacity, same row shape), of which the first `filled` rows hold
    fakes, in any dtype; a row's value is its stored value times `scale` (1/32767 for an int16
    fixed-point ring of pixels, replay.PIXEL_SCALE). round(share * n) of the n images (share in
    [0, 1]) are replaced by uniformly drawn buffer rows, none while the buffer is empty.
    Returns (images float32, replayed (n,) bool, index (n,) int32: the buffer row each
    replayed image came from).
    Sources: ganhacks #8; Shrivastava et al. 2017 (half the batch from the buffer).
    """
    fresh = tf.cast(fresh, tf.float32)
    n = tf.shape(fresh)[0]
    filled = tf.cast(filled, tf.int32)
    count = tf.cast(tf.round(tf.cast(share, tf.float32) * tf.cast(n, tf.float32)), tf.int32)
    count = tf.where(filled > 0, count, 0)
    # Which positions are replayed does not matter (the fakes are i.i.d.): the first `count`.
    replayed = tf.range(n) < count
    index = rng.uniform([n], 0, tf.maximum(filled, 1), dtype=tf.int32)
    old = tf.cast(tf.gather(buffer, index), tf.float32) * scale
    per_row = tf.reshape(replayed, [-1] + [1] * (fresh.shape.rank - 1))
    return tf.where(per_row, old, fresh), replayed, index


def ring_write(buffer: tf.Variable, cursor: tf.Variable, filled: tf.Variable, images: tf.Tensor) -> tf.Tensor:
    """Write `images` (m, H, W, C) or points (m, d), m ≤ capacity, into the ring `buffer` at `cursor`, wrapping
    around, cast to the buffer's dtype (an int16 ring takes values already rounded,
    ReplayRing.encode); `cursor` moves on and `filled` (rows holding fakes) grows up to the
    capacity.
    Returns the rows written ((m,) int32), for anything kept beside the images (their classes)."""
    capacity = tf.shape(buffer)[0]
    m = tf.shape(images)[0]
    rows = (cursor + tf.range(m)) % capacity
    # scatter_update (rows), not scatter_nd_update: a mirrored variable (mirrored.py) has only the former.
    buffer.scatter_update(tf.IndexedSlices(tf.cast(tf.stop_gradient(images), buffer.dtype), rows))
    cursor.assign((cursor + m) % capacity)
    filled.assign(tf.minimum(filled + m, capacity))
    return rows


def _flat(x) -> tf.Tensor:
    return tf.cast(tf.reshape(x, [-1]), tf.float32)


def discriminator_loss(kind, targets: tf.Tensor, outputs: tf.Tensor) -> tf.Tensor:
    """D's mean loss on a batch under the adversarial loss `kind` (index into ADVERSARIAL_LOSSES).

    targets (n,) are D's (smoothed, flipped) targets, 1 real and 0 fake when hard; outputs (n,)
    are D's raw outputs (logits). bce: binary cross-entropy on sigmoid(output). least-squares
    (Mao et al. 2017, a=0, b=1): ½(output − t)², so ½E[(D(x)−1)²] + ½E[D(G(z))²] with hard
    targets. hinge (Lim & Ye 2017; SAGAN): relu(1 − y·output) with y = 2t − 1, so
    E[relu(1−D(x))] + E[relu(1+D(G(z)))] with hard targets. All three are computed and one
    is picked by index, so a live change never retraces.
    """
    x, t = _flat(outputs), _flat(targets)
    losses = tf.stack(
        [
            bce_with_logits(t, x),
            tf.reduce_mean(0.5 * tf.square(x - t)),
            tf.reduce_mean(tf.nn.relu(1.0 - (2.0 * t - 1.0) * x)),
        ]
    )
    return tf.gather(losses, tf.cast(kind, tf.int32))


def adversarial_generator_loss(kind, fake_outputs: tf.Tensor, non_saturating) -> tf.Tensor:
    """G's mean loss under the adversarial loss `kind` (index into ADVERSARIAL_LOSSES).

    bce: `generator_loss` (non-saturating or minimax). least-squares (c=1): ½E[(D(G(z))−1)²].
    hinge: −E[D(G(z))] (negative when D scores fakes as real). `non_saturating` matters for bce only.
    """
    x = _flat(fake_outputs)
    losses = tf.stack([generator_loss(x, non_saturating), tf.reduce_mean(0.5 * tf.square(x - 1.0)), -tf.reduce_mean(x)])
    return tf.gather(losses, tf.cast(kind, tf.int32))


def decision_accuracy(kind, outputs: tf.Tensor, is_real: bool) -> tf.Tensor:
    """Share of a batch D classifies correctly under the loss `kind`: an output above the loss's
    decision threshold (DECISION_THRESHOLDS: 0 for bce and hinge, 0.5 for least-squares) is "real"."""
    threshold = tf.gather(tf.constant(DECISION_THRESHOLDS, tf.float32), tf.cast(kind, tf.int32))
    return accuracy(_flat(outputs) - threshold, is_real)


def verdicts(kind, outputs: tf.Tensor) -> tf.Tensor:
    """D's verdict on each sample (float32 (n,) in [0, 1]) on the scale of the loss `kind`: 0 is
    the loss's fake target, 1 its real target. BCE: the probability sigmoid(logit). Least-squares
    (targets 0 and 1, Mao et al. 2017): the output clipped to [0, 1]. Hinge (margins -1 and +1,
    Lim & Ye 2017): the output mapped from [-1, 1] to [0, 1] and clipped. A sigmoid of LS or hinge
    outputs stays near 0.5-0.73 even when D fits its targets exactly, so a "D wins" check on it
    could never fire under those losses."""
    x = _flat(outputs)
    per_kind = tf.stack([tf.sigmoid(x), tf.clip_by_value(x, 0.0, 1.0), tf.clip_by_value((x + 1.0) / 2.0, 0.0, 1.0)])
    return tf.gather(per_kind, tf.cast(kind, tf.int32))


def verdict(kind, outputs: tf.Tensor) -> tf.Tensor:
    """D's mean verdict on a batch (float32 scalar in [0, 1]; see `verdicts`)."""
    return tf.reduce_mean(verdicts(kind, outputs))


def r1_penalty(judge, images: tf.Tensor, weights):
    """R1 (Mescheder et al. 2018): the mean of ‖∇ₓD(x)‖² over the images with weight 1.

    `judge` maps images (n, H, W, C), or points (n, d), to D's outputs (n,); `weights` (n,) is 1 for the real
    images the penalty covers and 0 for the rest (0 when none are real). Returns (penalty,
    outputs): the outputs of the same forward pass, so the caller's loss needs no second one.
    Multiply the penalty by γ/2 for the loss term; it is differentiable in D's weights.
    """
    images = tf.cast(images, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(images)
        outputs = _flat(judge(images))
        total = tf.reduce_sum(outputs)
    grads = tape.gradient(total, images)
    # Per image, over every other axis: images (n, H, W, C) or 2-D points (n, 2) alike.
    sq_norm = tf.reduce_sum(tf.reshape(tf.square(tf.cast(grads, tf.float32)), [tf.shape(images)[0], -1]), axis=1)
    w = _flat(weights)
    return tf.reduce_sum(w * sq_norm) / tf.maximum(tf.reduce_sum(w), 1.0), outputs
