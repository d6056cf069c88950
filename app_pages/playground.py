"""2D playground: a small GAN on points in the plane, every hack live, mode collapse in plain sight.

Runs inside the app (st.navigation) or alone: `streamlit run app_pages/playground.py`.
"""
from __future__ import annotations

from dataclasses import replace

import streamlit as st


from gan_core.config import HacksConfig  # noqa: E402
from gan_core.training.pool import PoolBusy  # noqa: E402
from gan_core.toy import PointsError, builtin_dataset, mode_metrics, points_dataset, read_points_csv  # noqa: E402
from gan_core.toy.presets import DEFAULT_TOY_PRESET, TOY_PRESETS, toy_preset  # noqa: E402
from ui.kept_upload import keep_choice, kept_upload, restore_choice  # noqa: E402
from ui.session import trainer_pool  # noqa: E402

DATASETS = {"Ring of 8 Gaussians": "ring", "Grid of 25 Gaussians": "grid", "Spiral": "spiral",
            "Two moons": "moons", "Your own points (CSV)": "csv"}
LEARNING_RATES = [1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1]
PLAY_BURST = 80          # steps per refresh while playing
REFRESH_SECONDS = 0.5

st.title("2D playground")
st.caption("A generator (G) learns to place points where the real ones are; a discriminator (D) shades the "
           "plane by how real each spot looks. Change any hack while it trains and watch the points react.")

state = st.session_state
state.setdefault("toy_playing", False)
state.setdefault("toy_preset", DEFAULT_TOY_PRESET)


# -- presets -----------------------------------------------------------------------------------
def preset_controls(name: str) -> dict:
    """The widget values that show preset `name` (keyed by the widgets' session-state keys)."""
    cfg = toy_preset(name)
    h, o = cfg.hacks, cfg.optimizer
    return {"toy_latent": h.latent_distribution, "toy_real_range": tuple(h.real_label_range),
            "toy_fake_range": tuple(h.fake_label_range), "toy_flip": float(h.flip_probability),
            "toy_g_loss": h.generator_loss, "toy_d_steps": int(h.d_steps), "toy_optimizer": o.name,
            "toy_d_lr": o.d_learning_rate, "toy_g_lr": o.g_learning_rate,
            "toy_adv_loss": h.adversarial_loss, "toy_r1": float(h.r1_gamma)}


def load_preset() -> None:
    """Set every control to the chosen preset; the next run builds fresh networks for it (its
    Adam beta_1 and weight averaging are fixed when the networks are made)."""
    state.update(preset_controls(state.toy_preset))
    state.pop("toy_trainer_key", None)
    state.pop("toy_loaded", None)


def take_preload() -> None:
    """The Hacks guide's "Watch it in 2D" leaves a preset name behind: adopt it once, on the ring."""
    name = state.pop("toy_preload", None)
    if name in TOY_PRESETS:
        state.toy_preset = name
        state.toy_dataset = "Ring of 8 Gaussians"
        state.toy_playing = False
        load_preset()
        state.toy_loaded = name


take_preload()
if "toy_latent" not in state:        # first visit, or back from another page
    state.update(preset_controls(state.toy_preset))
base = toy_preset(state.toy_preset)


# -- data --------------------------------------------------------------------------------------
def chosen_dataset():
    """(key, ToyDataset) for the chosen data, or (None, None) when there is nothing usable yet."""
    restore_choice("toy_dataset", list(DATASETS))     # a page switch drops the widget's value
    label = st.selectbox("Dataset", list(DATASETS), key="toy_dataset",
                         help="Ring and grid are the classic mode-collapse tests; your CSV needs columns x,y "
                              "(header optional, 10 to 100,000 rows).")
    keep_choice("toy_dataset")
    name = DATASETS[label]
    if name != "csv":
        return name, builtin_dataset(name)
    upload = kept_upload("Points file (CSV with x,y)", ["csv"], key="toy_csv",
                         help="Two columns x,y separated by ',', ';' or tabs; decimal commas, quotes, "
                              "# comments and a header line are fine; over 100,000 rows are subsampled.")
    if upload is None:
        st.info("Upload a CSV of x,y points to train on them.")
        return None, None
    try:
        dataset = _points_from_upload(upload.digest, upload.data, upload.name)
    except PointsError as e:
        st.error(f"{upload.name}: {e}")
        return None, None
    for note in dataset.notes:
        st.caption(note)
    return "csv:" + upload.digest, dataset


