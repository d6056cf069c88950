"""The settings table's entries for the 2D playground (gan_core.toy): its own data, networks,
optimizers and run, and its controls of the hacks it shares with the image GAN.

The playground's `hacks` section is the image GAN's HacksConfig, so a shared hack's valid
values are the image entry's (one rule), while its control has the playground's own label,
help and range: points are not pixels (label targets from -0.5, noise in the data's units,
up to 10 D steps, which cost little on an MLP). One entry per ToyConfig key.
"""

from __future__ import annotations

from gan_core.config.setting import LIVE, Choice, Flag, Interval, Setting, Text, Unused
from gan_core.config.table_hacks import ADVERSARIAL_LOSSES, HACKS

TRAINER = "gan_core.toy.trainer:ToyTrainer"
FUNCTIONS = "gan_core.hacks.functions"
_IMAGE = {s.key: s for s in HACKS}
# The playground's learning-rate choices. Higher than the image GAN's (table_hacks.LEARNING_RATES):
# MLPs on 2-D points learn well at 1e-3..1e-2, the collapse preset's G runs at 1e-2, and 0.1
# shows what a far too large step does.
TOY_LEARNING_RATES = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1)
OPTIMIZERS = ("adam", "sgd")
# What an exercise link may set the playground's learning rates to: the select sliders' span
# (the link's value must also be one of TOY_LEARNING_RATES, which the page offers).
_TOY_RATES = Interval(0.0, max(TOY_LEARNING_RATES), low_open=True)


def _hack(key: str, code: str, **control) -> Setting:
    """A playground control of a shared hack: the image entry's valid values, browser bound and
    cards, the playground's own control; live, as in the image GAN."""
    image = _IMAGE[key]
    return Setting(
        key,
        image.valid,
        code,
        group="hack",
        browser=image.browser,
        applies=LIVE,
        marker=image.marker,
        cards=image.cards,
        **control,
    )


TOY_HACKS = (
    _hack(
        "hacks.latent_distribution",
        f"{FUNCTIONS}:sample_latent",
        label="Latent distribution",
        kind="radio",
        options=(("gaussian", "gaussian"), ("uniform", "uniform")),
        help="Where G's random input comes from: N(0, 1) (the ganhacks advice) or uniform in [-1, 1].",
    ),
    _hack(
        "hacks.real_label_range",
        f"{FUNCTIONS}:smooth_labels",
        label="Real label range",
        kind="range",
        page=(-0.5, 1.5, 0.05),
        help="D's target for real points is drawn uniformly from this range. [0.7, 1.2] is "
        "label smoothing; [1, 1] is a hard label. Targets above 1 can push D's loss below 0.",
    ),
    _hack(
        "hacks.fake_label_range",
        f"{FUNCTIONS}:smooth_labels",
        label="Fake label range",
        kind="range",
        page=(-0.5, 1.5, 0.05),
        help="D's target for generated points. [0, 0.3] smooths; [0, 0] is a hard label.",
    ),
    _hack(
        "hacks.flip_probability",
        f"{FUNCTIONS}:flip_labels",
        label="Label flip probability",
        kind="slider",
        page=(0.0, 0.5, 0.01),
        help="Each of D's labels is swapped (real <-> fake) with this probability: noisy labels.",
    ),
    _hack(
        "hacks.generator_loss",
        f"{FUNCTIONS}:generator_loss",
        label="Generator loss",
        kind="radio",
        options=(("non-saturating", "non-saturating"), ("minimax", "minimax")),
        help="Non-saturating: G maximises log D(G(z)). Minimax: G minimises log(1 - D(G(z))), "
        "whose gradient vanishes when D rejects G's points confidently.",
    ),
    _hack(
        "hacks.adversarial_loss",
        f"{FUNCTIONS}:discriminator_loss",
        label="Adversarial loss",
        kind="radio",
        options=tuple((loss, loss) for loss in ADVERSARIAL_LOSSES),
        help="bce: cross-entropy (the generator-loss choice applies to it); least-squares: D pulls "
        "its output to 1 for real, 0 for fake (Mao et al. 2017); hinge: relu(1 ∓ D), G "
        "maximizes D (Lim & Ye 2017). The surface shows D's verdict on the loss's own scale: the "
        "probability of real for bce; 0 at the fake target and 1 at the real one for the others.",
    ),
    _hack(
        "hacks.r1_gamma",
        f"{FUNCTIONS}:r1_penalty",
        label="R1 penalty γ",
        kind="slider",
        page=(0.0, 10.0, 0.1),
        help="γ/2 · ‖∇D(x)‖² on real points in D's loss: D flattens around the data, so the "
        "arrows calm down near the modes (Mescheder et al. 2018). 0 = off.",
    ),
    _hack(
        "hacks.instance_noise",
        f"{FUNCTIONS}:add_instance_noise",
        label="Instance noise (start std)",
        kind="slider",
        page=(0.0, 1.0, 0.01),
        help="Gaussian noise of this std, in the data's units (the square is [-2, 2]), added to every "
        "point D sees, real and fake; it shrinks linearly to 0 over the time budget. Blurred, the two "
        "clouds overlap, so D's surface stays smooth and its arrows reach G's far points "
        "(ganhacks #13; Sønderby et al. 2016, Arjovsky & Bottou 2017). 0 = off.",
    ),
    _hack(
        "hacks.replay_share",
        "gan_core.hacks.replay:ReplayRing.replay",
        label="Experience replay share",
        kind="slider",
        page=(0.0, 1.0, 0.05),
        help="This share of D's fake points comes from a ring of G's earlier points, so D keeps "
        "rejecting the modes G left and G cannot hop back to them unpunished "
        "(ganhacks #8; Shrivastava et al. 2017 use half). 0 = off.",
    ),
    _hack(
        "hacks.d_steps",
        f"{TRAINER}.run",
        label="Discriminator steps per generator step",
        kind="slider",
        page=(1, 10, 1),
        help="k in Goodfellow's algorithm 1: D updates before each G update.",
    ),
    # Without BatchNorm, D's gradient on one mixed batch equals the one on separate batches.
    _hack("hacks.separate_batches", f"{FUNCTIONS}:discriminator_batches"),
    Setting(
        "hacks.diff_augment",
        Unused("applies to the image trainer only, not the 2D playground"),
        "gan_core.toy.config:ToyConfig.problems",
        browser=Unused("applies to the image trainer only, not the 2D playground"),
    ),
)

