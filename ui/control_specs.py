"""The Train page's controls as data: label, config key, widget kind, range, help.

Kept free of Streamlit so that the labels, the mapping to config keys and the value
conversions are testable, and the Hacks guide can point at the same labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from gan_core.config import TrainConfig
from gan_core.training.live_hacks import LIVE_KEYS

LEARNING_RATES = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 2e-3, 5e-3)


@dataclass(frozen=True)
class Control:
    """One Train page control: its dotted config key, exact label, widget kind, help text,
    range (low, high, step) for sliders and numbers, and (config value, text) options.
    """
    key: str                      # dotted config key
    label: str                    # exact label people and browser tests look for
    kind: str                     # toggle | slider | range | select | radio | number | lr | multiselect
    help: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    options: tuple = ()           # for select/radio/multiselect: (config value, shown text) pairs

    @property
    def live(self) -> bool:
        """Whether the running trainer takes it at the next step (its key is in LIVE_KEYS)."""
        return self.key in LIVE_KEYS

    @property
    def widget_key(self) -> str:
        """Its st.session_state key: "ctl:<config key>"."""
        return f"ctl:{self.key}"

    def to_widget(self, value: Any) -> Any:
        """A config value as the widget shows it: an option's text, a (low, high) float pair for a
        range, the nearest LEARNING_RATES entry for a learning rate, a list of option texts for a
        multiselect (whose config value is comma-separated text); other kinds unchanged.
        """
        if self.kind == "multiselect":
            chosen = {v.strip() for v in str(value).split(",") if v.strip()}
            return [text for v, text in self.options if v in chosen]
        if self.kind in ("select", "radio"):
            return dict(self.options).get(value, value)
        if self.kind == "range":
            return (float(value[0]), float(value[1]))
        if self.kind == "lr":
            return min(LEARNING_RATES, key=lambda lr: abs(lr - value))
        return value

    def from_widget(self, shown: Any) -> Any:
        """The widget's value as a config value (the inverse of to_widget; a learning rate as is)."""
        if self.kind == "multiselect":
            chosen = set(shown)
            return ",".join(v for v, text in self.options if text in chosen)
        if self.kind in ("select", "radio"):
            return {text: v for v, text in self.options}.get(shown, shown)
        if self.kind == "range":
            return (float(shown[0]), float(shown[1]))
        return shown


PRACTICES = (
    Control("model.strided_downsample", "Strided convolutions in D", "toggle",
            "On: D shrinks images with stride-2 convolutions (learned). Off: convolution + max pooling."),
    Control("model.strided_upsample", "Transposed convolutions in G", "toggle",
            "On: G grows images with stride-2 transposed convolutions. Off: UpSampling2D + convolution."),
    Control("model.leaky_relu", "LeakyReLU", "toggle",
            "On: LeakyReLU keeps a small gradient for negative inputs. Off: ReLU, which can go silent."),
    Control("model.leaky_slope", "LeakyReLU slope", "slider", "Slope for negative inputs (DCGAN: 0.2).",
            0.0, 0.5, 0.05),
    Control("model.batch_norm", "Batch normalization", "toggle",
            "conv → BatchNorm → activation in G and D (not on D's input layer nor G's output)."),
    Control("model.gaussian_init", "Gaussian weight init (std 0.02)", "toggle",
            "On: weights drawn from N(0, 0.02) as in DCGAN. Off: Keras' Glorot uniform default."),
    Control("optimizer.beta_1", "Adam beta_1 (DCGAN: 0.5)", "slider",
            "Adam's momentum for both networks. DCGAN: 0.5, less memory for a moving target; "
            "Adam's default: 0.9.", 0.0, 0.95, 0.05),
    Control("model.tanh_output", "tanh output, pixels in [-1, 1]", "toggle",
            "On: G ends in tanh and pixels are scaled to [-1, 1]. Off: sigmoid output with pixels in [0, 1]."),
    Control("model.kernel_divisible_by_stride", "Kernel size divisible by stride", "toggle",
            "On: 4×4 kernels at stride 2. Off: 3×3 at stride 2, which overlaps unevenly: checkerboards."),
    Control("model.dropout", "Dropout in D", "slider",
            "Share of D's features dropped before its output; slows D down so G can keep up. 0 = off.",
            0.0, 0.7, 0.05),
    Control("model.use_labels", "Use the labels (conditional GAN)", "toggle",
            "On: G is told which digit to draw, and D judges image and digit together and names the "
            "digit (ganhacks: 'use labels'). Needs labelled data: your own images train without it."),
)

