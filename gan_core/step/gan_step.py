"""One compiled GAN training step: k discriminator updates, then one generator update.

A custom step (GradientTape, two optimizers, explicit variable lists) instead of the
tutorials' composite model with `discriminator.trainable = False`, which Keras 3
reads at call time and so silently freezes D for good. This module holds the step's graph
(models, optimizers, G's update, the metrics); GanStep takes D's rounds from discriminator,
its real-image stream from stream, its reuse between runs from reuse and its live settings and
sampling from live.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from gan_core.config.tree import TrainConfig
from gan_core.hacks import augment
from gan_core.hacks import functions as hacks
from gan_core.hacks.ema import GeneratorAverage
from gan_core.hacks.live import LiveHacks
from gan_core.hacks.replay import ReplayRing
from gan_core.hacks.self_conditioning import cluster_labels, wants_clusters
from gan_core.nets.conditional import label_classes
from gan_core.nets.models import build_discriminator, build_generator
from gan_core.nets.precision import loss_scaled
from gan_core.step.discriminator import CLASS_LOSS_WEIGHT, DiscriminatorRounds
from gan_core.step.live import StepLive
from gan_core.step.optimizers import make_discriminator_optimizer, make_optimizer
from gan_core.step.reuse import StepReuse, graph_key
from gan_core.step.stream import RealStream, order_digest  # noqa: F401 (order_digest: importable here)

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


class GanStep(DiscriminatorRounds, RealStream, StepReuse, StepLive):
    """Models, optimizers, live hack variables and the compiled step for one run; see the mixins
    for D's rounds (DiscriminatorRounds), its real-image stream (RealStream), reuse (StepReuse)
    and live settings (StepLive)."""

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
        # are not in use (gan_core.hacks.self_conditioning).
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
        self._keep_initial(seed)
        self.live = LiveHacks(cfg.hacks)
        self.rng = tf.random.Generator.from_seed(seed)
        self._init_stream(images_uint8, labels, seed)
        self.replay = ReplayRing(self.image_shape)
        self.graph_key = graph_key(cfg, images_uint8, labels)
        self.traces = 0
        # autograph off: it would transpile every helper on each trace (seconds on 2 cores);
        # the loops are written as tf.while_loop. One function runs n steps (n a tensor: any
        # n, one trace), so a run can take several steps per call (`steps`).
        self._step = tf.function(self._train_steps, autograph=False)

    # -- the step's parts ------------------------------------------------------
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
        x = augment.diff_augment(self.rng, x, self.live.augment, background=-1.0)
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

    def _train_step(self):
        """One step (traced once): k D rounds inside G's tape, then G's update and the moving
        average's; returns the METRIC_NAMES figures (float32, shape (11,))."""
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
                    """One D round of the while loop: the first uses the step's own real batch, later ones draw more."""

                    def first():
                        """The step's own real batch and the shared fakes (the first D round)."""
                        return (real_0, shared) + ((codes_0,) if self.classes else ())

                    def later():
                        """A fresh real batch and fresh fakes (every later D round)."""
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

        return self._metrics(real_logits, real_targets, fake_logits, fake_targets, d_norm, g_loss, g_grads)

    def _metrics(self, real_logits, real_targets, fake_logits, fake_targets, d_norm, g_loss, g_grads) -> tf.Tensor:
        """The step's figures in METRIC_NAMES order, from D's last round and G's update."""
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

    def _train_steps(self, n):
        """`n` steps (an int32 scalar tensor) in one tf.while_loop: the METRIC_NAMES figures of
        each, float32, shape (n, 11)."""
        rows = tf.TensorArray(tf.float32, size=n, element_shape=[len(METRIC_NAMES)])
        _, rows = tf.while_loop(lambda i, _r: i < n, lambda i, r: (i + 1, r.write(i, self._train_step())), (0, rows))
        return rows.stack()

    def step(self) -> tf.Tensor:
        """Run one step; returns a tensor in METRIC_NAMES order (not yet fetched)."""
        return self.steps(1)[0]

    def steps(self, n: int) -> tf.Tensor:
        """Run `n` steps (1 <= n <= steps_left_in_epoch(), so none draws a real image twice in
        an epoch) in one call; returns their figures, shape (n, 11), not yet fetched. One call
        for several steps: each call takes the interpreter lock, which a server's pages hold
        much of the time (devtools/gil_share.py measures what that costs a training)."""
        # Counted here, not in the graph: k is read once per step either way, and the epoch
        # test below then needs no fetch from the step's variables.
        self.reals_in_epoch += n * self.reals_per_step()
        return self._step(tf.constant(n, tf.int32))

    def reals_per_step(self) -> int:
        """Real images the next step draws: k discriminator rounds of one half-batch each."""
        return self.half * self.live.rounds
