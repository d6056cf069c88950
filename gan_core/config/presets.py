"""Named starting points. Each is a full, validated TrainConfig."""

from __future__ import annotations

from dataclasses import replace

from gan_core.config.tree import (
    ConfigError,
    DataConfig,
    HacksConfig,
    ModelConfig,
    OptimizerConfig,
    RunConfig,
    TrainConfig,
)

DEFAULT_PRESET = "dcgan-hacks"

# The starting point the "dcgan-paper" and "fast-demo" presets vary.
_DCGAN_BASE = TrainConfig(
    data=DataConfig("mnist-5k"),
    model=ModelConfig(base_filters=32, dropout=0.3),
    optimizer=OptimizerConfig(d_learning_rate=5e-4, g_learning_rate=5e-4, beta_1=0.5, final_lr_fraction=0.1),
    hacks=HacksConfig(),
    run=RunConfig(batch_size=64, max_seconds=120.0),
)

# Tuned on a 2-minute CPU budget: base width 16 at batch 32 makes ~3x as many steps per
# second as width 32 at batch 64, which beat every per-step gain tried; D gets a third
# (3x3, stride 1) conv for the digit's global shape and no dropout. Using the labels
# (ganhacks' "use labels") is what lifts the recognized share from ~55% to ~95%+ in 2 min.
_DCGAN_HACKS = replace(
    _DCGAN_BASE,
    model=ModelConfig(base_filters=16, dropout=0.0, d_extra_conv=True, use_labels=True),
    optimizer=OptimizerConfig(d_learning_rate=1e-3, g_learning_rate=1e-3, beta_1=0.5, final_lr_fraction=0.1),
    # bf16 where the CPU computes it natively and measurably faster (AMX): same quality per
    # step (measured with the modern preset over 1,248 steps: 89% recognized in bf16, 86% in
    # fp32), up to ~1.5x the speed; fp32 elsewhere (precision.py says why flags alone do not tell).
    run=RunConfig(batch_size=32, max_seconds=120.0, precision="auto"),
)

# No labels: the dcgan-hacks networks and schedule, with the digits' own k-means clusters
# standing in for the labels (self-conditioning). Chosen by same-seed runs at the step count
# of a 2-minute run (docs/design.md, "Digits without labels: self-conditioning and the
# `modern` preset"): 20 clusters lifted the recognized share from ~54% (unconditional) to
# ~91%; the later stabilizers alone did not pay within two minutes.
_MODERN = replace(
    _DCGAN_HACKS,
    model=replace(_DCGAN_HACKS.model, use_labels=False, self_conditioning=20),
    run=_DCGAN_HACKS.run,
)

# Everything a beginner would do: pooling, upsampling, ReLU, no BatchNorm, Glorot init,
# Adam defaults, sigmoid output, 3x3 kernels at stride 2, hard labels, minimax loss.
_NO_HACKS = TrainConfig(
    data=DataConfig("mnist-5k"),
    model=ModelConfig(
        base_filters=32,
        strided_downsample=False,
        strided_upsample=False,
        leaky_relu=False,
        batch_norm=False,
        gaussian_init=False,
        tanh_output=False,
        kernel_divisible_by_stride=False,
        dropout=0.0,
    ),
    optimizer=OptimizerConfig(d_learning_rate=1e-3, g_learning_rate=1e-3, beta_1=0.9),
    hacks=HacksConfig(
        latent_distribution="uniform",
        separate_batches=False,
        real_label_range=(1.0, 1.0),
        fake_label_range=(0.0, 0.0),
        flip_probability=0.0,
        generator_loss="minimax",
        d_steps=1,
    ),
    run=RunConfig(batch_size=64, max_seconds=120.0),
)

# The network and batch of the Keras tutorial loop in the speed baseline. Its dropout of 0.4
# before D's output is also Chollet's (the value the Hacks guide's dropout card quotes).
_SEED_TUTORIAL = TrainConfig(
    data=DataConfig("mnist-5k"),
    model=ModelConfig(
        layout="tutorial",
        base_filters=128,
        batch_norm=False,
        gaussian_init=False,
        kernel_divisible_by_stride=False,
        dropout=0.4,
    ),
    optimizer=OptimizerConfig(d_learning_rate=2e-4, g_learning_rate=2e-4, beta_1=0.5),
    hacks=HacksConfig(real_label_range=(1.0, 1.0), fake_label_range=(0.0, 0.0), flip_probability=0.0),
    run=RunConfig(batch_size=128, max_seconds=120.0),
)