@st.cache_data(max_entries=4, show_spinner=False)
def _points_from_upload(digest: str, _data: bytes, name: str):
    """The ToyDataset of an uploaded CSV, parsed once per content (`digest` is its SHA-256)."""
    read = read_points_csv(_data)
    return points_dataset(read.points, name=name, notes=read.notes)


# -- live controls -----------------------------------------------------------------------------
def hack_controls():
    st.selectbox("Preset", list(TOY_PRESETS), key="toy_preset", on_change=load_preset,
                 help="A starting point for every control below. Picking one starts fresh networks.")
    st.caption(TOY_PRESETS[state.toy_preset][0])
    latent = st.radio("Latent distribution", ["gaussian", "uniform"], horizontal=True, key="toy_latent",
                      help="Where G's random input comes from: N(0, 1) (the ganhacks advice) or uniform in [-1, 1].")
    real_range = st.slider("Real label range", -0.5, 1.5, step=0.05, key="toy_real_range",
                           help="D's target for real points is drawn uniformly from this range. [0.7, 1.2] is "
                                "label smoothing; [1, 1] is a hard label. Targets above 1 can push D's loss below 0.")
    fake_range = st.slider("Fake label range", -0.5, 1.5, step=0.05, key="toy_fake_range",
                           help="D's target for generated points. [0, 0.3] smooths; [0, 0] is a hard label.")
    flip = st.slider("Label flip probability", 0.0, 0.5, step=0.01, key="toy_flip",
                     help="Each of D's labels is swapped (real <-> fake) with this probability: noisy labels.")
    g_loss = st.radio("Generator loss", ["non-saturating", "minimax"], horizontal=True, key="toy_g_loss",
                      help="Non-saturating: G maximises log D(G(z)). Minimax: G minimises log(1 - D(G(z))), "
                           "whose gradient vanishes when D rejects G's points confidently.")
    d_steps = st.slider("Discriminator steps per generator step", 1, 10, key="toy_d_steps",
                        help="k in Goodfellow's algorithm 1: D updates before each G update.")
    adv_loss = st.radio("Adversarial loss", ["bce", "least-squares", "hinge"], horizontal=True, key="toy_adv_loss",
                        help="bce: cross-entropy (the generator-loss choice applies to it); least-squares: D pulls "
                             "its output to 1 for real, 0 for fake (Mao et al. 2017); hinge: relu(1 ∓ D), G "
                             "maximizes D (Lim & Ye 2017). The surface shows sigmoid(D), a probability for bce only.")
    r1 = st.slider("R1 penalty γ", 0.0, 10.0, step=0.1, key="toy_r1",
                   help="γ/2 · ‖∇D(x)‖² on real points in D's loss: D flattens around the data, so the "
                        "arrows calm down near the modes (Mescheder et al. 2018). 0 = off.")
    optimizer = st.radio("Optimizer", ["adam", "sgd"], horizontal=True, format_func=str.upper, key="toy_optimizer",
                         help="Adam or plain SGD; switching keeps Adam's moments for later.")
    d_lr = st.select_slider("D learning rate", LEARNING_RATES, key="toy_d_lr",
                            help="Step size of D's optimizer.")
    g_lr = st.select_slider("G learning rate", LEARNING_RATES, key="toy_g_lr",
                            help="Step size of G's optimizer. Lowering both rates late in a run "
                                 "pulls the points tighter onto the modes.")
    hacks = HacksConfig(latent_distribution=latent, real_label_range=tuple(real_range),
                        fake_label_range=tuple(fake_range), flip_probability=flip,
                        generator_loss=g_loss, d_steps=d_steps, adversarial_loss=adv_loss, r1_gamma=r1)
    opt = replace(base.optimizer, name=optimizer, d_learning_rate=d_lr, g_learning_rate=g_lr)
    return hacks, opt


