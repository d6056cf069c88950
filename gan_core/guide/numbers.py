"""Every number the Hacks guide's cards state, read from where the app defines it: the
config defaults, the presets, the Train page's slider ranges (the settings table,
gan_core/config/settings.py) and the model constants (gan_core/config/architecture.py). Card
texts are format strings filled from NUMBERS, so a changed preset or slider changes the card too.

The few figures a card quotes from the literature rather than from this app (the DCGAN
networks' 5x5 kernels, R1's γ in two papers) are in PUBLISHED, each with the source a card
quoting it must cite (tests/test_guide_sources.py).
"""

from __future__ import annotations

from gan_core.config.architecture import GAUSSIAN_INIT_STD, KERNEL_DIVISIBLE, KERNEL_UNEVEN, STRIDE
from gan_core.config.presets import preset
from gan_core.config.settings import setting
from gan_core.config.tree import HacksConfig, ModelConfig, OptimizerConfig
from gan_core.guide.model import CHOLLET, DCGAN_CODE, KARRAS_ADA, MESCHEDER
from gan_core.hacks.replay_sizes import REPLAY_CAPACITY

# Adam's own defaults (Kingma & Ba 2015; keras.optimizers.Adam), what "off" means for the
# DCGAN optimizer practice.
ADAM_DEFAULT_LEARNING_RATE = 1e-3
ADAM_DEFAULT_BETA_1 = 0.9

# The "with" value of the d-steps card's comparison.
D_STEPS_TRY = 2

_hacks_preset = preset("dcgan-hacks").optimizer
# Dropout in D as Chollet's Keras DCGAN has it (0.4), the seed-tutorial preset's value. The
# DCGAN paper used none, and so does the dcgan-paper preset.
_chollet_model = preset("seed-tutorial").model


def _page(key: str) -> tuple[float, float, float]:
    """(low, high, step) of the control of `key` on the Train page."""
    return setting(key).page


NUMBERS: dict[str, float] = {
    "replay_capacity": REPLAY_CAPACITY,
    "leaky_slope": ModelConfig().leaky_slope,
    "init_std": GAUSSIAN_INIT_STD,
    "stride": STRIDE,
    "kernel_even": KERNEL_DIVISIBLE,
    "kernel_uneven": KERNEL_UNEVEN,
    "dcgan_lr": OptimizerConfig().d_learning_rate,
    "dcgan_beta_1": OptimizerConfig().beta_1,
    "adam_lr": ADAM_DEFAULT_LEARNING_RATE,
    "adam_beta_1": ADAM_DEFAULT_BETA_1,
    "hacks_lr": _hacks_preset.d_learning_rate,
    "hacks_final_lr": _hacks_preset.d_learning_rate * _hacks_preset.final_lr_fraction,
    "dropout": _chollet_model.dropout,
    "dropout_low": _page("model.dropout")[0],
    "dropout_high": _page("model.dropout")[1],
    "real_low": HacksConfig().real_label_range[0],
    "real_high": HacksConfig().real_label_range[1],
    "real_mean": sum(HacksConfig().real_label_range) / 2,
    "fake_low": HacksConfig().fake_label_range[0],
    "fake_high": HacksConfig().fake_label_range[1],
    "flip": HacksConfig().flip_probability,
    "flip_low": _page("hacks.flip_probability")[0],
    "flip_high": _page("hacks.flip_probability")[1],
    "d_steps": HacksConfig().d_steps,
    "d_steps_try": D_STEPS_TRY,
    "d_steps_low": _page("hacks.d_steps")[0],
    "d_steps_high": _page("hacks.d_steps")[1],
}

# Figures quoted from the literature: name -> (value, the source a card quoting it cites).
PUBLISHED: dict[str, tuple[float, str]] = {
    # The authors' G and D: gifn((ngf*8, ngf*4, 5, 5)) with subsample=(2, 2); the paper's Fig. 1.
    "dcgan_kernel": (5, DCGAN_CODE),
    # Chollet's loop: labels += 0.05 * np.random.random(labels.shape), on every target of D.
    "chollet_label_noise": (0.05, CHOLLET),
    # R1's γ in the authors' reference code (configs/default.yaml: reg_param 10).
    "r1_gamma_mescheder": (10, MESCHEDER),
    # StyleGAN2-ADA's cifar configuration (gamma=0.01): small images want a far smaller γ.
    "r1_gamma_cifar": (0.01, KARRAS_ADA),
}


def number_text(value: float) -> str:
    """A number as the cards write it: 0.0002, 0.3, 1.2, 5 (no trailing zeros, no exponent)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def fill(template: str) -> str:
    """A card text with each {name} replaced by NUMBERS[name] (or PUBLISHED[name]'s value) as
    number_text writes it.

    Raises KeyError for a name neither holds (a typo in a card fails at import, not on screen).
    """
    values = {name: number_text(v) for name, (v, _) in PUBLISHED.items()}
    values.update({name: number_text(v) for name, v in NUMBERS.items()})
    return template.format(**values)
