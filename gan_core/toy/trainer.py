"""The playground's trainer: compiled steps (D and G together, D only, G only) whose hacks are tf.Variables.

Every live control (latent distribution, label ranges, flip probability, generator loss,
D steps per G step, instance noise, replay, learning rates, Adam vs SGD) is a variable the compiled functions
read (gan_core/hacks/live.py, the image trainer's own set), so moving a slider assigns a value and never retraces;
the budget's schedules are gan_core/toy/schedule.py. The trainer has no threads:
a Streamlit fragment calls `run(n)` for a short burst, the CLI calls `train_for(seconds)`.
Changing the network, the batch size or the data set needs a new trainer.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import tensorflow as tf

from gan_core.config.tree import HacksConfig
from gan_core.hacks.ema import GeneratorAverage
from gan_core.hacks.live import LiveHacks
from gan_core.hacks.replay import ReplayRing
from gan_core.toy.bodies import ToyBodies
from gan_core.toy.config import ToyConfig
from gan_core.toy.datasets import ToyDataset
from gan_core.toy.models import build_discriminator, build_generator
from gan_core.toy.optim import SwitchableOptimizer
from gan_core.toy.schedule import budget_share, decay_scale

# Columns of `history`: one row per generator step (or per lone D / G step).
HISTORY_COLUMNS = ("step", "d_loss_real", "d_loss_fake", "g_loss", "d_acc_real", "d_acc_fake")


class ToyTrainer(ToyBodies):
    """A toy GAN on 2-D points: the two MLPs, an averaged G, the live hack variables and the
    compiled step; train with `run(n)` or `train_for(seconds)`, read `history`,
    `generated_points()` and D's probabilities. ConfigError for an invalid config.
    """

    def __init__(self, config: ToyConfig, dataset: ToyDataset):
        self.config = config.validated()
        self.dataset = dataset
        m, r = self.config.model, self.config.run
        self.generator = build_generator(m.latent_dim, m.hidden, m.depth, seed=r.seed, data_scale=dataset.scale)
        # A moving average of G's weights draws the displayed and measured points: G's own
        # weights jitter with every D update, and the jitter smears points onto the bridges
        # between modes; the average sits still on the modes.
        # The image trainer's average (gan_core/hacks/ema.py), so both warm up and switch alike.
        self._average = GeneratorAverage(
            self.generator,
            lambda: build_generator(m.latent_dim, m.hidden, m.depth, seed=r.seed, data_scale=dataset.scale),
            0.0,
        )
        self.average_generator = self._average.average
        self.discriminator = build_discriminator(
            m.d_hidden, m.depth, seed=r.seed, data_scale=dataset.scale, pack=m.pack, spectral_norm=m.spectral_norm
        )
        self._pack = m.pack
        self._rng = tf.random.Generator.from_seed(r.seed)
        self._batch = r.batch_size
        self._latent_dim = m.latent_dim
        self._pool = tf.constant(dataset.pool, tf.float32)
        self._noise_std = tf.constant(dataset.noise_std, tf.float32)
        # Fixed latent points for the display and the metrics: the same "individuals" every
        # time, so the picture moves because G changes, not because z was redrawn.
        eval_rng = np.random.default_rng(r.seed + 1)
        self._eval_normal = tf.constant(eval_rng.standard_normal((r.eval_samples, m.latent_dim)), tf.float32)
        self._eval_uniform = tf.constant(eval_rng.uniform(-1, 1, (r.eval_samples, m.latent_dim)), tf.float32)

        self._live = LiveHacks(self.config.hacks)  # the image trainer's set: one vocabulary, one rule
        # Past fake packs, in float32: points need more than the float16 of the image ring.
        self.replay = ReplayRing((2 * m.pack,), dtype=tf.float32)
        self._lr_scale = 1.0
        self.trained_seconds = 0.0  # time in scheduled training (run_scheduled), for the decay

        o = self.config.optimizer
        self._d_opt = SwitchableOptimizer(self.discriminator.trainable_variables, o.d_learning_rate, o.beta_1)
        self._g_opt = SwitchableOptimizer(self.generator.trainable_variables, o.g_learning_rate, o.beta_1)
        self.apply_live(self.config)

        self.steps = 0  # generator updates
        self.d_updates = 0
        self.trace_count = 0  # grows only while TensorFlow traces; tests read it
        self._history: list[np.ndarray] = []
        # Autograph off: the loops are explicit tf.while_loops, and converting Keras and the
        # hack functions would cost seconds of tracing on a busy CPU.
        points = [tf.TensorSpec([None, 2], tf.float32)]
        # XLA fuses the many tiny ops of small MLPs: ~1.3x the steps per second here (it was
        # slower for the image convnets), at a few more seconds of compile kept off the clock.
        self._train = tf.function(
            self._train_body, autograph=False, jit_compile=True, input_signature=[tf.TensorSpec([], tf.int32)]
        )
        self._d_only = tf.function(self._d_only_body, autograph=False)
        self._g_only = tf.function(self._g_only_body, autograph=False)
        self._probability = tf.function(self._probability_body, autograph=False, input_signature=points)
        self._gradient = tf.function(self._gradient_body, autograph=False, input_signature=points)
        self._generate = tf.function(self._generate_body, autograph=False, input_signature=[tf.TensorSpec([], tf.bool)])

    # -- live controls --------------------------------------------------------------
    def apply_live(self, config: ToyConfig) -> None:
        """Take the live part of `config` (hacks, optimizer choice and learning rates); no retrace."""
        config = config.validated()
        h: HacksConfig = config.hacks
        self._live.assign(h)
        self._average.decay.assign(config.run.ema_decay)
        o = config.optimizer
        self._g_opt.use_adam.assign(o.name == "adam")
        self._d_opt.use_adam.assign((o.name if o.d_optimizer == "same" else o.d_optimizer) == "adam")
        self.config = replace(
            self.config,
            optimizer=config.optimizer,
            hacks=h,
            run=replace(self.config.run, ema_decay=config.run.ema_decay),
        )
        self._set_learning_rates()

    def set_budget_progress(self, progress: float) -> None:
        """The share of the budget spent (0..1), which the instance noise decays over; no retrace."""
        self._live.budget_progress.assign(float(progress))

    def set_lr_scale(self, scale: float) -> None:
        """Multiply both configured learning rates by `scale` (a decay schedule's hook)."""
        self._lr_scale = float(scale)
        self._set_learning_rates()

    def _set_learning_rates(self) -> None:
        o = self.config.optimizer
        self._d_opt.learning_rate.assign(o.d_learning_rate * self._lr_scale)
        self._g_opt.learning_rate.assign(o.g_learning_rate * self._lr_scale)

    # -- stepping -------------------------------------------------------------------
    def run(self, n_steps: int) -> int:
        """`n_steps` rounds of (k D updates, one G update). Returns the total G steps so far."""
        if n_steps <= 0:
            return self.steps
        rows = self._train(tf.constant(int(n_steps), tf.int32)).numpy()
        k = self._live.rounds
        self._record(rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3], rows[:, 4], new_g=len(rows))
        self.d_updates += k * len(rows)
        return self.steps

    def step_both(self) -> int:
        """One round of (k D updates, one G update); returns the total G steps so far."""
        return self.run(1)

    def step_d(self) -> None:
        """One discriminator update alone (G still)."""
        lr, lf, ar, af = self._d_only().numpy()
        self.d_updates += 1
        self._record([lr], [lf], [np.nan], [ar], [af], new_g=0)

    def step_g(self) -> None:
        """One generator update alone (D still)."""
        g = float(self._g_only().numpy())
        self._record([np.nan], [np.nan], [g], [np.nan], [np.nan], new_g=1)

    def run_scheduled(self, n_steps: int) -> int:
        """`n_steps` rounds at the learning rates of the same linear decay as train_for, over
        this trainer's scheduled training seconds against `run.max_seconds` (the playground's
        Play; past the budget the rates stay at the final fraction). Returns G steps so far."""
        self.set_lr_scale(
            decay_scale(self.trained_seconds, self.config.run.max_seconds, self.config.optimizer.final_lr_fraction)
        )
        self.set_budget_progress(budget_share(self.trained_seconds, self.config.run.max_seconds))
        start = time.perf_counter()
        self.run(n_steps)
        self.trained_seconds += time.perf_counter() - start
        return self.steps

    @property
    def lr_scale(self) -> float:
        """The factor on both configured learning rates now (1.0 before any decay)."""
        return self._lr_scale

    def train_for(self, seconds: float, burst: int = 200) -> int:
        """Train in bursts until `seconds` pass, decaying the learning rates linearly to
        `optimizer.final_lr_fraction` of their value over the budget. Returns G steps."""
        final = self.config.optimizer.final_lr_fraction
        if self._train.experimental_get_tracing_count() == 0:
            # The one-off compile (seconds, more with XLA) is not training time, as in the
            # image trainer: one real step outside the clock pays for it.
            self.run(1)
        start = time.perf_counter()
        elapsed = 0.0
        while True:
            self.set_lr_scale(decay_scale(elapsed, seconds, final))
            self.set_budget_progress(budget_share(elapsed, seconds))
            self.run(burst)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        self.set_lr_scale(1.0)
        self.set_budget_progress(0.0)
        return self.steps

    def _record(self, d_real, d_fake, g, acc_real, acc_fake, new_g: int) -> None:
        n = len(d_real)
        step_numbers = self.steps + (np.arange(1, n + 1) if new_g else np.zeros(n))
        self.steps += new_g
        self._history.append(np.column_stack([step_numbers, d_real, d_fake, g, acc_real, acc_fake]).astype(np.float32))

    # -- views ----------------------------------------------------------------------
    @property
    def history(self) -> np.ndarray:
        """(rows, 6) array with HISTORY_COLUMNS; NaN where a lone D or G step has no value."""
        if not self._history:
            return np.zeros((0, len(HISTORY_COLUMNS)), np.float32)
        if len(self._history) > 1:
            self._history = [np.concatenate(self._history)]
        return self._history[0]

    def generated_points(self, averaged: bool = True) -> np.ndarray:
        """G's output for the fixed evaluation latent points (run.eval_samples of them), drawn by
        the moving average of G's weights (G itself when run.ema_decay is 0, or `averaged` is False)."""
        return self._generate(tf.constant(bool(averaged))).numpy()

    def d_probability(self, points: np.ndarray) -> np.ndarray:
        """D's verdict that each point is real, (n,) float32 in [0, 1]: the probability under bce,
        0 = fake target and 1 = real target under least-squares and hinge (hacks.verdicts)."""
        return self._probability(tf.constant(points, tf.float32)).numpy()

    def generator_gradient(self, points: np.ndarray) -> np.ndarray:
        """d(G's loss)/d(point) at each point: G moves its points along minus this."""
        return self._gradient(tf.constant(points, tf.float32)).numpy()
