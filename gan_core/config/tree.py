"""The one configuration tree: frozen dataclasses, validation and JSON.

Every practice of the DCGAN paper and every training hack is a field here, so the UI,
the CLI and the presets all speak the same vocabulary (`hacks.flip_probability`,
`model.batch_norm`, ...). Validation returns one readable line per bad value. Dotted
overrides and the parsing of values are gan_core/config/keys.py (ConfigError and DottedKeys
are importable from here too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

from gan_core.config.keys import ConfigError, DottedKeys, section_from_dict
from gan_core.config.settings import IMAGE, value_problems

# The values some settings take, defined with their entries in the settings table.
from gan_core.config.table_hacks import ADVERSARIAL_LOSSES, DIFF_AUGMENT_POLICIES, INSTANCE_NOISE_MAX, R1_GAMMA_MAX
from gan_core.config.table_run import PRECISIONS

__all__ = [
    "ADVERSARIAL_LOSSES",
    "DIFF_AUGMENT_POLICIES",
    "INSTANCE_NOISE_MAX",
    "PRECISIONS",
    "R1_GAMMA_MAX",
    "ConfigError",
    "DataConfig",
    "DottedKeys",
    "HacksConfig",
    "ModelConfig",
    "OptimizerConfig",
    "RunConfig",
    "TrainConfig",
]


@dataclass(frozen=True)
class DataConfig:
    """The images a run trains on, named by `source` (the values are listed below)."""

    # "mnist-5k" (embedded, offline), "mnist", "fashion-mnist", "cifar10[:class]",
    # or a path to a folder / zip of images.
    source: str = "mnist-5k"


@dataclass(frozen=True)
class ModelConfig:
    """The two networks. strided_downsample .. kernel_divisible_by_stride are the DCGAN
    practices (Radford et al. 2015; the kernel rule from Odena et al. 2016), True = the
    practice. latent_dim is z's size (1..1024), base_filters the width f (4..512), dropout
    D's rate (0..0.7); d_base_filters, d_extra_conv, g_extra_conv add capacity beyond the
    paper; use_labels is ganhacks' "use the labels" (a conditional GAN).
    """

    latent_dim: int = 100
    base_filters: int = 64
    # "dcgan": widths grow/shrink by 2 per stage (G: 4f..f, D: f..4f).
    # "tutorial": the Keras tutorial's network (constant width, G ends in a 7x7 conv,
    # D uses 3x3 kernels) - kept only so the speed baseline is the same network.
    layout: str = "dcgan"
    strided_downsample: bool = True  # off: Conv2D + MaxPooling2D
    strided_upsample: bool = True  # off: UpSampling2D + Conv2D
    leaky_relu: bool = True  # off: ReLU
    leaky_slope: float = 0.2
    batch_norm: bool = True  # conv -> BN -> activation; not on D's input nor G's output
    gaussian_init: bool = True  # N(0, 0.02); off: Glorot uniform
    tanh_output: bool = True  # off: sigmoid output and pixels in [0, 1]
    kernel_divisible_by_stride: bool = True  # 4x4 at stride 2; off: 3x3 (checkerboards)
    dropout: float = 0.3  # before D's output; 0 switches it off
    # Capacity beyond the DCGAN paper (off/0 keeps the paper's networks). A D wider than G
    # and one more 3x3 stride-1 conv per network judge and draw a digit's global shape better.
    d_base_filters: int = 0  # D's first width; 0: same as base_filters
    d_extra_conv: bool = False  # a 3x3 stride-1 conv at D's last resolution
    g_extra_conv: bool = False  # a 3x3 stride-1 conv before G's output layer
    # ganhacks' "use the labels": G is told which class to draw (a one-hot code after z),
    # D judges (image, class) with a projection term and also names the class of real
    # images (an auxiliary classifier head), and G is rewarded when D names the class it
    # was asked for. Needs a data set with labels; without them the run trains unconditioned.
    use_labels: bool = False
    # Later architecture hacks (next start; off keeps the networks above unchanged):
    # dropout in G at training and sampling time as G's noise (ganhacks #17; Isola et al. 2017),
    # rate 0..0.7, 0 = off; the minibatch standard deviation as one more channel near D's end
    # (Karras et al. 2018, group size 4); spectral normalization of every conv and dense
    # kernel of D (Miyato et al. 2018, one power iteration per training call).
    g_dropout: float = 0.0
    minibatch_stddev: bool = False
    spectral_norm: bool = False
    # Self-conditioning (next start): k-means clusters of the images (k = this, 2..100; 0 = off)
    # act as the labels of a conditional GAN when real labels are not in use (Sage et al. 2018;
    # Liu et al. 2020). Works on any image set, labelled or not.
    self_conditioning: int = 0


@dataclass(frozen=True)
class OptimizerConfig:
    """Adam for D and G: the DCGAN recipe is lr 2e-4, beta_1 0.5 (Radford et al. 2015); Adam's
    defaults are 1e-3 and 0.9. Learning rates in (0, 0.1]; final_lr_fraction in (0, 1] is
    where a linear decay over the run's budget ends (1.0: constant); the decay starts once the
    first epoch is done (gan_core.run.loop.schedule).
    """

    # The DCGAN recipe is Adam(lr=2e-4, beta_1=0.5); Adam's defaults are 1e-3 and 0.9.
    # beta_1 is the one knob for Adam's momentum (an older "dcgan_adam" switch could
    # contradict it; configs that still carry it are migrated on reading).
    d_learning_rate: float = 2e-4
    g_learning_rate: float = 2e-4
    beta_1: float = 0.5
    # Linear decay of both learning rates to this fraction over the run's budget
    # (1.0 = constant). Late decay settles the oscillation of the two players.
    final_lr_fraction: float = 1.0
    # D's optimizer: "adam" or "sgd" (plain SGD, no momentum; ganhacks #9). d_learning_rate is
    # D's step size whichever it is: SGD wants about 10x Adam's (so 2e-3 where Adam had 2e-4),
    # and the Hacks guide's pair sets both. G keeps Adam.
    d_optimizer: str = "adam"


@dataclass(frozen=True)
class HacksConfig:
    """The training hacks, all live (ganhacks, Chintala et al. 2016; Goodfellow et al. 2014).

    Label ranges are D's targets, drawn uniformly (within [-0.5, 1.5]); flip_probability is
    each target's chance to be swapped, 0..0.5; d_steps is k, D updates per G update, 1..10.
    """

    latent_distribution: str = "gaussian"  # or "uniform" in [-1, 1]
    separate_batches: bool = True
    real_label_range: tuple[float, float] = (0.7, 1.2)
    fake_label_range: tuple[float, float] = (0.0, 0.3)
    flip_probability: float = 0.05
    generator_loss: str = "non-saturating"  # or "minimax"
    d_steps: int = 1
    # After the DCGAN-era list (all live; 0 / "bce" / "" is off; values and sources: the settings
    # table, gan_core/config/table_hacks.py):
    instance_noise: float = 0.0  # start std of N(0, σ²) on D's inputs, [-1, 1] pixels, decays to 0
    replay_share: float = 0.0  # share of D's fake half drawn from a buffer of past fakes, 0..1
    adversarial_loss: str = "bce"  # or "least-squares" (Mao et al. 2017) or "hinge" (Lim & Ye 2017)
    r1_gamma: float = 0.0  # γ of the R1 penalty γ/2·E[‖∇D(x)‖²] on reals (Mescheder et al. 2018)
    diff_augment: str = ""  # DiffAugment policies, comma-separated: translation, cutout, color


@dataclass(frozen=True)
class RunConfig:
    """Size and budget of a run: batch_size (even, 2..1024; D sees half real, half fake),
    epochs and max_seconds (0: no limit of that kind), seed, precision ("auto", "fp32", "bf16" or
    "fp16": gan_core/nets/precision.py),
    grid_size (1..16, the grid shows grid_size**2 fixed latent points).
    """

    batch_size: int = 64
    epochs: int = 0  # 0: no epoch limit (use max_seconds)
    max_seconds: float = 60.0  # 0: no time limit (use epochs)
    seed: int = 0
    # "bf16" is Keras mixed_bfloat16, "fp16" mixed_float16 with loss scaling (GPUs); "auto" is fp16
    # on a GPU, bf16 where the CPU has native bf16 (avx512_bf16 or amx_bf16), fp32 elsewhere.
    precision: str = "fp32"
    grid_size: int = 8  # grid_size x grid_size fixed latent points
    quality_every_epoch: bool = True
    # Exponential moving average of G's weights, which then draws the grid, the quality
    # samples and the saved generator (Karras et al. 2018; Yazici et al. 2019): 0 = off,
    # else the decay in [0.5, 1), usually 0.999. Live: the averaged copy always exists and
    # follows G while this is 0, so turning it on mid-run starts from G's weights then.
    ema_decay: float = 0.0


@dataclass(frozen=True)
class TrainConfig(DottedKeys):
    """The whole configuration of one training: data, model, optimizer, hacks, run.

    Frozen; with_value / with_overrides return copies, validated() raises ConfigError naming
    every bad value. JSON is what a run folder's config.json holds.
    """

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    hacks: HacksConfig = field(default_factory=HacksConfig)
    run: RunConfig = field(default_factory=RunConfig)

    # -- validation ---------------------------------------------------------------
    def problems(self) -> list[str]:
        """Every bad value, one line each (empty when the config is valid): each value against
        its entry's valid values in the settings table (gan_core.config.settings)."""
        return value_problems(self.flat(), IMAGE)

    # -- JSON ---------------------------------------------------------------------
    def to_json(self) -> str:
        """The config as indented JSON with sorted keys (what a run folder's config.json holds)."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, raw: dict) -> TrainConfig:
        """A config from nested dicts; missing sections and fields take their defaults.

        Raises ConfigError for a non-dict, an unknown section or key, or a value of the wrong
        type. Ranges are not checked here: call validated().
        """
        if not isinstance(raw, dict):
            raise ConfigError("a configuration must be a JSON object")
        parts = {}
        for f in fields(cls):
            section = raw.get(f.name, {})
            if not isinstance(section, dict):
                raise ConfigError(f"config section '{f.name}' must be an object")
            parts[f.name] = section_from_dict(f.name, _SECTIONS[f.name], section)
        unknown = set(raw) - set(_SECTIONS)
        if unknown:
            raise ConfigError(f"unknown config section '{sorted(unknown)[0]}' (known: {', '.join(_SECTIONS)})")
        return cls(**parts)

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        """A config from JSON text, as from_dict; invalid JSON raises ConfigError with its line."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as e:
            raise ConfigError(f"config is not valid JSON: {e.msg} at line {e.lineno}") from None
        return cls.from_dict(raw)


_SECTIONS = {
    "data": DataConfig,
    "model": ModelConfig,
    "optimizer": OptimizerConfig,
    "hacks": HacksConfig,
    "run": RunConfig,
}
TrainConfig.SECTIONS = _SECTIONS
