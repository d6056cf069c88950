"""2D playground: a small GAN on points in the plane, every hack live, mode collapse in plain sight.

Runs inside the app (st.navigation) or alone: `streamlit run app_pages/playground.py`.
The data select, the hack controls and the metrics row are ui/playground_view.py; the
figures ui/figures/toy.py; the GAN itself gan_core/toy.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from gan_core.jobs.job import PoolBusy
from gan_core.toy.lazy import LazyToyTrainer
from gan_core.toy.presets import DEFAULT_TOY_PRESET, TOY_PRESETS
from ui.exercise_pages import TOY_PAGE, toy_base, toy_exercise, toy_popover
from ui.exercise_view import show_notes
from ui.playground_view import (
    FIRST_KEY,
    chosen_dataset,
    hack_controls,
    preset_controls,
    show_metrics,
    take_preload,
)
from ui.session import trainer_pool

PLAY_BURST = 80  # steps per refresh while playing
REFRESH_SECONDS = 0.5

st.title("2D playground")
st.caption(
    "A generator (G) learns to place points where the real ones are; a discriminator (D) shades the "
    "plane by how real each spot looks. Change any hack while it trains and watch the points react."
)

state = st.session_state
exercise = toy_exercise()  # an exercise link fills the controls once, before the defaults below
state.setdefault("toy_playing", False)
state.setdefault("toy_preset", DEFAULT_TOY_PRESET)
take_preload()
if FIRST_KEY not in state and exercise is None:  # first visit, or back from another page
    state.update(preset_controls(state.toy_preset))
base = toy_base(exercise, state.toy_preset)


def current_trainer(key, dataset, spectral: bool):
    """The session's trainer; a new one when the data changes, on reset, or when a preset is
    picked (load_preset forgets the key). With no usable data (dataset None) the training on
    screen stays (key None: a file refused) or none shows (a key: too few points drawn).
    Its networks are built at its first step: until then a server-wide untrained twin draws it
    (gan_core/toy/lazy.py), so a browser that only looks costs the class's trainings nothing."""
    if dataset is None:
        return None if key else state.get("toy_trainer")

    # Spectral normalization shapes D, so switching it builds fresh networks.
    full_key = f"{key}|sn={spectral}"
    if state.get("toy_trainer_key") != full_key:
        cfg = replace(
            base, data=replace(base.data, dataset=key.split(":")[0]), model=replace(base.model, spectral_norm=spectral)
        )
        state.toy_trainer = LazyToyTrainer(full_key, cfg, dataset)
        state.toy_trainer_key = full_key
    return state.get("toy_trainer")


def toggle_play():
    """Play/Pause button callback: flip whether the fragment trains bursts on each refresh."""
    state.toy_playing = not state.toy_playing


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


if state.get("toy_loaded"):
    st.info(
        f"Loaded from the Hacks guide: the '{state.toy_loaded}' preset on the ring. "
        f"{TOY_PRESETS[state.toy_loaded][0]} Press Play."
    )
board = st.container()  # "Draw your own" draws its canvas here, above the training buttons
with st.sidebar:
    show_notes(TOY_PAGE)
    key, dataset = chosen_dataset(board, fixed_by_link=exercise is not None and exercise.link.fixes_any)
    st.subheader("Hacks (live)")
    chosen = hack_controls(base, exercise)

trainer = current_trainer(key, dataset, chosen.model.spectral_norm)
if trainer is None:
    st.stop()
trainer.apply_live(replace(trainer.config, hacks=chosen.hacks, optimizer=chosen.optimizer))
toy_popover(replace(trainer.config, hacks=chosen.hacks, optimizer=chosen.optimizer))

cols = st.columns(6)
if cols[0].button("Step D", help="One discriminator update; G stands still."):
    train(trainer.step_d)
if cols[1].button("Step G", help="One generator update; D stands still."):
    train(trainer.step_g)
if cols[2].button("Step both", help="k discriminator updates, then one generator update."):
    train(trainer.step_both)
cols[3].button(
    "Pause" if state.toy_playing else "Play",
    on_click=toggle_play,
    help="Train continuously, redrawing after each short burst.",
)
slow = cols[4].toggle("Slow motion", help="While playing, one training step per refresh.")
if cols[5].button("Reset", help="Fresh networks on the same data."):
    state.pop("toy_trainer_key", None)
    st.rerun()
arrows = st.checkbox(
    "Show G's gradient arrows",
    help="Minus the gradient of G's loss at some generated points: where G wants to move them.",
)


@st.fragment(run_every=REFRESH_SECONDS if state.toy_playing else None)
def live_view():
    """Metrics, the plane (D's surface, real and generated points) and the loss curves;
    while playing, one training burst per refresh."""
    from ui.figures.toy import loss_figure, playground_figure

    # The learning rates decay over Play as over `gan_core toy --max-seconds` (the same schedule).
    if state.toy_playing and not train(lambda: trainer.run_scheduled(1 if slow else PLAY_BURST)):
        st.rerun()  # the Play button turns back into Play, and the page stops refreshing
    if state.get("toy_busy"):
        st.error(state.pop("toy_busy"))  # once: pressing Play again retries
    show_metrics(trainer)
    plane, curves = st.columns([3, 2])
    plane.plotly_chart(playground_figure(trainer, show_arrows=arrows), width="stretch", key="toy_playground")
    curves.plotly_chart(loss_figure(trainer), width="stretch", key="toy_losses")
    curves.caption(
        f"Play decays both learning rates linearly to {trainer.config.optimizer.final_lr_fraction:g}× "
        f"over its first {trainer.config.run.max_seconds:g} s of training, as the CLI does; "
        f"now {trainer.lr_scale:.2f}×."
    )
    curves.caption(
        "With label smoothing, targets above 1 make D's loss negative for confident answers: "
        "a dip below zero is expected, not a bug."
    )


live_view()
