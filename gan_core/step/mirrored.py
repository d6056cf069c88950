"""One training over several devices of one machine: the step under tf.distribute.MirroredStrategy.

`make_step` is what the trainer calls: a plain `GanStep` on one device (TensorFlow's default
strategy), or a `MirroredGanStep` when more than one device is present: several GPUs, or a
CPU split into logical devices on purpose (`split_cpu`, `GAN_LAB_CPU_DEVICES`), which is how
the multi-device path is tested without a GPU.

The global batch (run.batch_size) is split evenly over the replicas; each replica runs the
same compiled step on its share, Keras sums the replicas' gradients (so each replica's loss
is divided by their number: the sum is the global batch's mean gradient), and the per-step
metrics are the replicas' mean (strategy.reduce).

What differs from one device, and why the first losses match only within a tolerance:
- BatchNormalization normalizes with each replica's own batch statistics (Keras'
  default, as in most data-parallel GAN code); the per-replica batch is run.batch_size /
  replicas, so the statistics are noisier than one device's over the whole batch.
- Random draws (z, label flips, DiffAugment) come from the same seeded generator, but each
  replica draws its own stream, so the numbers differ from the one-device run's.
- The k discriminator rounds are unrolled, not a tf.while_loop (a gradient all-reduce may
  not sit inside a replica's loop), so changing the live D steps retraces the step once
  per new k.
- Step state written inside the step that is not a model weight (the data cursor, the replay
  ring, the EMA's counter) keeps the first replica's value (ONLY_FIRST_REPLICA): the cursor
  is the same on all replicas; the replay ring keeps the first replica's fakes.
"""

from __future__ import annotations

import os

import numpy as np
import tensorflow as tf

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.step.gan_step import GanStep


def split_cpu(devices: int) -> None:
    """Split the CPU into `devices` logical devices (2..64), so MirroredStrategy replicates over
    them. Must run before TensorFlow initializes its devices (before the first op or model):
    RuntimeError otherwise. Each logical device shares the same cores: this tests the path,
    it is not a speed-up."""
    if not 2 <= devices <= 64:
        raise ConfigError(f"the CPU splits into 2..64 logical devices, not {devices}")
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * devices)


def split_cpu_from_env() -> None:
    """`split_cpu(GAN_LAB_CPU_DEVICES)` when that variable is set (CLI start); ConfigError
    (one line) when it is not a whole number in 2..64."""
    text = os.environ.get("GAN_LAB_CPU_DEVICES", "").strip()
    if not text:
        return
    devices = int(text) if text.isdigit() else 0
    if not 2 <= devices <= 64:
        raise ConfigError(f"GAN_LAB_CPU_DEVICES must be a whole number in 2..64, got {text!r}")
    split_cpu(devices)


def training_strategy() -> tf.distribute.Strategy | None:
    """MirroredStrategy over all GPUs when there are two or more, else over all logical CPU
    devices when the CPU was split into two or more; None (TensorFlow's default strategy,
    one device) otherwise."""
    gpus = tf.config.list_logical_devices("GPU")
    if len(gpus) >= 2:
        return tf.distribute.MirroredStrategy([d.name for d in gpus])
    cpus = tf.config.list_logical_devices("CPU")
    if not gpus and len(cpus) >= 2:
        return tf.distribute.MirroredStrategy([d.name for d in cpus])
    return None


def make_step(cfg: TrainConfig, images_uint8: np.ndarray, labels: np.ndarray | None = None) -> GanStep:
    """The run's compiled step: a MirroredGanStep under `training_strategy()`, else a GanStep.
    Raises ValueError (one line) when run.batch_size does not split into even halves per
    replica."""
    strategy = training_strategy()
    if strategy is None:
        return GanStep(cfg, images_uint8, labels=labels)
    return MirroredGanStep(cfg, images_uint8, labels=labels, strategy=strategy)