TOY_RUN = (
    Setting("data.dataset", Text("a toy data set or a .csv file"), "gan_core.toy.source:load_toy_dataset"),
    Setting("model.latent_dim", Interval(1, 64, whole=True), "gan_core.toy.models:build_generator"),
    Setting("model.hidden", Interval(4, 1024, whole=True), "gan_core.toy.models:build_generator"),
    Setting("model.d_hidden", Interval(4, 1024, whole=True), "gan_core.toy.models:build_discriminator"),
    Setting("model.depth", Interval(1, 8, whole=True), "gan_core.toy.models:build_generator"),
    Setting("model.pack", Interval(1, 8, whole=True), f"{TRAINER}._packed"),
    Setting(
        "model.spectral_norm",
        Flag(),
        "gan_core.toy.models:build_discriminator",
        group="model_hack",
        browser=Flag(),
        label="Spectral normalization in D",
        kind="toggle",
        help="Each of D's dense kernels divided by its largest singular value (Miyato et al. 2018): "
        "D's shading changes more gently. Switching it starts fresh networks.",
        cards=("spectral-norm",),
    ),
    Setting(
        "optimizer.name",
        Choice(OPTIMIZERS),
        "gan_core.toy.optim:SwitchableOptimizer.apply",
        group="hack",
        label="Optimizer",
        kind="radio",
        options=(("adam", "ADAM"), ("sgd", "SGD")),
        help="Adam or plain SGD; switching keeps Adam's moments for later.",
        browser=Choice(OPTIMIZERS),
        applies=LIVE,
    ),
    Setting(
        "optimizer.d_optimizer",
        Choice(("same",) + OPTIMIZERS),
        "gan_core.toy.optim:SwitchableOptimizer.apply",
        group="hack",
        label="D's optimizer",
        kind="radio",
        options=(("same", "same as G"), ("adam", "ADAM"), ("sgd", "SGD")),
        help="ganhacks #9: SGD for D while G keeps Adam. Give D a rate ~10x Adam's (this app's "
        "rule of thumb; ganhacks gives no rate).",
        browser=Choice(("same",) + OPTIMIZERS),
        applies=LIVE,
        cards=("sgd-discriminator",),
    ),
    Setting(
        "optimizer.d_learning_rate",
        Interval(0.0, 1.0, low_open=True),
        f"{TRAINER}.apply_live",
        group="hack",
        label="D learning rate",
        kind="lr",
        choices=TOY_LEARNING_RATES,
        help="Step size of D's optimizer.",
        browser=_TOY_RATES,
        applies=LIVE,
    ),
    Setting(
        "optimizer.g_learning_rate",
        Interval(0.0, 1.0, low_open=True),
        f"{TRAINER}.apply_live",
        group="hack",
        label="G learning rate",
        kind="lr",
        choices=TOY_LEARNING_RATES,
        help="Step size of G's optimizer. Lowering both rates late in a run pulls the points tighter onto the modes.",
        browser=_TOY_RATES,
        applies=LIVE,
    ),
    Setting("optimizer.beta_1", Interval(0.0, 1.0, high_open=True), "gan_core.toy.optim:SwitchableOptimizer"),
    Setting("optimizer.final_lr_fraction", Interval(0.0, 1.0, low_open=True), "gan_core.toy.schedule:decay_scale"),
    Setting("run.batch_size", Interval(2, 4096, whole=True), f"{TRAINER}._real_batch"),
    Setting(
        "run.max_seconds",
        Interval(0.0, 1e9, off=0.0, words="0 (one step) or positive"),
        f"{TRAINER}.train_for",
        browser=Interval(1.0, 3600.0, words="in [1, 3600] seconds"),
    ),
    Setting(
        "run.seed",
        Interval(0, 2**31 - 1, whole=True),
        "gan_core.toy.models:build_generator",
        browser=Interval(0, 2**31 - 1, whole=True),
    ),
    Setting("run.eval_samples", Interval(100, 100_000, whole=True), "gan_core.toy.metrics:mode_metrics"),
    Setting(
        "run.ema_decay", Interval(0.0, 1.0, high_open=True), "gan_core.hacks.ema:GeneratorAverage.update", applies=LIVE
    ),
)
