"""The settings table's entries for the two networks and Adam's momentum: the DCGAN practices
(Radford et al. 2015; the kernel rule from Odena et al. 2016 and Chollet 2017), the later architecture hacks
(ganhacks #9, #15, #17 and Miyato et al. 2018) and the networks' size. All apply at the next
start: they shape the networks or the optimizers.

One entry per config key; gan_core.config.settings gathers this table with the others.
"""

from __future__ import annotations

from gan_core.config.architecture import widths_text
from gan_core.config.setting import Choice, Flag, Interval, Setting

MODELS = "gan_core.nets.models"

PRACTICES = (
    Setting(
        "model.strided_downsample",
        Flag(),
        f"{MODELS}:LayerBuilder.downsample",
        group="practice",
        label="Strided convolutions in D",
        kind="toggle",
        help="On: D shrinks images with stride-2 convolutions (learned). Off: convolution + max pooling.",
        browser=Flag(),
        cards=("strided-downsample",),
    ),
    Setting(
        "model.strided_upsample",
        Flag(),
        f"{MODELS}:LayerBuilder.upsample",
        group="practice",
        label="Transposed convolutions in G",
        kind="toggle",
        help="On: G grows images with stride-2 transposed convolutions. Off: UpSampling2D + convolution.",
        browser=Flag(),
        cards=("strided-upsample",),
    ),
    Setting(
        "model.leaky_relu",
        Flag(),
        f"{MODELS}:LayerBuilder.act",
        group="practice",
        label="LeakyReLU",
        kind="toggle",
        help="On: LeakyReLU keeps a small gradient for negative inputs. Off: ReLU, which can go silent.",
        browser=Flag(),
        cards=("leaky-relu",),
    ),
    Setting(
        "model.leaky_slope",
        Interval(0.0, 1.0, high_open=True),
        f"{MODELS}:LayerBuilder.act",
        group="practice",
        label="LeakyReLU slope",
        kind="slider",
        page=(0.0, 0.5, 0.05),
        help="Slope for negative inputs (DCGAN: 0.2).",
        browser=Interval(0.0, 0.5),
        cards=("leaky-relu",),
    ),
    Setting(
        "model.batch_norm",
        Flag(),
        f"{MODELS}:LayerBuilder.norm_act",
        group="practice",
        label="Batch normalization",
        kind="toggle",
        help="conv → BatchNorm → activation in G and D, as in the DCGAN authors' code (not on D's input "
        "layer nor G's output).",
        browser=Flag(),
        cards=("batch-norm",),
    ),
    Setting(
        "model.gaussian_init",
        Flag(),
        f"{MODELS}:LayerBuilder.init",
        group="practice",
        label="Gaussian weight init (std 0.02)",
        kind="toggle",
        help="On: weights drawn from N(0, 0.02) as in DCGAN. Off: Keras' Glorot uniform default.",
        browser=Flag(),
        cards=("gaussian-init",),
    ),
    Setting(
        "optimizer.beta_1",
        Interval(0.0, 1.0, high_open=True),
        "gan_core.step.optimizers:make_optimizer",
        group="practice",
        label="Adam beta_1 (DCGAN: 0.5)",
        kind="slider",
        page=(0.0, 0.95, 0.05),
        help="Adam's momentum for both networks. DCGAN: 0.5, less memory for a moving target; Adam's default: 0.9.",
        browser=Interval(0.0, 0.99),
        cards=("dcgan-adam",),
    ),
    Setting(
        "model.tanh_output",
        Flag(),
        f"{MODELS}:build_generator",
        group="practice",
        label="tanh output, pixels in [-1, 1]",
        kind="toggle",
        help="On: G ends in tanh and pixels are scaled to [-1, 1]. Off: sigmoid output with pixels in [0, 1].",
        browser=Flag(),
        cards=("tanh-output",),
    ),
    Setting(
        "model.kernel_divisible_by_stride",
        Flag(),
        f"{MODELS}:LayerBuilder.kernel",
        group="practice",
        label="Kernel size divisible by stride",
        kind="toggle",
        help="On: 4×4 kernels at stride 2. Off: 3×3 at stride 2, which overlaps unevenly: checkerboards "
        "(Odena et al. 2016; Chollet).",
        browser=Flag(),
        cards=("kernel-stride",),
    ),
    Setting(
        "model.dropout",
        Interval(0.0, 0.7),
        f"{MODELS}:build_discriminator",
        group="practice",
        label="Dropout in D",
        kind="slider",
        page=(0.0, 0.7, 0.05),
        help="Share of D's features dropped before its output; slows D down so G can keep up. Chollet "
        "uses 0.4; the DCGAN paper none. 0 = off.",
        browser=Interval(0.0, 0.7),
        cards=("dropout",),
    ),
    Setting(
        "model.use_labels",
        Flag(),
        "gan_core.step.reuse:graph_key",
        group="practice",
        label="Use the labels (conditional GAN)",
        kind="toggle",
        help="On: G is told which digit to draw, and D judges image and digit together and names the "
        "digit (ganhacks: 'use labels'). Needs labelled data: your own images train without it.",
        browser=Flag(),
        cards=("use-labels",),
    ),
)

