"""The toy playground's configuration: frozen dataclasses, validation, dotted overrides.

It speaks the main config's vocabulary: the `hacks` section *is* `gan_core.config.tree.HacksConfig`
(validated by the same rules), so `hacks.flip_probability=0.1` means the same thing in both.
`hacks.separate_batches` has no effect here: without BatchNorm, D's gradient on one mixed
batch equals the one on separate real and fake batches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gan_core.config.keys import DottedKeys
from gan_core.config.tree import HacksConfig, TrainConfig

OPTIMIZERS = ("adam", "sgd")
# The playground's learning-rate choices. Higher than the image GAN's (ui/control.py:
# 1e-5..5e-3 for Adam, 1e-2 only for SGD in D): MLPs on 2-D points learn well at
# 1e-3..1e-2 and the collapse preset's G runs at 1e-2; 0.1 shows what a far too large step does.
TOY_LEARNING_RATES = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1)

# Hacks of the image trainer the playground does not have: DiffAugment's translation, cutout and
# colour mean nothing for 2-D points. (Instance noise and replay apply to points: the noise's
# std is in the data's units, and the replay ring holds past fake points.)
IMAGE_ONLY_HACKS = ("diff_augment",)


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
        """Every bad value, one line each (empty when the config is valid)."""
        out: list[str] = []
        m, o, r = self.model, self.optimizer, self.run

        def need(ok: bool, msg: str) -> None:
            if not ok:
                out.append(msg)

        need(self.data.dataset.strip() != "", "data.dataset must name a toy data set or a .csv file")
        need(1 <= m.latent_dim <= 64, f"model.latent_dim must be in 1..64, got {m.latent_dim}")
        need(4 <= m.hidden <= 1024, f"model.hidden must be in 4..1024, got {m.hidden}")
        need(4 <= m.d_hidden <= 1024, f"model.d_hidden must be in 4..1024, got {m.d_hidden}")
        need(1 <= m.depth <= 8, f"model.depth must be in 1..8, got {m.depth}")
        need(1 <= m.pack <= 8, f"model.pack must be in 1..8, got {m.pack}")
        need(o.name in OPTIMIZERS, f"optimizer.name must be 'adam' or 'sgd', got {o.name!r}")
        need(
            o.d_optimizer in ("same",) + OPTIMIZERS,
            f"optimizer.d_optimizer must be 'same', 'adam' or 'sgd', got {o.d_optimizer!r}",
        )
        for name in ("d_learning_rate", "g_learning_rate"):
            lr = getattr(o, name)
            need(0.0 < lr <= 1.0, f"optimizer.{name} must be in (0, 1], got {lr}")
        need(0.0 <= o.beta_1 < 1.0, f"optimizer.beta_1 must be in [0, 1), got {o.beta_1}")
        need(
            0.0 < o.final_lr_fraction <= 1.0,
            f"optimizer.final_lr_fraction must be in (0, 1], got {o.final_lr_fraction}",
        )
        # The hack rules live in the main config; only its hacks lines concern us.
        out += [p for p in TrainConfig(hacks=self.hacks).problems() if p.startswith("hacks.")]
        # The adversarial loss, R1, instance noise and replay apply to points as to images; this does not.
        for name in IMAGE_ONLY_HACKS:
            need(
                not getattr(self.hacks, name), f"hacks.{name} applies to the image trainer only, not the 2D playground"
            )
        need(2 <= r.batch_size <= 4096, f"run.batch_size must be in 2..4096, got {r.batch_size}")
        need(r.max_seconds >= 0, f"run.max_seconds must be 0 (one step) or positive, got {r.max_seconds}")
        need(0.0 <= r.ema_decay < 1.0, f"run.ema_decay must be in [0, 1), got {r.ema_decay}")
        need(100 <= r.eval_samples <= 100_000, f"run.eval_samples must be in 100..100000, got {r.eval_samples}")
        return out


_SECTIONS = {
    "data": ToyDataConfig,
    "model": ToyModelConfig,
    "optimizer": ToyOptimizerConfig,
    "hacks": HacksConfig,
    "run": ToyRunConfig,
}
ToyConfig.SECTIONS = _SECTIONS
