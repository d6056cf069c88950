"""One compiled GAN training step: k discriminator updates, then one generator update.

A custom step (GradientTape, two optimizers, explicit variable lists) instead of the
tutorials' composite model with `discriminator.trainable = False`, which Keras 3
reads at call time and so silently freezes D for good. The real images live in a
tf.Variable and are drawn in-graph from a per-epoch permutation: the Python loop
only calls `step()`, and no batch crosses from Python per step.
"""
from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from . import hacks
from .config import TrainConfig
from .images import to_model_scale
from .live_hacks import LiveHacks
from .models import build_discriminator, build_generator

# Per-step figures the step returns; the mean targets show label smoothing and flips at work.
METRIC_NAMES = ("d_loss_real", "d_loss_fake", "g_loss", "d_acc_real", "d_acc_fake",
                "d_target_real", "d_target_fake")


def make_optimizer(cfg: TrainConfig, learning_rate: float) -> keras.optimizers.Optimizer:
    # "Off" for the DCGAN optimizer practice means Adam's default momentum.
    beta_1 = cfg.optimizer.beta_1 if cfg.optimizer.dcgan_adam else 0.9
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=beta_1)


class GanStep:
    """Models, optimizers, live hack variables and the compiled step for one run."""

    def __init__(self, cfg: TrainConfig, images_uint8: np.ndarray, seed: int | None = None):
        self.cfg = cfg
        seed = cfg.run.seed if seed is None else seed
        self.image_shape = tuple(images_uint8.shape[1:])
        self.n_images = int(images_uint8.shape[0])
        self.batch = cfg.run.batch_size
        if self.n_images < self.batch:
            raise ValueError(f"the data set has {self.n_images} images, fewer than one batch of {self.batch}")
        self.half = self.batch // 2
        self.latent_dim = cfg.model.latent_dim
        self.tanh_output = cfg.model.tanh_output

        keras.utils.set_random_seed(seed)   # same weights for the same seed (Compare relies on it)
        self.generator = build_generator(cfg.model, self.image_shape, cfg.run.precision)
        self.discriminator = build_discriminator(cfg.model, self.image_shape, cfg.run.precision)
        self.d_optimizer = make_optimizer(cfg, cfg.optimizer.d_learning_rate)
        self.g_optimizer = make_optimizer(cfg, cfg.optimizer.g_learning_rate)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

        self.live = LiveHacks(cfg.hacks)
        self.rng = tf.random.Generator.from_seed(seed)
        self._shuffle_rng = np.random.default_rng(seed)
        # uint8 in a variable: 4x smaller than floats, and captured by reference, not
        # baked into the graph as a constant.
        self.data = tf.Variable(images_uint8, trainable=False, dtype=tf.uint8, name="real_images")
        self.order = tf.Variable(self._shuffle_rng.permutation(self.n_images).astype(np.int32),
                                 trainable=False, name="epoch_order")
        self.cursor = tf.Variable(0, dtype=tf.int32, trainable=False, name="epoch_cursor")
        self.traces = 0
        # autograph off: it would transpile every helper on each trace (seconds on 2 cores);
        # the only loop is written as tf.while_loop.
        self._step = tf.function(self._train_step, autograph=False)

    # -- data --------------------------------------------------------------------
    def new_epoch(self) -> None:
        """A fresh shuffle of the real images (called between steps, not inside one)."""
        self.order.assign(self._shuffle_rng.permutation(self.n_images).astype(np.int32))
        self.cursor.assign(0)

    def _next_real(self, n: int) -> tf.Tensor:
        positions = (self.cursor + tf.range(n)) % self.n_images
        self.cursor.assign((self.cursor + n) % self.n_images)
        pixels = tf.cast(tf.gather(self.data, tf.gather(self.order, positions)), tf.float32) / 255.0
        return pixels * 2.0 - 1.0 if self.tanh_output else pixels

    def sample_latent(self, n: int) -> tf.Tensor:
        """Latent points as the step draws them (reads the live distribution variable)."""
        return self._latent(n)

    def _latent(self, n: int) -> tf.Tensor:
        return hacks.sample_latent(self.rng, n, self.latent_dim, self.live.gaussian)

    def _targets(self, is_real) -> tf.Tensor:
        return hacks.discriminator_targets(self.rng, is_real, self.live.flip_probability,
                                           tf.unstack(self.live.real_range), tf.unstack(self.live.fake_range))

    # -- the step ----------------------------------------------------------------
    def _d_update(self, images, is_real):
        """One D update; returns its logits and the (smoothed, flipped) targets it used."""
        d_vars = self.discriminator.trainable_variables
        targets = self._targets(is_real)
        with tf.GradientTape() as tape:
            logits = tf.reshape(tf.cast(self.discriminator(images, training=True), tf.float32), [-1])
            loss = hacks.bce_with_logits(targets, logits)
        self.d_optimizer.apply_gradients(zip(tape.gradient(loss, d_vars), d_vars))
        return logits, targets

    def compose_d_batches(self, real, fake):
        """What the two D updates of a step see (reads the live 'separate batches' switch)."""
        return hacks.discriminator_batches(self.rng, real, fake, self.live.separate)

    def _d_step(self, real, fake):
        """Two D updates on two half-batches; logits and targets back in [real..., fake...] order."""
        images, is_real, order = self.compose_d_batches(real, fake)
        logits_1, targets_1 = self._d_update(images[:self.half], is_real[:self.half])
        logits_2, targets_2 = self._d_update(images[self.half:], is_real[self.half:])
        back = tf.argsort(order)
        logits = tf.gather(tf.concat([logits_1, logits_2], 0), back)
        targets = tf.gather(tf.concat([targets_1, targets_2], 0), back)
        return logits[:self.half], targets[:self.half], logits[self.half:], targets[self.half:]

    def _train_step(self):
        self.traces += 1   # Python side effect: runs only while tracing
        # The last D update's logits and targets feed the reported metrics; the plotted
        # D losses are the ones D trained on (so smoothing above 1 can push them below 0).
        def d_body(i, *_):
            real = self._next_real(self.half)
            fake = tf.cast(self.generator(self._latent(self.half), training=True), tf.float32)
            return (i + 1, *[tf.ensure_shape(t, [self.half]) for t in self._d_step(real, fake)])

        zeros = tf.zeros([self.half])
        _, real_logits, real_targets, fake_logits, fake_targets = tf.while_loop(
            lambda i, *_: i < self.live.d_steps, d_body, (tf.constant(0), zeros, zeros, zeros, zeros))

        g_vars = self.generator.trainable_variables
        with tf.GradientTape() as tape:
            g_logits = self.discriminator(self.generator(self._latent(self.batch), training=True), training=True)
            g_loss = hacks.generator_loss(g_logits, self.live.non_saturating)
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_vars), g_vars))

        return tf.stack([hacks.bce_with_logits(real_targets, real_logits),
                         hacks.bce_with_logits(fake_targets, fake_logits),
                         g_loss, hacks.accuracy(real_logits, True), hacks.accuracy(fake_logits, False),
                         tf.reduce_mean(real_targets), tf.reduce_mean(fake_targets)])

    def step(self) -> tf.Tensor:
        """Run one step; returns a tensor in METRIC_NAMES order (not yet fetched)."""
        return self._step()

    # -- live settings -----------------------------------------------------------
    def set_learning_rates(self, d_lr: float, g_lr: float) -> None:
        self.d_optimizer.learning_rate.assign(d_lr)
        self.g_optimizer.learning_rate.assign(g_lr)

    # -- sampling ----------------------------------------------------------------
    def generate(self, z: np.ndarray) -> np.ndarray:
        """Generator output (inference mode) for latent points, as float32 numpy."""
        out = self.generator(tf.convert_to_tensor(z, tf.float32), training=False)
        return np.asarray(tf.cast(out, tf.float32))

    def real_in_model_scale(self, images_uint8: np.ndarray) -> np.ndarray:
        return to_model_scale(images_uint8, self.tanh_output)