MODEL_HACKS = (
    Setting(
        "optimizer.d_optimizer",
        Choice(("adam", "sgd")),
        "gan_core.step.optimizers:make_discriminator_optimizer",
        group="model_hack",
        label="Discriminator optimizer",
        kind="radio",
        options=(("adam", "Adam"), ("sgd", "SGD")),
        help="Adam, or plain SGD for D only (ganhacks #9); G keeps Adam. ganhacks gives no rate; this "
        "app's rule of thumb is a D learning rate about 10× Adam's: 2e-3 where Adam had 2e-4.",
        browser=Choice(("adam", "sgd")),
        cards=("sgd-discriminator",),
    ),
    Setting(
        "model.g_dropout",
        Interval(0.0, 0.7),
        f"{MODELS}:LayerBuilder.g_noise",
        group="model_hack",
        label="Dropout in G (also when sampling)",
        kind="slider",
        page=(0.0, 0.7, 0.05),
        help="Share of G's hidden features dropped, in training AND when drawing samples: G's second "
        "noise source (ganhacks #17; pix2pix, Isola et al. 2017 use 0.5). The same z then draws "
        "a slightly different image each time. 0 = off.",
        browser=Interval(0.0, 0.7),
        cards=("g-dropout",),
    ),
    Setting(
        "model.minibatch_stddev",
        Flag(),
        "gan_core.nets.hack_layers:minibatch_stddev",
        group="model_hack",
        label="Minibatch standard deviation in D",
        kind="toggle",
        help="D gets one extra channel near its end: how much the images of each group of 4 differ. "
        "A collapsed G's batch is too alike, and D can now see it (Karras et al. 2018, ProGAN).",
        browser=Flag(),
        cards=("minibatch-stddev",),
    ),
    Setting(
        "model.spectral_norm",
        Flag(),
        "gan_core.nets.hack_layers:spectral_normalized",
        group="model_hack",
        label="Spectral normalization in D",
        kind="toggle",
        help="Every conv and dense kernel of D is divided by its largest singular value (one power "
        "iteration per step), so D cannot grow arbitrarily sharp (Miyato et al. 2018).",
        browser=Flag(),
        cards=("spectral-norm",),
    ),
    Setting(
        "model.self_conditioning",
        Interval(2, 100, whole=True, off=0, words="0 (off) or 2..100 clusters"),
        "gan_core.hacks.self_conditioning:cluster_labels",
        group="model_hack",
        label="Self-conditioning: clusters as labels",
        kind="slider",
        page=(0, 50, 1),
        help="Without labels: the images are sorted into this many look-alike groups (k-means) before "
        "training, and each group is used as a class, as 'Use labels' would. G then learns every "
        "group and draws each more sharply. Real labels win when both are on. 0 = off.",
        browser=Interval(2, 50, whole=True, off=0, words="0 (off) or 2..50 clusters"),
        cards=("self-conditioning",),
    ),
)

# The networks' size. Beyond the page's ranges a browser gets a server-wide cap: a class
# shares one machine, and 512 filters with a 1,024-dim latent is ~145 M parameters.
SIZE = (
    Setting(
        "model.base_filters",
        Interval(4, 512, whole=True),
        f"{MODELS}:build_generator",
        group="run",
        label="Base filters",
        kind="number",
        page=(8, 128, 8),
        help=f"Width f of the networks: 28-pixel images {widths_text(28)}; 32-pixel images {widths_text(32)} "
        "(G's widths from its smallest resolution up, D's from the image down). "
        "Wider learns more per step but steps slower.",
        browser=Interval(4, 128, whole=True),
    ),
    Setting(
        "model.latent_dim",
        Interval(1, 1024, whole=True),
        f"{MODELS}:build_generator",
        browser=Interval(1, 256, whole=True),
    ),
    Setting(
        "model.layout",
        Choice(("dcgan", "tutorial")),
        "gan_core.config.architecture:width_multiples",
        browser=Choice(("dcgan", "tutorial")),
    ),
    Setting(
        "model.d_base_filters",
        Interval(4, 512, whole=True, off=0, off_words="same as base_filters"),
        f"{MODELS}:build_discriminator",
        browser=Interval(4, 128, whole=True, off=0, off_words="same as base_filters"),
    ),
    Setting("model.d_extra_conv", Flag(), f"{MODELS}:build_discriminator", browser=Flag()),
    Setting("model.g_extra_conv", Flag(), f"{MODELS}:build_generator", browser=Flag()),
)
