"""The hack settings that change while training runs, held as tf.Variables: one set for the
image trainer and the 2D playground.

The compiled step reads these variables every step, so moving a slider assigns a
value and never retraces. Learning rates live in the optimizers' own variables, and the
moving average's decay (run.ema_decay) in the average's (gan_core/hacks/ema.py).
"""

from __future__ import annotations

import tensorflow as tf

from gan_core.config.settings import IMAGE, live_markers
from gan_core.config.tree import ADVERSARIAL_LOSSES, HacksConfig, TrainConfig
from gan_core.hacks.augment import augment_flags

# The settings a running training takes at its next step, and the short name each change's
# marker carries on the curves: the settings table's live entries.
LIVE_KEYS = live_markers(IMAGE)


class LiveHacks:
    """The live hacks of one run as non-trainable tf.Variables the compiled step reads.

    gaussian (bool), separate (bool), real_range and fake_range ((2,) float32 targets),
    flip_probability (float32, 0..0.5), non_saturating (bool), d_steps (int32, 1..10; also
    `rounds`, its value as a Python int).
    Sources: ganhacks (Chintala et al. 2016) for latent, batches, smoothing and flips;
    Goodfellow et al. 2014 for the non-saturating G loss and k D steps per G step.
    After that list: instance_noise (float32 start std) with budget_progress (float32 0..1,
    set by the loop, not the config) for its linear decay; replay_share (float32 0..1);
    loss_kind (int32 index into ADVERSARIAL_LOSSES); r1_gamma (float32 ≥ 0); augment
    ((3,) bool, one per DIFF_AUGMENT_POLICIES entry). Their values and sources (Sønderby et al.
    2016, Shrivastava et al. 2017, Mao et al. 2017, Lim & Ye 2017, Mescheder et al. 2018, Zhao et
    al. 2020) are on the cards of gan_core/guide/stabilizer_cards.py.
    """

    def __init__(self, hacks: HacksConfig):
        def var(value, dtype, name):
            """A non-trainable scalar or vector tf.Variable of `dtype` holding `value`, named `name`
            (so checkpoints and graph dumps say which hack it is); optimizers never see it."""
            return tf.Variable(value, dtype=dtype, trainable=False, name=name)

        self.gaussian = var(True, tf.bool, "gaussian_latent")
        self.separate = var(True, tf.bool, "separate_batches")
        self.real_range = var([1.0, 1.0], tf.float32, "real_label_range")
        self.fake_range = var([0.0, 0.0], tf.float32, "fake_label_range")
        self.flip_probability = var(0.0, tf.float32, "flip_probability")
        self.non_saturating = var(True, tf.bool, "non_saturating")
        self.d_steps = var(1, tf.int32, "d_steps")
        self.instance_noise = var(0.0, tf.float32, "instance_noise")
        self.budget_progress = var(0.0, tf.float32, "budget_progress")
        self.replay_share = var(0.0, tf.float32, "replay_share")
        self.loss_kind = var(0, tf.int32, "adversarial_loss")
        self.r1_gamma = var(0.0, tf.float32, "r1_gamma")
        self.augment = var([False, False, False], tf.bool, "diff_augment")
        # d_steps as a Python int too: the loop counts the real images each step draws, and
        # reading the variable there took three eager ops a step, each a wait for the GIL
        # while a class's pages hold it (the step itself reads the variable).
        self.rounds = 1
        self.assign(hacks)

    def assign(self, hacks: HacksConfig) -> None:
        """Copy a HacksConfig into the variables (takes effect at the next step, no retrace)."""
        self.gaussian.assign(hacks.latent_distribution == "gaussian")
        self.separate.assign(bool(hacks.separate_batches))
        self.real_range.assign(list(hacks.real_label_range))
        self.fake_range.assign(list(hacks.fake_label_range))
        self.flip_probability.assign(float(hacks.flip_probability))
        self.non_saturating.assign(hacks.generator_loss == "non-saturating")
        self.d_steps.assign(int(hacks.d_steps))
        self.rounds = int(hacks.d_steps)
        self.instance_noise.assign(float(hacks.instance_noise))
        self.replay_share.assign(float(hacks.replay_share))
        self.loss_kind.assign(ADVERSARIAL_LOSSES.index(hacks.adversarial_loss))
        self.r1_gamma.assign(float(hacks.r1_gamma))
        self.augment.assign(augment_flags(hacks.diff_augment))


def live_values(cfg: TrainConfig) -> dict:
    """{dotted key: value} of every LIVE_KEYS setting in `cfg` (hacks, the two learning rates, the EMA decay)."""
    out = {}
    for key in LIVE_KEYS:
        section, name = key.split(".")
        out[key] = getattr(getattr(cfg, section), name)
    return out
