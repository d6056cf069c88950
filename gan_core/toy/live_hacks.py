"""The playground's live hacks, held as tf.Variables its compiled functions read.

Moving a slider assigns a value and never retraces. The toy's own set, not the image
trainer's (gan_core/hacks/live.py): points have no BatchNorm to keep separate
batches for and no DiffAugment, and its generator-loss switch is a float.
"""

from __future__ import annotations

import tensorflow as tf

from gan_core.config.tree import ADVERSARIAL_LOSSES, HacksConfig


class ToyLiveHacks:
    """The live hacks of one toy trainer as non-trainable tf.Variables.

    gaussian (bool latent choice), real_range and fake_range ((2,) float32 targets),
    flip (float32, 0..0.5), non_saturating (float32, 1.0 or 0.0), d_steps (int32, 1..10),
    loss_kind (int32 index into ADVERSARIAL_LOSSES), r1_gamma (float32 ≥ 0), instance_noise
    (float32 start std in the data's units), progress (float32 0..1: the budget's share spent,
    which the noise decays over; set by the trainer, not the config), replay_share (float32
    0..1). Sources: ganhacks (Chintala et al. 2016) and, for the later hacks, the papers on the
    cards of gan_core/guide/stabilizer_cards.py, as for the image trainer.
    Created at neutral values; `assign` copies a HacksConfig in.
    """

    def __init__(self):
        self.gaussian = tf.Variable(True, trainable=False)
        self.real_range = tf.Variable([1.0, 1.0], trainable=False)
        self.fake_range = tf.Variable([0.0, 0.0], trainable=False)
        self.flip = tf.Variable(0.0, trainable=False)
        self.non_saturating = tf.Variable(1.0, trainable=False)
        self.d_steps = tf.Variable(1, trainable=False)
        self.loss_kind = tf.Variable(0, trainable=False)  # index into ADVERSARIAL_LOSSES
        self.r1_gamma = tf.Variable(0.0, trainable=False)
        # Instance noise: its start std in the data's units, and the budget's share spent (0..1).
        self.instance_noise = tf.Variable(0.0, trainable=False)
        self.progress = tf.Variable(0.0, trainable=False)
        self.replay_share = tf.Variable(0.0, trainable=False)

    def assign(self, h: HacksConfig) -> None:
        """Copy a validated HacksConfig into the variables (the next step reads them; no retrace).
        `progress` is left alone: it follows the run's budget, not the config."""
        self.gaussian.assign(h.latent_distribution == "gaussian")
        self.real_range.assign(list(h.real_label_range))
        self.fake_range.assign(list(h.fake_label_range))
        self.flip.assign(h.flip_probability)
        self.non_saturating.assign(1.0 if h.generator_loss == "non-saturating" else 0.0)
        self.d_steps.assign(h.d_steps)
        self.loss_kind.assign(ADVERSARIAL_LOSSES.index(h.adversarial_loss))
        self.r1_gamma.assign(h.r1_gamma)
        self.instance_noise.assign(h.instance_noise)
        self.replay_share.assign(h.replay_share)
