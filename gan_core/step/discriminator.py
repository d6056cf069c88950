"""D's side of the compiled step (a mixin of gan_core.step.gan_step.GanStep): its targets, one
update with its losses and the R1 penalty, the two half-batch updates of a round, and a round
with experience replay.

Everything here runs inside the step's one trace and reads the live hack variables
(gan_core.hacks.live), so a slider never retraces it.
"""

from __future__ import annotations

import tensorflow as tf

from gan_core.hacks import functions as hacks

# Weight of the class terms (D naming real classes, G being named as asked) against the
# real/fake loss, as in the AC-GAN paper.
CLASS_LOSS_WEIGHT = 1.0


class DiscriminatorRounds:
    """D's updates within the step. Uses the step's rng, live variables, discriminator and its
    optimizer, classes, half (images per D update), replay ring, and its `_judge_seen`,
    `_d_input`, `_loss_for_gradients` and `_gradient_norm`."""

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
            """D's loss on a batch: the adversarial loss against `targets`, plus the class loss on real images."""
            loss = hacks.discriminator_loss(self.live.loss_kind, targets, logits)
            if self.classes:
                # D learns to name the classes of real images only: naming G's attempts
                # would teach it G's mistakes.
                real = tf.cast(is_real, tf.float32)
                wrong = tf.nn.softmax_cross_entropy_with_logits(codes, class_logits)
                loss += CLASS_LOSS_WEIGHT * tf.reduce_sum(real * wrong) / tf.maximum(tf.reduce_sum(real), 1.0)
            return loss

        def gradients(tape, loss):
            """D's gradients of `loss`, zeros for variables the loss does not reach."""
            return [g if g is not None else tf.zeros_like(v) for g, v in zip(tape.gradient(loss, d_vars), d_vars)]

        with tf.GradientTape() as tape:
            logits, class_logits = self._judge_seen(seen, codes)
            loss = self._loss_for_gradients(self.d_optimizer, loss_of(logits, class_logits))
        grads = gradients(tape, loss)

        def r1_gradients():
            """R1's gradients on the real batch (Mescheder et al. 2018), scaled by γ/2."""
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
