"""One compiled GAN training step: k discriminator updates, then one generator update.

A custom step (GradientTape, two optimizers, explicit variable lists) instead of the
tutorials' composite model with `discriminator.trainable = False`, which Keras 3
reads at call time and so silently freezes D for good. The real images live in a
tf.Variable and are drawn in-graph from a per-epoch permutation: the Python loop
only calls `step()`, and no batch crosses from Python per step.
"""

from __future__ import annotations

import hashlib

import keras
import numpy as np
import tensorflow as tf

from gan_core.config import TrainConfig
from gan_core.generators.images import to_model_scale
from gan_core.training import hacks
from gan_core.training.conditional import label_classes
from gan_core.training.ema import GeneratorAverage
from gan_core.training.live_hacks import LiveHacks
from gan_core.training.models import build_discriminator, build_generator
from gan_core.training.precision import loss_scaled
from gan_core.training.replay import ReplayRing
from gan_core.training.self_conditioning import cluster_labels, wants_clusters

# Weight of the class terms (D naming real classes, G being named as asked) against the
# real/fake loss, as in the AC-GAN paper.
CLASS_LOSS_WEIGHT = 1.0

# Per-step figures the step returns; the mean targets show label smoothing and flips at work.
# The last four feed the health checks (ganhacks #10, "track failures early"): the global
# gradient norms of D (the larger of the step's last two updates) and of G, and D's mean
# verdict on the real and on the fake half of its last update (hacks.verdict: the probability
# "real" under BCE; 0 = fake target, 1 = real target under every loss).
METRIC_NAMES = (
    "d_loss_real",
    "d_loss_fake",
    "g_loss",
    "d_acc_real",
    "d_acc_fake",
    "d_target_real",
    "d_target_fake",
    "d_grad_norm",
    "g_grad_norm",
    "d_prob_real",
    "d_prob_fake",
)


def order_digest(order: np.ndarray) -> str:
    """A short fingerprint of an epoch's data order (int permutation), so two orders compare cheaply."""
    return hashlib.sha1(np.ascontiguousarray(order, dtype=np.int32).tobytes()).hexdigest()[:16]


def make_optimizer(cfg: TrainConfig, learning_rate: float) -> keras.optimizers.Optimizer:
    """Adam at `learning_rate` with the config's beta_1 (0.5 in the DCGAN recipe, Radford et
    al. 2015; Adam's default is 0.9); beta_2 stays Keras' 0.999.
    """
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=cfg.optimizer.beta_1)


def make_discriminator_optimizer(cfg: TrainConfig) -> keras.optimizers.Optimizer:
    """D's optimizer at optimizer.d_learning_rate: Adam as make_optimizer, or with
    optimizer.d_optimizer = "sgd" plain SGD without momentum (ganhacks #9: "use SGD for the
    discriminator"). The rate is taken as given: SGD needs ~10x Adam's (GUIDE: 2e-3 for 2e-4),
    and the live rate control and the decay then act on SGD's rate the same way.
    """
    if cfg.optimizer.d_optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=cfg.optimizer.d_learning_rate, momentum=0.0)
    return make_optimizer(cfg, cfg.optimizer.d_learning_rate)


def _values(model: keras.Model) -> list[np.ndarray]:
    """Copies of every variable of `model` (weights, BatchNorm statistics, random-layer states)."""
    return [np.array(v.numpy()) for v in model.variables]


def graph_key(cfg: TrainConfig, images, labels=None) -> tuple:
    """What shapes the compiled step's graph: the model section, batch size, precision, D's
    optimizer and Adam's beta_1, the images' shape (count included) and the number of classes.
    Two runs with equal keys can share one traced step (GanStep.restart); everything else a
    run sets (seed, hacks, learning rates, EMA decay, the pixels) is a variable. `images` is an
    array or tf.Variable (n, H, W, C); `labels` as GanStep takes them."""
    clustered = wants_clusters(cfg.model.self_conditioning, cfg.model.use_labels, label_classes(labels) > 0)
    classes = cfg.model.self_conditioning if clustered else label_classes(labels) if cfg.model.use_labels else 0
    return (
        cfg.model,
        cfg.run.batch_size,
        cfg.run.precision,
        cfg.optimizer.d_optimizer,
        cfg.optimizer.beta_1,
        tuple(int(d) for d in images.shape),
        classes,
    )