# For a GPU: 32x32 colour images at the DCGAN paper's width (64) and a batch of 128, in
# mixed_float16 with loss scaling (gan_core/nets/precision.py). Epochs, not seconds,
# since a GPU makes a minute worth far more steps than a CPU.
_CIFAR_GPU = replace(
    _DCGAN_BASE,
    data=DataConfig("cifar10"),
    model=replace(_DCGAN_BASE.model, base_filters=64),
    optimizer=OptimizerConfig(d_learning_rate=2e-4, g_learning_rate=2e-4, beta_1=0.5, final_lr_fraction=0.1),
    run=RunConfig(batch_size=128, epochs=20, max_seconds=0.0, precision="fp16"),
)

# The DCGAN paper's recipe (Radford et al. 2015, section 4, and the authors' code): Adam 2e-4,
# beta_1 0.5, constant rate; mini-batches of 128; z ~ U[-1, 1] (the paper's Fig. 1, the code's
# np_rng.uniform(-1., 1.)); no dropout anywhere; hard 0/1 labels, non-saturating G loss, k = 1.
# The app's batch is real and fake together: each D update sees half of it, G's update all of it.
_DCGAN_PAPER = replace(
    _DCGAN_BASE,
    model=replace(_DCGAN_BASE.model, base_filters=64, dropout=0.0),
    optimizer=OptimizerConfig(),
    hacks=replace(
        HacksConfig(),
        latent_distribution="uniform",
        real_label_range=(1.0, 1.0),
        fake_label_range=(0.0, 0.0),
        flip_probability=0.0,
    ),
    run=replace(_DCGAN_BASE.run, batch_size=128),
)

PRESETS: dict[str, tuple[str, TrainConfig]] = {
    "dcgan-hacks": (
        "Every DCGAN practice and training hack on, tuned to learn digits fast on 2 CPU cores: "
        "base width 16, batch 32, Adam 1e-3 decaying to 1e-4, a third conv in D, no dropout, "
        "and the digit labels (a conditional GAN).",
        _DCGAN_HACKS,
    ),
    "modern": (
        "No labels needed: the dcgan-hacks networks with the images' own look-alike groups (20 "
        "k-means clusters) standing in for labels (self-conditioning), bf16 where the CPU has it. "
        "For your own images.",
        _MODERN,
    ),
    "no-hacks": ("Every practice and hack off: what a beginner writes first. Watch it struggle.", _NO_HACKS),
    "seed-tutorial": ("The Keras tutorial's network without BatchNorm (batch 128); collapses easily.", _SEED_TUTORIAL),
    "dcgan-paper": (
        "The DCGAN paper's recipe as far as this app sets it: Adam 2e-4 with beta_1 0.5 at a "
        "constant rate, batch 128, z uniform in [-1, 1], no dropout, hard labels, base width 64. "
        "Not the paper's: 28-pixel digits, LeakyReLU in G too (the paper: ReLU), and D's real "
        "and fake halves (64 images each here, 128 in the paper) as two updates where the "
        "authors' code sums them into one.",
        _DCGAN_PAPER,
    ),
    "cifar-gpu": (
        "For a GPU: CIFAR-10's 32x32 colour images (downloads once), base width 64, batch 128, "
        "mixed_float16 with loss scaling, 20 epochs. On a CPU use --precision fp32 (float16 is slow there).",
        _CIFAR_GPU,
    ),
    "fast-demo": (
        "A small network for a quick look: fewer filters, first digits within ~30 s.",
        replace(
            _DCGAN_BASE,
            model=replace(_DCGAN_BASE.model, base_filters=16),
            run=replace(_DCGAN_BASE.run, max_seconds=45.0),
        ),
    ),
}


def preset(name: str) -> TrainConfig:
    """The named preset's TrainConfig, validated; an unknown name raises ConfigError."""
    try:
        return PRESETS[name][1].validated()
    except KeyError:
        raise ConfigError(f"unknown preset '{name}' (known: {', '.join(PRESETS)})") from None


def preset_names() -> list[str]:
    """Preset names in PRESETS order (the default, dcgan-hacks, first)."""
    return list(PRESETS)


def describe(name: str) -> str:
    """The preset's one-paragraph description; KeyError for an unknown name."""
    return PRESETS[name][0]
