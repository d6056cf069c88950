"""The Train page's controls as data: label, config key, widget kind, range, help.

Kept free of Streamlit so that the mapping to config keys is testable; what one control is,
and its value conversions, is ui/control.py. The labels themselves are
gan_core/config/control_labels.py, which the Hacks guide reads too.
"""

from __future__ import annotations

from gan_core.config.control_labels import LABELS
from gan_core.config.slider_ranges import SLIDERS
from gan_core.config.tree import TrainConfig
from gan_core.nets.architecture import widths_text
from ui.control import Control

PRACTICES = (
    Control(
        "model.strided_downsample",
        LABELS["model.strided_downsample"],
        "toggle",
        "On: D shrinks images with stride-2 convolutions (learned). Off: convolution + max pooling.",
    ),
    Control(
        "model.strided_upsample",
        LABELS["model.strided_upsample"],
        "toggle",
        "On: G grows images with stride-2 transposed convolutions. Off: UpSampling2D + convolution.",
    ),
    Control(
        "model.leaky_relu",
        LABELS["model.leaky_relu"],
        "toggle",
        "On: LeakyReLU keeps a small gradient for negative inputs. Off: ReLU, which can go silent.",
    ),
    Control(
        "model.leaky_slope",
        LABELS["model.leaky_slope"],
        "slider",
        "Slope for negative inputs (DCGAN: 0.2).",
        *SLIDERS["model.leaky_slope"],
    ),
    Control(
        "model.batch_norm",
        LABELS["model.batch_norm"],
        "toggle",
        "conv → BatchNorm → activation in G and D (not on D's input layer nor G's output).",
    ),
    Control(
        "model.gaussian_init",
        LABELS["model.gaussian_init"],
        "toggle",
        "On: weights drawn from N(0, 0.02) as in DCGAN. Off: Keras' Glorot uniform default.",
    ),
    Control(
        "optimizer.beta_1",
        LABELS["optimizer.beta_1"],
        "slider",
        "Adam's momentum for both networks. DCGAN: 0.5, less memory for a moving target; Adam's default: 0.9.",
        0.0,
        0.95,
        0.05,
    ),
    Control(
        "model.tanh_output",
        LABELS["model.tanh_output"],
        "toggle",
        "On: G ends in tanh and pixels are scaled to [-1, 1]. Off: sigmoid output with pixels in [0, 1].",
    ),
    Control(
        "model.kernel_divisible_by_stride",
        LABELS["model.kernel_divisible_by_stride"],
        "toggle",
        "On: 4×4 kernels at stride 2. Off: 3×3 at stride 2, which overlaps unevenly: checkerboards.",
    ),
    Control(
        "model.dropout",
        LABELS["model.dropout"],
        "slider",
        "Share of D's features dropped before its output; slows D down so G can keep up. 0 = off.",
        *SLIDERS["model.dropout"],
    ),
    Control(
        "model.use_labels",
        LABELS["model.use_labels"],
        "toggle",
        "On: G is told which digit to draw, and D judges image and digit together and names the "
        "digit (ganhacks: 'use labels'). Needs labelled data: your own images train without it.",
    ),
    # Hacks after the DCGAN paper that shape the networks or optimizers (next start).
    Control(
        "optimizer.d_optimizer",
        LABELS["optimizer.d_optimizer"],
        "radio",
        "Adam, or plain SGD for D only (ganhacks #9); G keeps Adam. SGD needs a D learning rate "
        "about 10× Adam's: 2e-3 where Adam had 2e-4.",
        options=(("adam", "Adam"), ("sgd", "SGD")),
    ),
    Control(
        "model.g_dropout",
        LABELS["model.g_dropout"],
        "slider",
        "Share of G's hidden features dropped, in training AND when drawing samples: G's second "
        "noise source (ganhacks #17; pix2pix, Isola et al. 2017 use 0.5). The same z then draws "
        "a slightly different image each time. 0 = off.",
        0.0,
        0.7,
        0.05,
    ),
    Control(
        "model.minibatch_stddev",
        LABELS["model.minibatch_stddev"],
        "toggle",
        "D gets one extra channel near its end: how much the images of each group of 4 differ. "
        "A collapsed G's batch is too alike, and D can now see it (Karras et al. 2018, ProGAN).",
    ),
    Control(
        "model.spectral_norm",
        LABELS["model.spectral_norm"],
        "toggle",
        "Every conv and dense kernel of D is divided by its largest singular value (one power "
        "iteration per step), so D cannot grow arbitrarily sharp (Miyato et al. 2018).",
    ),
    Control(
        "model.self_conditioning",
        LABELS["model.self_conditioning"],
        "slider",
        "Without labels: the images are sorted into this many look-alike groups (k-means) before "
        "training, and each group is used as a class, as 'Use labels' would. G then learns every "
        "group and draws each more sharply. Real labels win when both are on. 0 = off.",
        0,
        50,
        1,
    ),
)

