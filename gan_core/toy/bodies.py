"""The 2D playground's compiled bodies (a mixin of gan_core.toy.trainer.ToyTrainer): D's and
G's updates with the live hacks, the training loop's body, and the views' bodies (D's
probability, G's gradient, the generated points).

Each is traced once by the trainer's tf.functions and reads the live hack variables
(gan_core.hacks.live), so moving a slider never retraces.
"""

from __future__ import annotations

import tensorflow as tf

from gan_core.hacks import functions as hacks


class ToyBodies:
    """The trainer's graph functions. Uses the trainer's networks, optimizers, live variables,
    random generator, batch, pack, latent size, data pool and noise, replay ring and average."""

    def _latent(self, n):
        return hacks.sample_latent(self._rng, n, self._latent_dim, self._live.gaussian)

    def _packed(self, points):
        # PacGAN: D judges `pack` points at once, so a G that piles its points onto a few
        # modes (or a bridge) shows in the pack's joint statistics, not just in each point.
        return tf.reshape(points, [-1, 2 * self._pack])

    def _real_batch(self):
        n = self._batch * self._pack
        idx = self._rng.uniform([n], 0, tf.shape(self._pool)[0], dtype=tf.int32)
        points = tf.gather(self._pool, idx)
        return self._packed(points + self._noise_std * self._rng.normal([n, 2]))

    def _fake_batch(self):
        return self._packed(self.generator(self._latent(self._batch * self._pack), training=True))

    def _d_input(self, points):
        """What D sees of packed points: plus N(0, std²) per coordinate while the decaying
        instance-noise std is above 0 (a tf.cond: off draws nothing)."""
        std = hacks.instance_noise_std(self._live.instance_noise, self._live.budget_progress)
        return tf.cond(std > 0.0, lambda: hacks.add_instance_noise(self._rng, points, std), lambda: tf.identity(points))

    def _d_update(self):
        real = self._d_input(self._real_batch())
        # A share of the fake packs comes from the ring of past ones (experience replay).
        fake, _ = self.replay.replay(self._rng, self._fake_batch(), None, self._live.replay_share)
        fake = self._d_input(fake)
        ones, zeros = tf.ones([self._batch]), tf.zeros([self._batch])
        live = self._live
        t_real = hacks.discriminator_targets(self._rng, ones, live.flip_probability, live.real_range, live.fake_range)
        t_fake = hacks.discriminator_targets(self._rng, zeros, live.flip_probability, live.real_range, live.fake_range)
        variables = self.discriminator.trainable_variables

        def losses():
            """D's logits and losses on the real and the fake points."""
            real_logits = self.discriminator(real, training=True)
            fake_logits = self.discriminator(fake, training=True)
            return (
                real_logits,
                fake_logits,
                hacks.discriminator_loss(self._live.loss_kind, t_real, real_logits),
                hacks.discriminator_loss(self._live.loss_kind, t_fake, fake_logits),
            )

        def plain():
            """D's update without R1."""
            with tf.GradientTape() as tape:
                real_logits, fake_logits, loss_real, loss_fake = losses()
                loss = loss_real + loss_fake
            return [real_logits, fake_logits, loss_real, loss_fake, *tape.gradient(loss, variables)]

        def with_r1():
            """D's update with the R1 penalty on the real points."""
            # R1 (Mescheder et al. 2018): γ/2 · E‖∇ₓD(x)‖² on the real points, only while γ > 0.
            with tf.GradientTape() as tape:
                real_logits, fake_logits, loss_real, loss_fake = losses()
                penalty, _ = hacks.r1_penalty(lambda x: self.discriminator(x, training=True), real, ones)
                loss = loss_real + loss_fake + 0.5 * self._live.r1_gamma * penalty
            return [real_logits, fake_logits, loss_real, loss_fake, *tape.gradient(loss, variables)]

        real_logits, fake_logits, loss_real, loss_fake, *grads = tf.cond(self._live.r1_gamma > 0.0, with_r1, plain)
        self._d_opt.apply(grads)
        return tf.stack(
            [
                loss_real,
                loss_fake,
                hacks.decision_accuracy(self._live.loss_kind, real_logits, True),
                hacks.decision_accuracy(self._live.loss_kind, fake_logits, False),
            ]
        )

    def _g_update(self):
        variables = self.generator.trainable_variables
        with tf.GradientTape() as tape:
            logits = self.discriminator(self._d_input(self._fake_batch()), training=True)
            loss = hacks.adversarial_generator_loss(self._live.loss_kind, logits, self._live.non_saturating)
        self._g_opt.apply(tape.gradient(loss, variables))
        self._average.update()
        return loss

    def _train_body(self, n):
        self.trace_count += 1

        def d_round(j, _stats):
            """One D update inside the while loop (its counter and figures)."""
            return j + 1, self._d_update()

        def one_step(i, rows):
            """One training step of the loop: d_steps D updates, one G update, its figures kept in `rows`."""
            _, d_stats = tf.while_loop(lambda j, _s: j < self._live.d_steps, d_round, (tf.constant(0), tf.zeros([4])))
            g_loss = self._g_update()
            return i + 1, rows.write(i, tf.stack([d_stats[0], d_stats[1], g_loss, d_stats[2], d_stats[3]]))

        _, rows = tf.while_loop(lambda i, _r: i < n, one_step, (tf.constant(0), tf.TensorArray(tf.float32, size=n)))
        return rows.stack()

    def _d_only_body(self):
        self.trace_count += 1
        return self._d_update()

    def _g_only_body(self):
        self.trace_count += 1
        return self._g_update()

    def _probability_body(self, points):
        self.trace_count += 1
        return hacks.verdicts(self._live.loss_kind, self.discriminator(self._copies(points), training=False))

    def _copies(self, points):
        # A packing D scores `pack` points together; a lone point is scored as a pack of its copies.
        return tf.tile(points, [1, self._pack])

    def _gradient_body(self, points):
        self.trace_count += 1
        with tf.GradientTape() as tape:
            tape.watch(points)
            logits = self.discriminator(self._copies(points), training=False)
            # A sum, not a mean: each point's gradient is then its own loss's gradient.
            n = tf.cast(tf.shape(points)[0], tf.float32)
            loss = hacks.adversarial_generator_loss(self._live.loss_kind, logits, self._live.non_saturating) * n
        return tape.gradient(loss, points)

    def _generate_body(self, averaged):
        self.trace_count += 1
        z = tf.where(self._live.gaussian, self._eval_normal, self._eval_uniform)
        return tf.where(averaged, self.average_generator(z, training=False), self.generator(z, training=False))
