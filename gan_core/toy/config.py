"""The toy playground's configuration: frozen dataclasses, validation, dotted overrides.

It speaks the main config's vocabulary: the `hacks` section *is* `gan_core.config.tree.HacksConfig`
(validated by the same rules), so `hacks.flip_probability=0.1` means the same thing in both.
`hacks.separate_batches` has no effect here: without BatchNorm, D's gradient on one mixed
batch equals the one on separate real and fake batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gan_core.config.keys import DottedKeys
from gan_core.config.settings import TOY, value_problems
from gan_core.config.tree import HacksConfig


@dataclass(frozen=True)
class ToyDataConfig:
    """The playground's points: a built-in data set name or a CSV file of x,y points."""

    # "ring", "grid", "spiral", "moons" or a path to a CSV file of x,y points.
    dataset: str = "ring"


@dataclass(frozen=True)
class ToyModelConfig:
    """The two MLPs: latent_dim 1..64, widths hidden (G) and d_hidden (D) 4..1024, depth 1..8
    hidden layers each, pack 1..8 points judged together by D (PacGAN, Lin et al. 2018).
    """

    # A 2-D latent measured better than 8-D on the ring: even mode shares (KL ~0.02 vs 0.26).
    latent_dim: int = 2
    # Generator width: 128 with batch 512 covered the 25-grid far better in 60 s than 64 with
    # batch 256 (measured over seeds 0-2: 23-25 modes vs 17-21), while the ring stays at 8/8.
    hidden: int = 128
    depth: int = 3  # hidden layers in G and in D
    d_hidden: int = 128  # discriminator width: a slightly stronger D keeps G honest
    # PacGAN packing: D judges this many points at once (1 = one point, the plain GAN).
    # run.batch_size counts packs, so a step draws batch_size * pack points of each kind.
    pack: int = 1
    # Spectral normalization of D's dense layers (Miyato et al. 2018); next start (reset).
    spectral_norm: bool = False


@dataclass(frozen=True)
class ToyOptimizerConfig:
    """The optimizer of both networks, "adam" or "sgd" (live); learning rates in (0, 1]; beta_1
    is Adam's; final_lr_fraction in (0, 1] ends a timed run's linear decay.
    """

    name: str = "adam"  # or "sgd"; switchable live
    # D's own choice (ganhacks #9: SGD for D, Adam for G): "same" follows `name`. Live.
    d_optimizer: str = "same"
    d_learning_rate: float = 2e-3
    g_learning_rate: float = 2e-3
    beta_1: float = 0.5
    # Linear decay of both learning rates to this fraction over a timed run (1.0 = constant).
    # The late, small steps are what make the clusters tight (std 0.01 on the ring).
    final_lr_fraction: float = 0.01


@dataclass(frozen=True)
class ToyRunConfig:
    """Batch size (2..4096 packs per step), time budget in seconds (0: one step), seed,
    eval_samples (100..100000) for the metrics, ema_decay in [0, 1) of the averaged G.
    """

    batch_size: int = 512  # real points, and generated points, per step
    max_seconds: float = 30.0
    seed: int = 0
    eval_samples: int = 2500  # the mode metrics' sample count (VEEGAN / PacGAN use 2,500)
    # Decay of the moving average of G's weights that draws the shown and measured points
    # (0 = G's own weights). Live: changing it never retraces.
    ema_decay: float = 0.999


def toy_hacks_default() -> HacksConfig:
    """The playground's default hacks: the main defaults with hard labels (1, 0) and no flips."""
    # Hard labels and no flips: on 2-D mixtures with std 0.01 the label noise of the image
    # recipe blurs the modes more than it stabilises.
    return HacksConfig(real_label_range=(1.0, 1.0), fake_label_range=(0.0, 0.0), flip_probability=0.0)


@dataclass(frozen=True)
class ToyConfig(DottedKeys):
    """The playground's whole configuration: data, model, optimizer, hacks, run.

    Frozen, with the main config's with_value / with_overrides / validated() (ConfigError);
    `hacks` is the main HacksConfig, checked by the main rules.
    """

    KIND = "toy config"
    data: ToyDataConfig = field(default_factory=ToyDataConfig)
    model: ToyModelConfig = field(default_factory=ToyModelConfig)
    optimizer: ToyOptimizerConfig = field(default_factory=ToyOptimizerConfig)
    hacks: HacksConfig = field(default_factory=toy_hacks_default)
    run: ToyRunConfig = field(default_factory=ToyRunConfig)

    def problems(self) -> list[str]:
        """Every bad value, one line each (empty when the config is valid): each value against
        its entry of the playground's settings table (gan_core.config.table_toy)."""
        return value_problems(self.flat(), TOY)


_SECTIONS = {
    "data": ToyDataConfig,
    "model": ToyModelConfig,
    "optimizer": ToyOptimizerConfig,
    "hacks": HacksConfig,
    "run": ToyRunConfig,
}
ToyConfig.SECTIONS = _SECTIONS
