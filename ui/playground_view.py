"""The 2D playground's Streamlit side: its data select, its live hack controls (and the
presets that set them), and the mode-coverage metrics row.

Every control keeps its value in session state under a `toy_*` key; a preset writes those
keys (`preset_controls`), and `hack_controls` reads the widgets back into a HacksConfig and
a ToyOptimizerConfig the trainer applies at its next step.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from gan_core.config import HacksConfig
from gan_core.toy import PointsError, ToyDataset, builtin_dataset, mode_metrics, points_dataset
from gan_core.toy.config import TOY_LEARNING_RATES, ToyConfig, ToyOptimizerConfig
from gan_core.toy.presets import TOY_PRESETS, toy_preset
from gan_core.toy.source import read_uploaded_points
from ui.kept_upload import keep_choice, kept_upload, restore_choice

# Select label -> the toy's data set name ("csv": an uploaded points file).
DATASETS = {
    "Ring of 8 Gaussians": "ring",
    "Grid of 25 Gaussians": "grid",
    "Spiral": "spiral",
    "Two moons": "moons",
    "Your own points (CSV)": "csv",
}
RING = "Ring of 8 Gaussians"


def preset_controls(name: str) -> dict:
    """The widget values that show preset `name`, keyed by the widgets' session-state keys
    (`toy_latent`, `toy_real_range`, ..., `toy_g_lr`). Raises ConfigError for an unknown name."""
    cfg = toy_preset(name)
    h, o = cfg.hacks, cfg.optimizer
    return {
        "toy_latent": h.latent_distribution,
        "toy_real_range": tuple(h.real_label_range),
        "toy_fake_range": tuple(h.fake_label_range),
        "toy_flip": float(h.flip_probability),
        "toy_g_loss": h.generator_loss,
        "toy_d_steps": int(h.d_steps),
        "toy_optimizer": o.name,
        "toy_d_lr": o.d_learning_rate,
        "toy_g_lr": o.g_learning_rate,
        "toy_d_optimizer": o.d_optimizer,
        "toy_spectral_norm": cfg.model.spectral_norm,
        "toy_adv_loss": h.adversarial_loss,
        "toy_r1": float(h.r1_gamma),
        "toy_instance_noise": float(h.instance_noise),
        "toy_replay": float(h.replay_share),
    }


def load_preset() -> None:
    """Set every control to the chosen preset; the next run builds fresh networks for it (its
    Adam beta_1 and weight averaging are fixed when the networks are made)."""
    st.session_state.update(preset_controls(st.session_state.toy_preset))
    st.session_state.pop("toy_trainer_key", None)
    st.session_state.pop("toy_loaded", None)


def take_preload() -> None:
    """The Hacks guide's "Watch it in 2D" leaves a preset name behind: adopt it once, on the ring."""
    state = st.session_state
    name = state.pop("toy_preload", None)
    if name in TOY_PRESETS:
        state.toy_preset = name
        state.toy_dataset = RING
        state.toy_playing = False
        load_preset()
        state.toy_loaded = name


@st.cache_data(max_entries=4, show_spinner=False)
def _points_from_upload(digest: str, _data: bytes, name: str) -> ToyDataset | str:
    """The ToyDataset of an uploaded CSV, or the one-line reason it is refused; read once per
    content (`digest` is its SHA-256), refusals included, in a bounded worker process, so a
    hostile file stalls neither other pages nor trainings."""
    try:
        read = read_uploaded_points(_data)
        return points_dataset(read.points, name=name, notes=read.notes)
    except PointsError as e:
        return str(e)


def chosen_dataset() -> tuple[str | None, ToyDataset | None]:
    """The Dataset select (and the CSV upload); (key, ToyDataset) for the chosen data, the key
    being the built-in name or "csv:<SHA-256>", or (None, None) when nothing is usable yet
    (no upload, or a file refused with its one-line reason)."""
    restore_choice("toy_dataset", list(DATASETS))  # a page switch drops the widget's value
    label = st.selectbox(
        "Dataset",
        list(DATASETS),
        key="toy_dataset",
        help="Ring and grid are the classic mode-collapse tests; your CSV needs columns x,y "
        "(header optional, 10 to 100,000 rows).",
    )
    keep_choice("toy_dataset")
    name = DATASETS[label]
    if name != "csv":
        return name, builtin_dataset(name)
    upload = kept_upload(
        "Points file (CSV with x,y)",
        ["csv"],
        key="toy_csv",
        help="Two columns x,y separated by ',', ';' or tabs; decimal commas, quotes, "
        "# comments and a header line are fine; over 100,000 rows are subsampled.",
    )
    if upload is None:
        st.info("Upload a CSV of x,y points to train on them.")
        return None, None
    dataset = _points_from_upload(upload.digest, upload.data, upload.name)
    if isinstance(dataset, str):
        st.error(f"{upload.name}: {dataset}")
        return None, None
    for note in dataset.notes:
        st.caption(note)
    return "csv:" + upload.digest, dataset


