"""The settings table's entries for the live hacks: what a running training takes at its next
step without retracing (each one a tf.Variable the compiled step reads; gan_core.hacks.live).

ganhacks (Chintala et al. 2016) for the latent, the batches, smoothing and flips; Goodfellow
et al. 2014 for the non-saturating G loss and k D steps per G step; the stabilizers after
that list with their sources in their help texts. One entry per config key;
gan_core.config.settings gathers this table with the others.
"""

from __future__ import annotations

from gan_core.config.setting import LIVE, Choice, Flag, Interval, Pair, Policies, Setting

FUNCTIONS = "gan_core.hacks.functions"
AUGMENT = "gan_core.hacks.augment"

ADVERSARIAL_LOSSES = ("bce", "least-squares", "hinge")
DIFF_AUGMENT_POLICIES = ("translation", "cutout", "color")
INSTANCE_NOISE_MAX = 1.0  # an std of 1 already buries [-1, 1] pixels
R1_GAMMA_MAX = 100.0
# The Train page's learning-rate choices: Adam's useful range for these networks, and 1e-2
# for D under SGD (ganhacks #9; about 10x Adam's rate, this app's rule of thumb: ganhacks
# gives no rate).
LEARNING_RATES = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2)

LABEL_TARGETS = Pair(-0.5, 1.5)