def _first_replica_state(next_creator, **kwargs):
    """Variables the step writes that are not trained (cursors, counters, BatchNorm's moving
    statistics): each replica writes its own copy (ON_READ), read back as the first replica's,
    as tf.keras did for BatchNorm; a MirroredVariable would synchronize on each write, which
    tf.distribute refuses inside a tf.cond (R1's second pass through D). The replay ring
    ("replay_*", replay.py) is written by scatter, which only a MirroredVariable has: it
    stays mirrored and keeps the first replica's write."""
    aggregation = kwargs.get("aggregation")
    if not kwargs.get("trainable", True) and aggregation in (None, tf.VariableAggregation.NONE):
        kwargs["aggregation"] = tf.VariableAggregation.ONLY_FIRST_REPLICA
        if not str(kwargs.get("name") or "").startswith("replay_"):
            kwargs["synchronization"] = tf.VariableSynchronization.ON_READ
    return next_creator(**kwargs)


class MirroredGanStep(GanStep):
    """GanStep whose variables are mirrored on every device of `strategy` and whose compiled
    step runs on each replica with batch run.batch_size / replicas (see the module note)."""

    def __init__(self, cfg: TrainConfig, images_uint8, labels=None, strategy: tf.distribute.Strategy = None):
        self.strategy = strategy
        self.replicas = strategy.num_replicas_in_sync
        if cfg.run.batch_size % (2 * self.replicas):
            raise ValueError(
                f"run.batch_size {cfg.run.batch_size} does not split into {self.replicas} replicas "
                f"of even size: use a multiple of {2 * self.replicas}"
            )
        with strategy.scope(), tf.variable_creator_scope(_first_replica_state):
            super().__init__(cfg, images_uint8, labels=labels)
        # The graph is traced per replica: its batch is the replica's share.
        self.global_batch = self.batch
        self.batch //= self.replicas
        self.half = self.batch // 2
        self._step = tf.function(self._mirrored_step, autograph=False)
        self._rounds = 1

    def _mirrored_step(self, rounds: int):
        self._rounds = rounds
        traced = self.traces
        per_replica = self.strategy.run(self._train_step)
        self.traces = traced + 1  # one trace of the step, however many replicas traced their part
        return self.strategy.reduce(tf.distribute.ReduceOp.MEAN, per_replica, axis=None)

    def step(self) -> tf.Tensor:
        """Run one step on every replica; the replicas' mean metrics in METRIC_NAMES order.
        A new number of D rounds traces the step once more (see _d_rounds)."""
        self.reals_in_epoch += self.reals_per_step()
        return self._step(self.live.rounds)

    def steps(self, n: int) -> tf.Tensor:
        """`n` steps, one call each (a replica's step cannot sit in a tf.while_loop, as D's
        rounds cannot); their figures, shape (n, 11)."""
        return tf.stack([self.step() for _ in range(n)])

    def _d_rounds(self, body, state: tuple) -> tuple:
        # Unrolled: a D update synchronizes the replicas (gradient all-reduce), which
        # tf.distribute does not allow inside a tf.while_loop of a replica.
        for _ in range(self._rounds):
            state = body(*state)
        return state

    def _next_real(self, n: int):
        """The replica's n real images: replica r takes the r-th n of the next n x replicas."""
        replica = tf.distribute.get_replica_context().replica_id_in_sync_group
        positions = (self.cursor + tf.cast(replica, tf.int32) * n + tf.range(n)) % self.n_images
        self.cursor.assign((self.cursor + n * self.replicas) % self.n_images)
        index = tf.gather(self.order, positions)
        pixels = tf.cast(tf.gather(self.data, index), tf.float32) / 255.0
        return (pixels * 2.0 - 1.0 if self.tanh_output else pixels), self._codes_of(index)

    def _loss_for_gradients(self, optimizer, loss):
        return super()._loss_for_gradients(optimizer, loss) / self.replicas

    def _gradient_norm(self, optimizer, grads):
        # Of the replica's own mean gradient (its share of the sum, times the replicas).
        return super()._gradient_norm(optimizer, grads) * self.replicas

    def reals_per_step(self) -> int:
        """Real images the next step draws over all replicas."""
        return super().reals_per_step() * self.replicas
