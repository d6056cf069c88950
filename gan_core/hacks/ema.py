"""An exponential moving average of the generator's weights (Karras et al. 2018, ProGAN;
Yazıcı et al. 2019): a second generator whose weights trail the trained one's, so its
samples average out the last steps' back-and-forth between the players.

The update runs inside the compiled step (a handful of fused ops over G's variables,
traced once; no Python per step), and the decay is a tf.Variable, so changing it never
retraces: 0 turns the average off, and while off it follows G, so turning it on mid-run
starts the average from G's weights of that moment.
"""

from __future__ import annotations

import keras
import tensorflow as tf


def warmed_up_decay(decay, updates):
    """The decay used at update number `updates` (0, 1, ...): min(decay, (1 + t) / (10 + t)).

    As in tf.train.ExponentialMovingAverage's num_updates: early on the average follows G
    closely, so a short run's average is not stuck near G's random start (at 0.999 the
    start would still weigh ~37% after 1,000 steps). Floats or tensors.
    """
    return (
        tf.minimum(decay, (1.0 + updates) / (10.0 + updates))
        if tf.is_tensor(updates)
        else min(decay, (1.0 + updates) / (10.0 + updates))
    )


def ema_update(average: float, current: float, decay: float) -> float:
    """One step of the average: decay * average + (1 - decay) * current.

    Works on floats, numpy arrays and tensors alike; decay in [0, 1) (0 copies `current`).
    """
    return decay * average + (1.0 - decay) * current


class GeneratorAverage:
    """A copy of `generator` (same architecture) whose weights are the moving average.

    Trainable weights are averaged with `decay`; the others (BatchNorm's moving mean and
    variance, random-layer states) are copied, as ProGAN does: an average of running
    statistics describes no network. `decay` in [0, 1); 0 is off: the average then copies G
    at every update (and its warm-up count restarts), so it equals G whenever it is turned on.
    """

    def __init__(self, generator: keras.Model, build, decay: float):
        """`build()` returns a fresh generator of the same architecture (its weights are
        overwritten with the generator's at once)."""
        if not 0.0 <= decay < 1.0:
            raise ValueError(f"the EMA decay must be in [0, 1), got {decay}")
        self.generator = generator
        self.average = build()
        self.average.set_weights(generator.get_weights())
        self.decay = tf.Variable(float(decay), trainable=False, dtype=tf.float32, name="ema_decay")
        self.updates = tf.Variable(0.0, trainable=False, dtype=tf.float32, name="ema_updates")

    def update(self) -> None:
        """One averaging step with the warmed-up decay (a copy of G while the decay is 0); call
        it inside the compiled step right after G's update. The two cases sit in a tf.cond, so a
        live change of the decay never retraces."""

        def averaged():
            decay = warmed_up_decay(self.decay, self.updates)
            for avg, var in zip(self.average.trainable_variables, self.generator.trainable_variables):
                avg.assign(tf.cast(ema_update(tf.cast(avg, tf.float32), tf.cast(var, tf.float32), decay), avg.dtype))
            self.updates.assign_add(1.0)
            return tf.constant(True)

        def copied():
            for avg, var in zip(self.average.trainable_variables, self.generator.trainable_variables):
                avg.assign(var)
            self.updates.assign(0.0)
            return tf.constant(False)

        tf.cond(self.decay > 0.0, averaged, copied)
        for avg, var in zip(self.average.non_trainable_variables, self.generator.non_trainable_variables):
            avg.assign(var)
