"""Named toy starting points, each a full validated ToyConfig."""

from __future__ import annotations

from dataclasses import replace

from gan_core.config.tree import ConfigError, HacksConfig
from gan_core.toy.config import ToyConfig, ToyOptimizerConfig, ToyRunConfig

DEFAULT_TOY_PRESET = "default"

# The "Try it" of the hacks guide: a plain GAN on the ring. Minimax loss, hard labels and a
# fast learning rate for G: G chases D's latest weak spot and the ring collapses to a few modes.
_COLLAPSE = replace(
    ToyConfig(),
    hacks=HacksConfig(
        latent_distribution="uniform",
        real_label_range=(1.0, 1.0),
        fake_label_range=(0.0, 0.0),
        flip_probability=0.0,
        generator_loss="minimax",
        d_steps=1,
    ),
    optimizer=ToyOptimizerConfig(d_learning_rate=1e-3, g_learning_rate=1e-2, beta_1=0.9, final_lr_fraction=1.0),
    # G's own weights on screen: an average over its jumps between modes would hide the chase.
    run=ToyRunConfig(ema_decay=0.0),
)

TOY_PRESETS: dict[str, tuple[str, ToyConfig]] = {
    "default": ("Tuned to cover all 8 ring modes sharply within 30 s on 2 CPU cores.", ToyConfig()),
    "collapse": (
        "Minimax loss, hard labels, G learning 10x faster than D: watch the ring collapse to a few modes.",
        _COLLAPSE,
    ),
}


def toy_preset(name: str) -> ToyConfig:
    """The named toy preset's ToyConfig, validated; an unknown name raises ConfigError."""
    try:
        return TOY_PRESETS[name][1].validated()
    except KeyError:
        raise ConfigError(f"unknown toy preset '{name}' (known: {', '.join(TOY_PRESETS)})") from None