def current_trainer(key, dataset):
    """The session's trainer; a new one when the data changes, on reset, or when a preset is
    picked (load_preset forgets the key)."""
    from gan_core.toy import ToyTrainer
    if key is not None and state.get("toy_trainer_key") != key:
        state.toy_trainer = ToyTrainer(replace(base, data=replace(base.data, dataset=key.split(":")[0])), dataset)
        state.toy_trainer_key = key
    return state.get("toy_trainer")


def toggle_play():
    state.toy_playing = not state.toy_playing


if state.get("toy_loaded"):
    st.info(f"Loaded from the Hacks guide: the '{state.toy_loaded}' preset on the ring. "
            f"{TOY_PRESETS[state.toy_loaded][0]} Press Play.")
with st.sidebar:
    key, dataset = chosen_dataset()
    st.subheader("Hacks (live)")
    hacks, optimizer = hack_controls()

trainer = current_trainer(key, dataset)
if trainer is None:
    st.stop()
trainer.apply_live(replace(trainer.config, hacks=hacks, optimizer=optimizer))

def train(work) -> bool:
    """Run `work()` holding one of the server's training slots; False (play stops, the busy
    message shows) when every slot is taken, by this server's other pages or other browsers."""
    try:
        with trainer_pool().slot():
            work()
    except PoolBusy as e:
        state.toy_playing = False
        state.toy_busy = str(e)
        return False
    return True


cols = st.columns(6)
if cols[0].button("Step D", help="One discriminator update; G stands still."):
    train(trainer.step_d)
if cols[1].button("Step G", help="One generator update; D stands still."):
    train(trainer.step_g)
if cols[2].button("Step both", help="k discriminator updates, then one generator update."):
    train(trainer.step_both)
cols[3].button("Pause" if state.toy_playing else "Play", on_click=toggle_play,
               help="Train continuously, redrawing after each short burst.")
slow = cols[4].toggle("Slow motion", help="While playing, one training step per refresh.")
if cols[5].button("Reset", help="Fresh networks on the same data."):
    state.pop("toy_trainer_key", None)
    st.rerun()
arrows = st.checkbox("Show G's gradient arrows",
                     help="Minus the gradient of G's loss at some generated points: where G wants to move them.")


@st.fragment(run_every=REFRESH_SECONDS if state.toy_playing else None)
def live_view():
    from ui.figures.toy import loss_figure, playground_figure
    if state.toy_playing and not train(lambda: trainer.run(1 if slow else PLAY_BURST)):
        st.rerun()          # the Play button turns back into Play, and the page stops refreshing
    if state.get("toy_busy"):
        st.error(state.pop("toy_busy"))     # once: pressing Play again retries
    metrics = mode_metrics(trainer.generated_points(), trainer.dataset)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Modes covered", f"{metrics.modes_covered}/{metrics.modes_total}",
              help="A mode counts when at least one generated point lies within 3 standard deviations of it "
                   "(anchors along the curve for spiral, moons and your own points).")
    m2.metric("High quality", f"{100 * metrics.high_quality:.1f}%",
              help="Share of generated points close enough to the real data.")
    m3.metric("KL (generated || real)", f"{metrics.kl:.3f}", help="0 when points spread over the modes like "
              "the real data does; log(modes) when all points sit on one mode.")
    m4.metric("Generator steps", f"{trainer.steps:,}")
    plane, curves = st.columns([3, 2])
    plane.plotly_chart(playground_figure(trainer, show_arrows=arrows), width="stretch", key="toy_playground")
    curves.plotly_chart(loss_figure(trainer), width="stretch", key="toy_losses")
    curves.caption("With label smoothing, targets above 1 make D's loss negative for confident answers: "
               "a dip below zero is expected, not a bug.")


live_view()