HACKS = (
    Setting(
        "hacks.latent_distribution",
        Choice(("gaussian", "uniform")),
        f"{FUNCTIONS}:sample_latent",
        group="hack",
        label="Latent distribution",
        kind="radio",
        options=(("gaussian", "Gaussian"), ("uniform", "Uniform")),
        help="Where G's input points come from: a standard Gaussian, or uniform in [-1, 1] (original DCGAN).",
        browser=Choice(("gaussian", "uniform")),
        applies=LIVE,
        marker="latent",
        cards=("latent-gaussian",),
    ),
    Setting(
        "hacks.separate_batches",
        Flag(),
        f"{FUNCTIONS}:discriminator_batches",
        group="hack",
        label="Separate real and fake batches",
        kind="toggle",
        help="On: D learns from an all-real half batch, then an all-fake one (BatchNorm statistics stay "
        "pure; ganhacks #4). Off: two updates on half batches cut from a shuffled mix of both.",
        browser=Flag(),
        applies=LIVE,
        marker="separate batches",
        cards=("separate-batches",),
    ),
    Setting(
        "hacks.real_label_range",
        LABEL_TARGETS,
        f"{FUNCTIONS}:smooth_labels",
        group="hack",
        label="Real label range",
        kind="range",
        page=(0.0, 1.5, 0.05),
        help="Targets for real images are drawn uniformly from this range (hard label: 1.0–1.0). "
        "Above 1 the loss can go below zero: that is expected.",
        browser=LABEL_TARGETS,
        applies=LIVE,
        marker="real labels",
        cards=("soft-real-labels",),
    ),
    Setting(
        "hacks.fake_label_range",
        LABEL_TARGETS,
        f"{FUNCTIONS}:smooth_labels",
        group="hack",
        label="Fake label range",
        kind="range",
        page=(0.0, 1.0, 0.05),
        help="Targets for fake images are drawn uniformly from this range (hard label: 0.0–0.0).",
        browser=LABEL_TARGETS,
        applies=LIVE,
        marker="fake labels",
        cards=("soft-fake-labels",),
    ),
    Setting(
        "hacks.flip_probability",
        Interval(0.0, 0.5),
        f"{FUNCTIONS}:flip_labels",
        group="hack",
        label="Label flip probability",
        kind="slider",
        page=(0.0, 0.5, 0.01),
        help="Each of D's targets is swapped real↔fake with this probability: noisy labels keep D humble.",
        browser=Interval(0.0, 0.5),
        applies=LIVE,
        marker="flip",
        cards=("label-flips",),
    ),
    Setting(
        "hacks.generator_loss",
        Choice(("non-saturating", "minimax")),
        f"{FUNCTIONS}:generator_loss",
        group="hack",
        label="Generator loss",
        kind="radio",
        options=(("non-saturating", "non-saturating"), ("minimax", "minimax")),
        help="Non-saturating: G maximizes log D(G(z)). Minimax: G minimizes log(1 − D(G(z))), "
        "which is flat exactly when G is bad, so it learns slowly at first.",
        browser=Choice(("non-saturating", "minimax")),
        applies=LIVE,
        marker="G loss",
        cards=("non-saturating",),
    ),
    Setting(
        "hacks.d_steps",
        Interval(1, 10, whole=True),
        "gan_core.step.gan_step:GanStep._d_rounds",
        group="hack",
        label="Discriminator steps per generator step",
        kind="slider",
        page=(1, 5, 1),
        help="k in Goodfellow's algorithm 1: k discriminator rounds before each G update, each round two "
        "half-batch updates (real and fake halves, or two mixed halves) on a fresh half-batch of real "
        "images. A step then shows D k half-batches of real images, so an epoch (one pass over "
        "them) has 1/k as many steps.",
        # k rounds cost k times D's work per step: a browser gets the page's range.
        browser=Interval(1, 5, whole=True),
        applies=LIVE,
        marker="D steps",
        cards=("d-steps",),
    ),
    Setting(
        "hacks.instance_noise",
        Interval(0.0, INSTANCE_NOISE_MAX),
        f"{FUNCTIONS}:add_instance_noise",
        group="hack",
        label="Instance noise (start std)",
        kind="slider",
        page=(0.0, 0.5, 0.01),
        help="Gaussian noise added to every image D sees, real and fake (pixels in [-1, 1]); this std at "
        "the start, falling linearly to 0 over the run's time or epochs. The guide's pair uses 0.1 (the "
        "sources fix no value). 0 = off. "
        "ganhacks #13; Sønderby et al. 2016; Arjovsky & Bottou 2017.",
        browser=Interval(0.0, INSTANCE_NOISE_MAX),
        applies=LIVE,
        marker="instance noise",
        cards=("instance-noise",),
    ),
    Setting(
        "hacks.replay_share",
        Interval(0.0, 1.0),
        "gan_core.hacks.replay:ReplayRing.replay",
        group="hack",
        label="Experience replay share",
        kind="slider",
        page=(0.0, 1.0, 0.05),
        help="Share of D's fake half drawn from a buffer of 2,048 earlier fakes instead of fresh ones, so D "
        "keeps rejecting what G drew before. Shrivastava et al. 2017 use 0.5 (half); 0 = off. ganhacks #8.",
        browser=Interval(0.0, 1.0),
        applies=LIVE,
        marker="replay",
        cards=("experience-replay",),
    ),
    Setting(
        "hacks.adversarial_loss",
        Choice(ADVERSARIAL_LOSSES),
        f"{FUNCTIONS}:discriminator_loss",
        group="hack",
        label="Adversarial loss",
        kind="radio",
        options=(("bce", "BCE"), ("least-squares", "least-squares"), ("hinge", "hinge")),
        help="Binary cross-entropy (the original GAN; the generator-loss choice applies to it), least-squares "
        "(D pulls its output to 1 for real, 0 for fake; Mao et al. 2017, a=0, b=c=1) or hinge "
        "(D: relu(1 − D(x)) + relu(1 + D(G(z))), G: −D(G(z)); Lim & Ye 2017, SAGAN).",
        browser=Choice(ADVERSARIAL_LOSSES),
        applies=LIVE,
        marker="loss",
        cards=("least-squares-loss", "hinge-loss"),
    ),
    Setting(
        "hacks.r1_gamma",
        Interval(0.0, R1_GAMMA_MAX),
        f"{FUNCTIONS}:r1_penalty",
        group="hack",
        label="R1 penalty γ",
        kind="slider",
        page=(0.0, 10.0, 0.1),
        help="Adds γ/2 · ‖∇ₓD(x)‖² on real images to D's loss, so D stays smooth where the data is. "
        "Mescheder et al. 2018 use 10; StyleGAN2-ADA uses 0.01 for CIFAR-10's small images "
        "(Karras et al. 2020). 0 = off (costs nothing).",
        browser=Interval(0.0, R1_GAMMA_MAX),
        applies=LIVE,
        marker="R1 γ",
        cards=("r1-penalty",),
    ),
    Setting(
        "hacks.diff_augment",
        Policies(DIFF_AUGMENT_POLICIES),
        f"{AUGMENT}:diff_augment",
        group="hack",
        label="DiffAugment",
        kind="multiselect",
        options=(("translation", "translation"), ("cutout", "cutout"), ("color", "color")),
        help="The same random, differentiable augmentation of real and fake images before D, in D's and G's "
        "updates: translation (up to ⅛ of the side), cutout (a square of half the side), color "
        "(brightness, saturation, contrast). Made for a few thousand images. Zhao et al. 2020.",
        browser=Policies(DIFF_AUGMENT_POLICIES),
        applies=LIVE,
        marker="DiffAugment",
        cards=("diff-augment",),
    ),
    Setting(
        "optimizer.d_learning_rate",
        Interval(0.0, 0.1, low_open=True),
        "gan_core.step.live:StepLive.set_learning_rates",
        group="hack",
        label="Discriminator learning rate",
        kind="lr",
        choices=LEARNING_RATES,
        help="D's step size (Adam's, or SGD's when D uses SGD: then ~10× larger, this app's rule of thumb).",
        browser=Interval(0.0, 0.1, low_open=True),
        applies=LIVE,
        marker="D lr",
        cards=("ttur", "dcgan-adam"),
    ),
    Setting(
        "optimizer.g_learning_rate",
        Interval(0.0, 0.1, low_open=True),
        "gan_core.step.live:StepLive.set_learning_rates",
        group="hack",
        label="Generator learning rate",
        kind="lr",
        choices=LEARNING_RATES,
        help="Adam step size for G.",
        browser=Interval(0.0, 0.1, low_open=True),
        applies=LIVE,
        marker="G lr",
        cards=("ttur", "dcgan-adam"),
    ),
    Setting(
        "run.ema_decay",
        Interval(0.5, 1.0, high_open=True, off=0.0),
        "gan_core.hacks.ema:GeneratorAverage.update",
        group="hack",
        label="Moving average of G (EMA decay)",
        kind="number",
        page=(0.0, 0.9999, 0.001),
        help="The grid, the quality figures and the saved generator come from a moving average of G's "
        "weights: 0 = off, 0.999 usual (Karras et al. 2018; Yazıcı et al. 2019); 0.99 for short runs. "
        "Live: turned on mid-run, the average starts from G's weights of that moment.",
        browser=Interval(0.5, 1.0, high_open=True, off=0.0),
        applies=LIVE,
        marker="EMA",
        cards=("ema-generator",),
    ),
)