LIVE_HACKS = (
    Control(
        "hacks.latent_distribution",
        LABELS["hacks.latent_distribution"],
        "radio",
        "Where G's input points come from: a standard Gaussian, or uniform in [-1, 1] (original DCGAN).",
        options=(("gaussian", "Gaussian"), ("uniform", "Uniform")),
    ),
    Control(
        "hacks.separate_batches",
        LABELS["hacks.separate_batches"],
        "toggle",
        "On: D learns from an all-real batch, then an all-fake one (BatchNorm statistics stay pure). "
        "Off: one shuffled mixed batch.",
    ),
    Control(
        "hacks.real_label_range",
        LABELS["hacks.real_label_range"],
        "range",
        "Targets for real images are drawn uniformly from this range (hard label: 1.0–1.0). "
        "Above 1 the loss can go below zero: that is expected.",
        *SLIDERS["hacks.real_label_range"],
    ),
    Control(
        "hacks.fake_label_range",
        LABELS["hacks.fake_label_range"],
        "range",
        "Targets for fake images are drawn uniformly from this range (hard label: 0.0–0.0).",
        *SLIDERS["hacks.fake_label_range"],
    ),
    Control(
        "hacks.flip_probability",
        LABELS["hacks.flip_probability"],
        "slider",
        "Each of D's targets is swapped real↔fake with this probability: noisy labels keep D humble.",
        *SLIDERS["hacks.flip_probability"],
    ),
    Control(
        "hacks.generator_loss",
        LABELS["hacks.generator_loss"],
        "radio",
        "Non-saturating: G maximizes log D(G(z)). Minimax: G minimizes log(1 − D(G(z))), "
        "which is flat exactly when G is bad, so it learns slowly at first.",
        options=(("non-saturating", "non-saturating"), ("minimax", "minimax")),
    ),
    Control(
        "hacks.d_steps",
        LABELS["hacks.d_steps"],
        "slider",
        "k in Goodfellow's algorithm 1: k discriminator rounds before each G update, each round two "
        "half-batch updates (real and fake halves, or two mixed halves) on a fresh half-batch of real "
        "images. A step then shows D k half-batches of real images, so an epoch (one pass over "
        "them) has 1/k as many steps.",
        *SLIDERS["hacks.d_steps"],
    ),
    Control(
        "hacks.instance_noise",
        LABELS["hacks.instance_noise"],
        "slider",
        "Gaussian noise added to every image D sees, real and fake (pixels in [-1, 1]); this std at "
        "the start, falling linearly to 0 over the run's time or epochs. Usual: 0.1. 0 = off. "
        "ganhacks #13; Sønderby et al. 2016; Arjovsky & Bottou 2017.",
        0.0,
        0.5,
        0.01,
    ),
    Control(
        "hacks.replay_share",
        LABELS["hacks.replay_share"],
        "slider",
        "Share of D's fake half drawn from a buffer of 2,048 earlier fakes instead of fresh ones, so D "
        "keeps rejecting what G drew before. Usual: 0.5. 0 = off. ganhacks #8; Shrivastava et al. 2017.",
        0.0,
        1.0,
        0.05,
    ),
    Control(
        "hacks.adversarial_loss",
        LABELS["hacks.adversarial_loss"],
        "radio",
        "Binary cross-entropy (the original GAN; the generator-loss choice applies to it), least-squares "
        "(D pulls its output to 1 for real, 0 for fake; Mao et al. 2017, a=0, b=c=1) or hinge "
        "(D: relu(1 − D(x)) + relu(1 + D(G(z))), G: −D(G(z)); Lim & Ye 2017, SAGAN).",
        options=(("bce", "BCE"), ("least-squares", "least-squares"), ("hinge", "hinge")),
    ),
    Control(
        "hacks.r1_gamma",
        LABELS["hacks.r1_gamma"],
        "slider",
        "Adds γ/2 · ‖∇ₓD(x)‖² on real images to D's loss, so D stays smooth where the data is. "
        "Usual: 0.1–10, low for small images. 0 = off (costs nothing). Mescheder et al. 2018.",
        0.0,
        10.0,
        0.1,
    ),
    Control(
        "hacks.diff_augment",
        LABELS["hacks.diff_augment"],
        "multiselect",
        "The same random, differentiable augmentation of real and fake images before D, in D's and G's "
        "updates: translation (up to ⅛ of the side), cutout (a square of half the side), color "
        "(brightness, saturation, contrast). Made for a few thousand images. Zhao et al. 2020.",
        options=(("translation", "translation"), ("cutout", "cutout"), ("color", "color")),
    ),
    Control(
        "optimizer.d_learning_rate",
        LABELS["optimizer.d_learning_rate"],
        "lr",
        "D's step size (Adam's, or SGD's when D uses SGD: then ~10× larger).",
    ),
    Control("optimizer.g_learning_rate", LABELS["optimizer.g_learning_rate"], "lr", "Adam step size for G."),
    Control(
        "run.ema_decay",
        LABELS["run.ema_decay"],
        "number",
        "The grid, the quality figures and the saved generator come from a moving average of G's "
        "weights: 0 = off, 0.999 usual (Karras et al. 2018; Yazıcı et al. 2019); 0.99 for short runs. "
        "Live: turned on mid-run, the average starts from G's weights of that moment.",
        0.0,
        0.9999,
        0.001,
    ),
)

RUN_CONTROLS = (
    Control(
        "model.base_filters",
        LABELS["model.base_filters"],
        "number",
        f"Width f of the networks: 28-pixel images {widths_text(28)}; 32-pixel images {widths_text(32)} "
        "(G's widths from its smallest resolution up, D's from the image down). "
        "Wider learns more per step but steps slower.",
        8,
        128,
        8,
    ),
    Control(
        "run.batch_size",
        LABELS["run.batch_size"],
        "number",
        "Images per step: each D update sees half a batch (real, fake or mixed), G's update a whole "
        "batch of fakes. Must be even.",
        2,
        512,
        2,
    ),
    Control(
        "run.max_seconds",
        LABELS["run.max_seconds"],
        "number",
        "Seconds of training before it stops by itself; 0 trains until you press Stop.",
        0,
        3600,
        10,
    ),
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


def control_for(key: str) -> Control | None:
    """The control of a dotted config key, or None when no control shows it."""
    return BY_KEY.get(key)