def hack_controls(base: ToyConfig) -> tuple[HacksConfig, ToyOptimizerConfig]:
    """The preset select and every live control; (hacks, optimizer) as set now, the optimizer
    being `base.optimizer` with the chosen name and learning rates."""
    state = st.session_state
    st.selectbox(
        "Preset",
        list(TOY_PRESETS),
        key="toy_preset",
        on_change=load_preset,
        help="A starting point for every control below. Picking one starts fresh networks.",
    )
    st.caption(TOY_PRESETS[state.toy_preset][0])
    latent = st.radio(
        "Latent distribution",
        ["gaussian", "uniform"],
        horizontal=True,
        key="toy_latent",
        help="Where G's random input comes from: N(0, 1) (the ganhacks advice) or uniform in [-1, 1].",
    )
    real_range = st.slider(
        "Real label range",
        -0.5,
        1.5,
        step=0.05,
        key="toy_real_range",
        help="D's target for real points is drawn uniformly from this range. [0.7, 1.2] is "
        "label smoothing; [1, 1] is a hard label. Targets above 1 can push D's loss below 0.",
    )
    fake_range = st.slider(
        "Fake label range",
        -0.5,
        1.5,
        step=0.05,
        key="toy_fake_range",
        help="D's target for generated points. [0, 0.3] smooths; [0, 0] is a hard label.",
    )
    flip = st.slider(
        "Label flip probability",
        0.0,
        0.5,
        step=0.01,
        key="toy_flip",
        help="Each of D's labels is swapped (real <-> fake) with this probability: noisy labels.",
    )
    g_loss = st.radio(
        "Generator loss",
        ["non-saturating", "minimax"],
        horizontal=True,
        key="toy_g_loss",
        help="Non-saturating: G maximises log D(G(z)). Minimax: G minimises log(1 - D(G(z))), "
        "whose gradient vanishes when D rejects G's points confidently.",
    )
    adv_loss = st.radio(
        "Adversarial loss",
        ["bce", "least-squares", "hinge"],
        horizontal=True,
        key="toy_adv_loss",
        help="bce: cross-entropy (the generator-loss choice applies to it); least-squares: D pulls "
        "its output to 1 for real, 0 for fake (Mao et al. 2017); hinge: relu(1 ∓ D), G "
        "maximizes D (Lim & Ye 2017). The surface shows D's verdict on the loss's own scale: the "
        "probability of real for bce; 0 at the fake target and 1 at the real one for the others.",
    )
    r1 = st.slider(
        "R1 penalty γ",
        0.0,
        10.0,
        step=0.1,
        key="toy_r1",
        help="γ/2 · ‖∇D(x)‖² on real points in D's loss: D flattens around the data, so the "
        "arrows calm down near the modes (Mescheder et al. 2018). 0 = off.",
    )
    noise = st.slider(
        "Instance noise (start std)",
        0.0,
        1.0,
        step=0.01,
        key="toy_instance_noise",
        help="Gaussian noise of this std, in the data's units (the square is [-2, 2]), added to every "
        "point D sees, real and fake; it shrinks linearly to 0 over the time budget. Blurred, the two "
        "clouds overlap, so D's surface stays smooth and its arrows reach G's far points "
        "(ganhacks #13; Sønderby et al. 2016, Arjovsky & Bottou 2017). 0 = off.",
    )
    replay = st.slider(
        "Experience replay share",
        0.0,
        1.0,
        step=0.05,
        key="toy_replay",
        help="This share of D's fake points comes from a ring of G's earlier points, so D keeps "
        "rejecting the modes G left and G cannot hop back to them unpunished "
        "(ganhacks #8; Shrivastava et al. 2017 use half). 0 = off.",
    )
    d_steps = st.slider(
        "Discriminator steps per generator step",
        1,
        10,
        key="toy_d_steps",
        help="k in Goodfellow's algorithm 1: D updates before each G update.",
    )
    optimizer = st.radio(
        "Optimizer",
        ["adam", "sgd"],
        horizontal=True,
        format_func=str.upper,
        key="toy_optimizer",
        help="Adam or plain SGD; switching keeps Adam's moments for later.",
    )
    d_optimizer = st.radio(
        "D's optimizer",
        ["same", "adam", "sgd"],
        horizontal=True,
        key="toy_d_optimizer",
        format_func=lambda v: "same as G" if v == "same" else v.upper(),
        help="ganhacks #9: SGD for D while G keeps Adam. SGD wants a D rate ~10x Adam's.",
    )
    d_lr = st.select_slider("D learning rate", TOY_LEARNING_RATES, key="toy_d_lr", help="Step size of D's optimizer.")
    g_lr = st.select_slider(
        "G learning rate",
        TOY_LEARNING_RATES,
        key="toy_g_lr",
        help="Step size of G's optimizer. Lowering both rates late in a run pulls the points tighter onto the modes.",
    )
    hacks = HacksConfig(
        latent_distribution=latent,
        real_label_range=tuple(real_range),
        fake_label_range=tuple(fake_range),
        flip_probability=flip,
        generator_loss=g_loss,
        d_steps=d_steps,
        adversarial_loss=adv_loss,
        r1_gamma=r1,
        instance_noise=noise,
        replay_share=replay,
    )
    st.toggle(
        "Spectral normalization in D",
        key="toy_spectral_norm",
        help="Each of D's dense kernels divided by its largest singular value (Miyato et al. 2018): "
        "D's shading changes more gently. Switching it starts fresh networks.",
    )
    return hacks, replace(
        base.optimizer, name=optimizer, d_optimizer=d_optimizer, d_learning_rate=d_lr, g_learning_rate=g_lr
    )


def show_metrics(trainer) -> None:
    """Modes covered, share of high-quality points, KL(generated || real) and G's step count
    of a ToyTrainer (gan_core.toy.trainer), in one row."""
    metrics = mode_metrics(trainer.generated_points(), trainer.dataset)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(
        "Modes covered",
        f"{metrics.modes_covered}/{metrics.modes_total}",
        help="A mode counts when at least one generated point lies within 3 standard deviations of it "
        "(anchors along the curve for spiral, moons and your own points).",
    )
    m2.metric(
        "High quality",
        f"{100 * metrics.high_quality:.1f}%",
        help="Share of generated points close enough to the real data.",
    )
    m3.metric(
        "KL (generated || real)",
        f"{metrics.kl:.3f}",
        help="0 when points spread over the modes like the real data does; log(modes) when all points sit on one mode.",
    )
    m4.metric("Generator steps", f"{trainer.steps:,}")
