"""Experience replay's memory: a ring of past fakes (and their classes) held in tf.Variables.

The compiled step replays from it and writes to it without any Python per sample
(ganhacks #8; Shrivastava et al. 2017).
"""

from __future__ import annotations

import tensorflow as tf

from gan_core.hacks import functions as hacks
from gan_core.hacks.replay_sizes import PIXEL_SCALE, REPLAY_CAPACITY, REPLAY_WRITES

__all__ = ["PIXEL_SCALE", "REPLAY_CAPACITY", "REPLAY_WRITES", "ReplayRing"]


class ReplayRing:
    """The ring of past fakes: `images` (capacity, *image_shape) in `dtype` (int16 fixed point for
    pixels in [-1, 1], PIXEL_SCALE; the 2-D playground keeps points, (capacity, 2 * pack), in
    float32, as they are not bounded), `classes` (capacity,) int32 (the class each fake was drawn
    for; 0 when unconditional), `cursor` and `filled` int32."""

    def __init__(self, image_shape: tuple, capacity: int = REPLAY_CAPACITY, dtype=tf.int16):
        def var(value, name):
            """A non-trainable tf.Variable holding `value` (the optimizers never see it)."""
            return tf.Variable(value, trainable=False, name=name)

        self.images = var(tf.zeros((capacity, *image_shape), dtype), "replay_buffer")
        self.classes = var(tf.zeros([capacity], tf.int32), "replay_classes")
        self.cursor = var(0, "replay_cursor")
        self.filled = var(0, "replay_filled")
        self.fixed_point = dtype == tf.int16
        self.scale = 1.0 / PIXEL_SCALE if self.fixed_point else 1.0  # stored value -> float32

    def encode(self, fakes: tf.Tensor) -> tf.Tensor:
        """float32 fakes as the ring stores them: pixels clipped to [-1, 1] and rounded to steps
        of 1/PIXEL_SCALE (in units of that step) in a fixed-point ring, else unchanged."""
        if not self.fixed_point:
            return fakes
        return tf.round(tf.clip_by_value(fakes, -1.0, 1.0) * PIXEL_SCALE)

    def clear(self) -> None:
        """Empty the ring (a new run on a reused step): nothing is replayed until fakes are written."""
        for variable in (self.images, self.classes, self.cursor, self.filled):
            variable.assign(tf.zeros_like(variable))

    def replay(self, rng: tf.random.Generator, fresh, codes, share, writes: int = REPLAY_WRITES):
        """(fakes, their class codes): the fake half (n, H, W, C), or points (n, d), with round(share · n) drawn from
        the ring (none while `share` is 0 or the ring is empty: a tf.cond, no random draws), and
        the one-hot codes (n, K) the fakes were drawn for (None when `codes` is None, unconditional).
        Then the first `writes` fresh fakes go into the ring, always, so a share switched on
        later finds it full.
        """
        fresh = tf.cast(fresh, tf.float32)
        use = (tf.cast(share, tf.float32) > 0.0) & (self.filled > 0)

        def replayed():
            """The tf.cond branch taken while replaying: mixed fakes (and their class codes)."""
            fake, chosen, index = hacks.mix_replayed(rng, fresh, self.images, self.filled, share, self.scale)
            if codes is None:
                return fake
            old = tf.one_hot(tf.gather(self.classes, index), codes.shape[-1], dtype=codes.dtype)
            return fake, tf.where(chosen[:, None], old, codes)

        def fresh_only():
            """The tf.cond branch taken otherwise: the fresh fakes (and codes) unchanged."""
            return tf.identity(fresh) if codes is None else (tf.identity(fresh), tf.identity(codes))

        out = tf.cond(use, replayed, fresh_only)
        writes = min(int(fresh.shape[0]), writes)
        rows = hacks.ring_write(self.images, self.cursor, self.filled, self.encode(fresh[:writes]))
        if codes is None:
            return out, None
        self.classes.scatter_update(tf.IndexedSlices(tf.argmax(codes[:writes], axis=1, output_type=tf.int32), rows))
        return out