class GanStep:
    """Models, optimizers, live hack variables and the compiled step for one run."""

    def __init__(
        self, cfg: TrainConfig, images_uint8: np.ndarray, seed: int | None = None, labels: np.ndarray | None = None
    ):
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

        # Class-conditional when asked for and the data can say which class each image is;
        # self-conditioning makes k-means clusters of the images the classes when real labels
        # are not in use (gan_core.training.self_conditioning).
        self.self_conditioned = wants_clusters(
            cfg.model.self_conditioning, cfg.model.use_labels, label_classes(labels) > 0
        )
        if self.self_conditioned:
            labels = cluster_labels(images_uint8, cfg.model.self_conditioning, seed)
        self.classes = label_classes(labels) if cfg.model.use_labels or self.self_conditioned else 0
        if self.classes and len(labels) != self.n_images:
            raise ValueError(f"{len(labels)} labels for {self.n_images} images")

        # Same weights for the same seed (Compare relies on it), from seeded layers: a process-wide
        # seed would be raced by any other thread building or loading a model meanwhile.
        self.generator = build_generator(cfg.model, self.image_shape, cfg.run.precision, self.classes, seed=seed)
        self.discriminator = build_discriminator(
            cfg.model, self.image_shape, cfg.run.precision, self.classes, seed=seed
        )
        self.d_optimizer = loss_scaled(make_discriminator_optimizer(cfg), cfg.run.precision)
        self.g_optimizer = loss_scaled(make_optimizer(cfg, cfg.optimizer.g_learning_rate), cfg.run.precision)
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)

        # The moving average of G's weights draws every sample while run.ema_decay > 0. It is
        # always built, so the decay is a live setting: while it is 0 the average follows G.
        self.ema = GeneratorAverage(
            self.generator,
            lambda: build_generator(cfg.model, self.image_shape, cfg.run.precision, self.classes, seed=seed),
            cfg.run.ema_decay,
        )
        # The models' starting values, so a reused step can start a run of the same seed again.
        self._initial = (seed, _values(self.generator), _values(self.discriminator))
        self.live = LiveHacks(cfg.hacks)
        self.rng = tf.random.Generator.from_seed(seed)
        self._shuffle_rng = np.random.default_rng(seed)
        # uint8 in a variable: 4x smaller than floats, and captured by reference, not
        # baked into the graph as a constant.
        self.data = tf.Variable(images_uint8, trainable=False, dtype=tf.uint8, name="real_images")
        self.order = tf.Variable(
            self._shuffle_rng.permutation(self.n_images).astype(np.int32), trainable=False, name="epoch_order"
        )
        self.cursor = tf.Variable(0, dtype=tf.int32, trainable=False, name="epoch_cursor")
        self.reals_in_epoch = 0  # real images drawn since the epoch's shuffle
        if self.classes:
            self.labels = tf.Variable(np.asarray(labels, dtype=np.int32), trainable=False, name="real_labels")
        self.replay = ReplayRing(self.image_shape)
        self.graph_key = graph_key(cfg, images_uint8, labels)
        self.traces = 0
        # autograph off: it would transpile every helper on each trace (seconds on 2 cores);
        # the only loop is written as tf.while_loop.
        self._step = tf.function(self._train_step, autograph=False)

    # -- reuse -------------------------------------------------------------------
    def warm_up(self) -> None:
        """Trace the compiled step and run it once, so that TensorFlow's graph optimization and
        kernel set-up (seconds on two cores, on the first call) are done too. It trains one step:
        `restart` the step before a run uses it (step_cache.prewarm does)."""
        np.asarray(self.step())

    def restart(self, cfg: TrainConfig, images_uint8: np.ndarray, labels: np.ndarray | None = None) -> None:
        """Make this step what `GanStep(cfg, images_uint8, labels=labels)` would build, without
        tracing again: the weights of cfg.run.seed, fresh optimizers, random streams, data order,
        replay ring, average and live settings, and these images (between runs, never inside one).

        `cfg` and the images must have this step's graph_key (ValueError otherwise): TensorFlow
        keeps ~10 MiB of native memory per traced step that no Python reference frees, so a
        server that starts the same configuration again reuses its step (gan_core.training.step_cache).
        """
        if graph_key(cfg, images_uint8, labels) != self.graph_key:
            raise ValueError("restart needs a configuration and data set of the same shapes as the step's")
        seed = cfg.run.seed
        if self._initial[0] != seed:
            self._initial = (
                seed,
                _values(build_generator(cfg.model, self.image_shape, cfg.run.precision, self.classes, seed=seed)),
                _values(build_discriminator(cfg.model, self.image_shape, cfg.run.precision, self.classes, seed=seed)),
            )
        _, g_values, d_values = self._initial
        for model, values in ((self.generator, g_values), (self.discriminator, d_values), (self.ema.average, g_values)):
            for variable, value in zip(model.variables, values):
                variable.assign(value)
        self.ema.updates.assign(0.0)
        for optimizer in (self.d_optimizer, self.g_optimizer):
            for variable in optimizer.variables:  # step count and moments start at 0
                variable.assign(tf.zeros_like(variable))
        self.set_learning_rates(cfg.optimizer.d_learning_rate, cfg.optimizer.g_learning_rate)
        self.cfg = cfg
        self.apply_live(cfg)
        self.live.budget_progress.assign(0.0)
        self.rng.reset_from_seed(seed)
        self._shuffle_rng = np.random.default_rng(seed)
        self.data.assign(images_uint8)
        if self.self_conditioned:  # these images' own clusters, as a fresh build makes them
            labels = cluster_labels(images_uint8, cfg.model.self_conditioning, seed)
        if self.classes:
            self.labels.assign(np.asarray(labels, dtype=np.int32))
        self.order.assign(self._shuffle_rng.permutation(self.n_images).astype(np.int32))
        self.cursor.assign(0)
        self.reals_in_epoch = 0
        self.replay.clear()

    # -- data --------------------------------------------------------------------
    def new_epoch(self) -> None:
        """A fresh shuffle of the real images (called between steps, not inside one)."""
        self.order.assign(self._shuffle_rng.permutation(self.n_images).astype(np.int32))
        self.cursor.assign(0)
        self.reals_in_epoch = 0

    def stream_state(self) -> tuple[dict, dict]:
        """Where the data order and the random streams stand, for a checkpoint.

        Returns (arrays, plain): arrays are numpy (the epoch's permutation, int32 (N,);
        the cursor into it; the tf.random.Generator state, int64), plain is JSON-ready
        (the numpy shuffle generator's bit-generator state, its algorithm name included).
        """
        arrays = {
            "order": self.order.numpy(),
            "cursor": np.asarray(self.cursor.numpy(), np.int32),
            "tf_rng_state": self.rng.state.numpy(),
        }
        return arrays, {"shuffle_rng": self._shuffle_rng.bit_generator.state}

    def set_stream_state(self, arrays, plain: dict) -> None:
        """Continue the data order and random streams saved by `stream_state` (between steps).

        Raises ValueError when the saved permutation does not fit this data set.
        """
        order = np.asarray(arrays["order"], np.int32)
        if order.shape != (self.n_images,):
            raise ValueError(f"the saved data order has {order.size} entries, the data set {self.n_images}")
        self.order.assign(order)
        self.cursor.assign(int(arrays["cursor"]))
        self.reals_in_epoch = int(arrays["cursor"])  # the cursor counts this epoch's real images
        self.rng.state.assign(np.asarray(arrays["tf_rng_state"], np.int64))
        self._shuffle_rng.bit_generator.state = plain["shuffle_rng"]

    def _next_real(self, n: int):
        """The next n real images in model scale, and their one-hot class codes."""
        positions = (self.cursor + tf.range(n)) % self.n_images
        self.cursor.assign((self.cursor + n) % self.n_images)
        index = tf.gather(self.order, positions)
        pixels = tf.cast(tf.gather(self.data, index), tf.float32) / 255.0
        return (pixels * 2.0 - 1.0 if self.tanh_output else pixels), self._codes_of(index)

    def _codes_of(self, index):
        """One-hot classes of the real images at `index`; None when unconditional."""
        if not self.classes:
            return None
        return tf.one_hot(tf.gather(self.labels, index), self.classes)

    def _random_codes(self, n: int):
        """Classes for G to draw, in the data's own class proportions (labels of random reals)."""
        if not self.classes:
            return None
        return self._codes_of(self.rng.uniform([n], 0, self.n_images, dtype=tf.int32))

    def sample_latent(self, n: int) -> tf.Tensor:
        """Latent points as the step draws them (reads the live distribution variable)."""
        return self._latent(n)

    def _latent(self, n: int) -> tf.Tensor:
        return hacks.sample_latent(self.rng, n, self.latent_dim, self.live.gaussian)

    def _judge(self, images, codes):
        """D's real/fake logits (float32, flat) and, when conditional, its class logits, for
        images before D's input hacks (augmentation, instance noise), which this applies."""
        return self._judge_seen(self._d_input(images), codes)

    def _d_input(self, images) -> tf.Tensor:
        """What D sees of `images` (model scale): DiffAugment, then instance noise, both defined
        on [-1, 1] pixels. Each sits behind a tf.cond, so off draws no random numbers and costs nothing."""
        x = tf.cast(images, tf.float32)
        x = x if self.tanh_output else x * 2.0 - 1.0
        x = hacks.diff_augment(self.rng, x, self.live.augment, background=-1.0)
        std = hacks.instance_noise_std(self.live.instance_noise, self.live.budget_progress)
        x = tf.cond(std > 0.0, lambda: hacks.add_instance_noise(self.rng, x, std), lambda: tf.identity(x))
        return x if self.tanh_output else (x + 1.0) / 2.0

    def _judge_seen(self, images, codes):
        """D's real/fake logits (float32, flat) and, when conditional, its class logits."""
        if not self.classes:
            return tf.reshape(tf.cast(self.discriminator(images, training=True), tf.float32), [-1]), None
        logits, class_logits = self.discriminator([images, codes], training=True)
        return tf.reshape(tf.cast(logits, tf.float32), [-1]), tf.cast(class_logits, tf.float32)

    def _fake(self, codes, n: int) -> tf.Tensor:
        z = self._latent(n)
        return self.generator(tf.concat([z, codes], axis=1) if self.classes else z, training=True)

    def _targets(self, is_real) -> tf.Tensor:
        return hacks.discriminator_targets(
            self.rng,
            is_real,
            self.live.flip_probability,
            tf.unstack(self.live.real_range),
            tf.unstack(self.live.fake_range),
        )

    # -- the step ----------------------------------------------------------------
    def _d_update(self, images, codes, is_real):
        """One D update; returns its logits, the (smoothed, flipped) targets it used and the
        global norm of its gradient (float32 scalar, R1's part included).

        The R1 penalty's gradient (a second pass through D on the same images) runs only while
        γ > 0 (a tf.cond: both branches are traced once, one runs)."""
        d_vars = self.discriminator.trainable_variables
        targets = self._targets(is_real)
        seen = self._d_input(images)

        def loss_of(logits, class_logits):
            loss = hacks.discriminator_loss(self.live.loss_kind, targets, logits)
            if self.classes:
                # D learns to name the classes of real images only: naming G's attempts
                # would teach it G's mistakes.
                real = tf.cast(is_real, tf.float32)
                wrong = tf.nn.softmax_cross_entropy_with_logits(codes, class_logits)
                loss += CLASS_LOSS_WEIGHT * tf.reduce_sum(real * wrong) / tf.maximum(tf.reduce_sum(real), 1.0)
            return loss

        def gradients(tape, loss):
            return [g if g is not None else tf.zeros_like(v) for g, v in zip(tape.gradient(loss, d_vars), d_vars)]

        with tf.GradientTape() as tape:
            logits, class_logits = self._judge_seen(seen, codes)
            loss = self._loss_for_gradients(self.d_optimizer, loss_of(logits, class_logits))
        grads = gradients(tape, loss)

        def r1_gradients():
            # A pass of its own, as StyleGAN2 does for its regularizers: the main update above
            # stays outside any branch, so γ = 0 leaves the step as it was.
            with tf.GradientTape() as r1_tape:
                penalty, _ = hacks.r1_penalty(lambda x: self._judge_seen(x, codes)[0], seen, is_real)
                term = self._loss_for_gradients(self.d_optimizer, 0.5 * self.live.r1_gamma * penalty)
            return gradients(r1_tape, term)

        # An all-fake half (separate batches) has no real image to penalize: skip it too.
        wanted = (self.live.r1_gamma > 0.0) & (tf.reduce_sum(tf.cast(is_real, tf.float32)) > 0.0)
        extra = tf.cond(wanted, r1_gradients, lambda: [tf.zeros_like(v) for v in d_vars])
        total = [g + e for g, e in zip(grads, extra)]
        self.d_optimizer.apply_gradients(zip(total, d_vars))
        return logits, targets, self._gradient_norm(self.d_optimizer, total)

    def compose_d_batches(self, real, fake):
        """What the two D updates of a step see (reads the live 'separate batches' switch)."""
        return hacks.discriminator_batches(self.rng, real, fake, self.live.separate)

    def _d_step(self, real, fake, codes, fake_codes=None):
        """Two D updates on two half-batches; logits and targets back in [real..., fake...] order,
        then the larger of the two updates' gradient norms.
        `codes` are the classes of the real half, which the fresh fakes were asked for too;
        `fake_codes` (default: `codes`) differ where a replayed fake was drawn for another class."""
        images, is_real, order = self.compose_d_batches(real, fake)
        halves = (None, None)
        if self.classes:
            codes = tf.gather(tf.concat([codes, codes if fake_codes is None else fake_codes], 0), order)
            halves = (codes[: self.half], codes[self.half :])
        logits_1, targets_1, norm_1 = self._d_update(images[: self.half], halves[0], is_real[: self.half])
        logits_2, targets_2, norm_2 = self._d_update(images[self.half :], halves[1], is_real[self.half :])
        back = tf.argsort(order)
        logits = tf.gather(tf.concat([logits_1, logits_2], 0), back)
        targets = tf.gather(tf.concat([targets_1, targets_2], 0), back)
        return (
            logits[: self.half],
            targets[: self.half],
            logits[self.half :],
            targets[self.half :],
            tf.maximum(norm_1, norm_2),
        )

    def _d_round(self, real, real_codes, fresh):
        """One D round on a real half and a fresh fake half drawn for the same classes (replay
        may swap some fakes for older ones); returns (real logits, real targets, fake logits,
        fake targets, gradient norm) for the metrics."""
        fake, fake_codes = self.replay.replay(self.rng, fresh, real_codes, self.live.replay_share)
        *halves, norm = self._d_step(real, fake, real_codes, fake_codes)
        return (*[tf.ensure_shape(t, [self.half]) for t in halves], norm)

    def _train_step(self):
        self.traces += 1  # Python side effect: runs only while tracing

        # G's batch is drawn once, before D's rounds, and its first half is the fake half of
        # D's first round: G's weights do not change during D's rounds, so these are the fakes
        # G would draw afterwards too, and the step saves one forward pass of G (the
        # TensorFlow DCGAN tutorial shares one generated batch the same way; ~12% of the
        # tutorial network's step on two cores). The fakes are asked for the classes of the
        # first round's real half, so D cannot tell them apart by class frequencies; G's other
        # half asks for classes in the data's own proportions.
        real_0, codes_0 = self._next_real(self.half)
        codes = self._g_codes(codes_0)
        g_vars = self.generator.trainable_variables
        with tf.GradientTape() as tape:
            fakes = self._fake(codes, self.batch)
            with tape.stop_recording():
                shared = tf.stop_gradient(fakes[: self.half])

                # k rounds (ganhacks' k D updates per G update, k the live d_steps): the first
                # takes the reals drawn above and G's shared fakes, later ones draw their own.
                # One loop body, so D's update is traced once (a second copy of it outside the
                # loop made the first trace ~3 s longer on two cores).
                def d_body(i, *_):
                    def first():
                        return (real_0, shared) + ((codes_0,) if self.classes else ())

                    def later():
                        real, real_codes = self._next_real(self.half)
                        fresh = self._fake(real_codes, self.half)
                        return (real, fresh) + ((real_codes,) if self.classes else ())

                    real, fresh, *real_codes = tf.cond(tf.equal(i, 0), first, later)
                    return (i + 1, *self._d_round(real, real_codes[0] if real_codes else None, fresh))

                # The last round's logits and targets feed the reported metrics; the plotted D
                # losses are the ones D trained on (so smoothing above 1 can push them below 0).
                zeros = tf.zeros([self.half])
                _, real_logits, real_targets, fake_logits, fake_targets, d_norm = self._d_rounds(
                    d_body, (tf.constant(0), zeros, zeros, zeros, zeros, tf.constant(0.0))
                )
            g_logits, class_logits = self._judge(fakes, codes)
            g_loss = hacks.adversarial_generator_loss(self.live.loss_kind, g_logits, self.live.non_saturating)
            # The plotted g_loss stays the real/fake part, comparable with and without labels.
            trained_on = g_loss
            if self.classes:
                trained_on += CLASS_LOSS_WEIGHT * tf.reduce_mean(
                    tf.nn.softmax_cross_entropy_with_logits(codes, class_logits)
                )
            trained_on = self._loss_for_gradients(self.g_optimizer, trained_on)
        g_grads = tape.gradient(trained_on, g_vars)
        self.g_optimizer.apply_gradients(zip(g_grads, g_vars))
        self.ema.update()

        kind = self.live.loss_kind
        return tf.stack(
            [
                hacks.discriminator_loss(kind, real_targets, real_logits),
                hacks.discriminator_loss(kind, fake_targets, fake_logits),
                g_loss,
                hacks.decision_accuracy(kind, real_logits, True),
                hacks.decision_accuracy(kind, fake_logits, False),
                tf.reduce_mean(real_targets),
                tf.reduce_mean(fake_targets),
                d_norm,
                self._gradient_norm(self.g_optimizer, g_grads),
                hacks.verdict(kind, real_logits),
                hacks.verdict(kind, fake_logits),
            ]
        )

    def _g_codes(self, first_codes):
        """Classes of G's batch: those of the first D round's real half, then random ones in
        the data's proportions (None when unconditional)."""
        if not self.classes:
            return None
        return tf.concat([first_codes, self._random_codes(self.batch - self.half)], 0)

    def _d_rounds(self, body, state: tuple) -> tuple:
        """The step's k discriminator rounds (k: the live d_steps) as one tf.while_loop over
        `body(i, *rest) -> state`; returns the last state."""
        return tf.while_loop(lambda i, *_: i < self.live.d_steps, body, state)

    def _loss_for_gradients(self, optimizer, loss) -> tf.Tensor:
        """`loss` as its gradients are taken (inside the tape): times the optimizer's loss scale
        (LossScaleOptimizer under fp16; 1 otherwise). A multi-device step (mirrored.py) also
        divides by the replicas, as Keras sums their gradients."""
        return optimizer.scale_loss(loss)

    def _gradient_norm(self, optimizer, grads) -> tf.Tensor:
        """The global norm of `grads` (float32 scalar) with the loss scale taken back out."""
        return tf.cast(tf.linalg.global_norm(grads), tf.float32) / tf.cast(optimizer.scale_loss(1.0), tf.float32)

    def step(self) -> tf.Tensor:
        """Run one step; returns a tensor in METRIC_NAMES order (not yet fetched)."""
        # Counted here, not in the graph: k is read once per step either way, and the epoch
        # test below then needs no fetch from the step's variables.
        self.reals_in_epoch += self.reals_per_step()
        return self._step()

    def reals_per_step(self) -> int:
        """Real images the next step draws: k discriminator rounds of one half-batch each."""
        return self.half * int(self.live.d_steps.numpy())

    @property
    def epoch_complete(self) -> bool:
        """True once another step would draw a real image this epoch has already shown D:
        the epoch is one pass over the real images (the last n mod (k x half) are left out,
        as a batched pass drops its remainder). new_epoch() starts the next pass."""
        return self.reals_in_epoch + self.reals_per_step() > self.n_images

    # -- live settings -----------------------------------------------------------
    def set_learning_rates(self, d_lr: float, g_lr: float) -> None:
        """Assign both optimizers' learning rates (live changes and the decay; no retrace)."""
        self.d_optimizer.learning_rate.assign(d_lr)
        self.g_optimizer.learning_rate.assign(g_lr)

    def apply_live(self, cfg: TrainConfig) -> None:
        """Take every live setting of `cfg` (its hacks and run.ema_decay) at the next step; no retrace.
        The learning rates go through set_learning_rates (the loop scales them by its decay)."""
        self.live.assign(cfg.hacks)
        self.ema.decay.assign(float(cfg.run.ema_decay))

    @property
    def ema_active(self) -> bool:
        """Whether the moving average of G draws the samples now (run.ema_decay > 0, live)."""
        return bool(self.ema.decay.numpy() > 0.0)

    def set_budget_progress(self, progress: float) -> None:
        """The share of the run's budget spent (0..1), which the instance noise decays over (no retrace)."""
        self.live.budget_progress.assign(float(progress))

    # -- sampling ----------------------------------------------------------------
    @property
    def sampling_generator(self) -> keras.Model:
        """The generator that draws grids, quality samples and the saved generator.keras: the
        moving average of G's weights while run.ema_decay > 0 (read now: it is live), else G itself."""
        return self.ema.average if self.ema_active else self.generator

    def generate(self, z: np.ndarray) -> np.ndarray:
        """Generator output (inference mode) for latent points (with their class code when
        conditional, see latent.sample_latent), as float32 numpy; drawn by sampling_generator."""
        out = self.sampling_generator(tf.convert_to_tensor(z, tf.float32), training=False)
        return np.asarray(tf.cast(out, tf.float32))

    def real_in_model_scale(self, images_uint8: np.ndarray) -> np.ndarray:
        """uint8 images (n, H, W, C) as float32 in the generator's scale: [-1, 1] (tanh) or [0, 1]."""
        return to_model_scale(images_uint8, self.tanh_output)