LIVE_HACKS = (
    Control("hacks.latent_distribution", "Latent distribution", "radio",
            "Where G's input points come from: a standard Gaussian, or uniform in [-1, 1] (original DCGAN).",
            options=(("gaussian", "Gaussian"), ("uniform", "Uniform"))),
    Control("hacks.separate_batches", "Separate real and fake batches", "toggle",
            "On: D learns from an all-real batch, then an all-fake one (BatchNorm statistics stay pure). "
            "Off: one shuffled mixed batch."),
    Control("hacks.real_label_range", "Real label range", "range",
            "Targets for real images are drawn uniformly from this range (hard label: 1.0–1.0). "
            "Above 1 the loss can go below zero: that is expected.", 0.0, 1.5, 0.05),
    Control("hacks.fake_label_range", "Fake label range", "range",
            "Targets for fake images are drawn uniformly from this range (hard label: 0.0–0.0).", 0.0, 1.0, 0.05),
    Control("hacks.flip_probability", "Label flip probability", "slider",
            "Each of D's targets is swapped real↔fake with this probability: noisy labels keep D humble.",
            0.0, 0.5, 0.01),
    Control("hacks.generator_loss", "Generator loss", "radio",
            "Non-saturating: G maximizes log D(G(z)). Minimax: G minimizes log(1 − D(G(z))), "
            "which is flat exactly when G is bad, so it learns slowly at first.",
            options=(("non-saturating", "non-saturating"), ("minimax", "minimax"))),
    Control("hacks.d_steps", "Discriminator steps per generator step", "slider",
            "k in Goodfellow's algorithm 1: how many D updates before each G update.", 1, 5, 1),
    Control("hacks.instance_noise", "Instance noise (start std)", "slider",
            "Gaussian noise added to every image D sees, real and fake (pixels in [-1, 1]); this std at "
            "the start, falling linearly to 0 over the run's time or epochs. Usual: 0.1. 0 = off. "
            "ganhacks #13; Sønderby et al. 2016; Arjovsky & Bottou 2017.", 0.0, 0.5, 0.01),
    Control("hacks.replay_share", "Experience replay share", "slider",
            "Share of D's fake half drawn from a buffer of 2,048 earlier fakes instead of fresh ones, so D "
            "keeps rejecting what G drew before. Usual: 0.5. 0 = off. ganhacks #8; Shrivastava et al. 2017.",
            0.0, 1.0, 0.05),
    Control("hacks.adversarial_loss", "Adversarial loss", "radio",
            "Binary cross-entropy (the original GAN; the generator-loss choice applies to it), least-squares "
            "(D pulls its output to 1 for real, 0 for fake; Mao et al. 2017, a=0, b=c=1) or hinge "
            "(D: relu(1 − D(x)) + relu(1 + D(G(z))), G: −D(G(z)); Lim & Ye 2017, SAGAN).",
            options=(("bce", "BCE"), ("least-squares", "least-squares"), ("hinge", "hinge"))),
    Control("hacks.r1_gamma", "R1 penalty γ", "slider",
            "Adds γ/2 · ‖∇ₓD(x)‖² on real images to D's loss, so D stays smooth where the data is. "
            "Usual: 0.1–10, low for small images. 0 = off (costs nothing). Mescheder et al. 2018.",
            0.0, 10.0, 0.1),
    Control("hacks.diff_augment", "DiffAugment", "multiselect",
            "The same random, differentiable augmentation of real and fake images before D, in D's and G's "
            "updates: translation (up to ⅛ of the side), cutout (a square of half the side), color "
            "(brightness, saturation, contrast). Made for a few thousand images. Zhao et al. 2020.",
            options=(("translation", "translation"), ("cutout", "cutout"), ("color", "color"))),
    Control("optimizer.d_learning_rate", "Discriminator learning rate", "lr", "Adam step size for D."),
    Control("optimizer.g_learning_rate", "Generator learning rate", "lr", "Adam step size for G."),
)

RUN_CONTROLS = (
    Control("model.base_filters", "Base filters", "number",
            "Width of the networks (D: f, 2f; G: 2f, f). Wider learns more per step but steps slower.",
            8, 128, 8),
    Control("run.batch_size", "Batch size", "number",
            "Images per step (half real, half fake for D). Must be even.", 2, 512, 2),
    Control("run.max_seconds", "Training time (s)", "number",
            "Seconds of training before it stops by itself; 0 trains until you press Stop.", 0, 3600, 10),
)

ALL_CONTROLS = PRACTICES + LIVE_HACKS + RUN_CONTROLS
BY_KEY = {c.key: c for c in ALL_CONTROLS}
BY_LABEL = {c.label: c for c in ALL_CONTROLS}


def widget_values(cfg: TrainConfig) -> dict:
    """Session-state values (by widget key) that show `cfg` in every control."""
    out = {}
    for c in ALL_CONTROLS:
        section, name = c.key.split(".")
        out[c.widget_key] = c.to_widget(getattr(getattr(cfg, section), name))
    return out


def config_from_widgets(base: TrainConfig, values: dict) -> TrainConfig:
    """Apply every control's widget value to `base` (no validation: call .problems())."""
    cfg = base
    for c in ALL_CONTROLS:
        if c.widget_key in values:
            cfg = cfg.with_value(c.key, c.from_widget(values[c.widget_key]))
    return cfg


def control_for(key: str) -> Optional[Control]:
    """The control of a dotted config key, or None when no control shows it."""
    return BY_KEY.get(key)
