"""Train: watch a DCGAN learn and switch the hacks while it trains."""

import streamlit as st

from ui.exercise_pages import train_popover
from ui.refresh import pace_changed, refresh_seconds
from ui.session import READ_ONLY_CAPTION, current_run, is_viewer, link_problem
from ui.share_view import render_share
from ui.train_buttons import render_buttons
from ui.train_controls import render_sidebar
from ui.train_view import draw_live, draw_panels, draw_status, panel_snapshot, shared_figures

TERMINAL = ("finished", "stopped", "failed")
# Status every 2 s; charts and grid less often: redrawing three plotly charts each second
# cost the trainer a third of its speed on two cores. Each rerun of a fragment costs the
# browser a fixed amount, whatever it draws: with the status every second, one chromium tab on
# the same two cores took 0.18 cores; every 2 s 0.15, every 3 s 0.10 (measured, loaded machine).
STATUS_SECONDS = 2.0
PANEL_SECONDS = 4.0

st.title("Train a GAN")
VIEWING = is_viewer()
if VIEWING:
    # A viewer link: no controls at all, here or in the sidebar (and none act on the server).
    st.caption(READ_ONLY_CAPTION)
    st.sidebar.caption(READ_ONLY_CAPTION)
else:
    st.caption(
        "Press **Start training**, watch the curves and the grid, and move the live hacks in the sidebar "
        "while it trains. Each marker on the curves is a change you made."
    )
    if link_problem():
        st.error(link_problem())
    config, uploaded, problems = render_sidebar()
    st.session_state["pending_config"] = config
    st.session_state["pending_data"] = uploaded
    st.session_state["pending_problems"] = problems
    for problem in problems:
        st.error(problem)
    with st.container(horizontal=True):  # Share (a run's viewer link) and the exercise link, side by side
        render_share()
        train_popover(config)


def _live_body(refreshing: bool) -> None:
    trainer = current_run()
    # Polled every STATUS_SECONDS: scalars only, never the run's whole history.
    status = trainer.status() if trainer else None
    if status is not None and status.active and not refreshing:
        st.rerun()  # a button in this still view started training: switch to the live view
    if not VIEWING:
        render_buttons(trainer, status)
    if status is None:
        st.info(
            "Nothing is training yet. The default preset learns to draw digits from 5,000 real MNIST "
            "images; the first grid appears after a few seconds."
        )
        return
    if refreshing:
        draw_status(status)  # the panels refresh in their own, slower fragment
        if (status.preview_step or status.epoch) and not st.session_state.get("panels_show_grid"):
            # The first grid exists: draw the panels now, not at their next refresh (the flag is
            # set first, so the full rerun, which runs this fragment again, does not loop).
            st.session_state["panels_show_grid"] = True
            st.rerun()
    else:
        draw_live(panel_snapshot(trainer), shared_figures(trainer))
    seen = st.session_state.get("seen_state")
    st.session_state["seen_state"] = status.state
    if status.state in TERMINAL and seen not in TERMINAL and seen is not None:
        st.rerun()  # refresh the whole page once: buttons and sidebar follow the new state


@st.fragment(run_every=refresh_seconds(STATUS_SECONDS))
def live_view() -> None:
    """The running trainer's status line, redrawn every STATUS_SECONDS (a fragment; a viewer's
    less often as more viewers watch, ui/refresh.py)."""
    if pace_changed():
        st.rerun()  # a full run makes the fragments again with the new interval
    _live_body(refreshing=True)


@st.fragment
def still_view() -> None:
    """The status and panels once, for a run that is not training."""
    _live_body(refreshing=False)


@st.fragment(run_every=refresh_seconds(PANEL_SECONDS))
def live_panels() -> None:
    """Curves, grid, quality and health of the running trainer, redrawn every few seconds (a fragment)."""
    trainer = current_run()
    if trainer is not None and trainer.status().state == "queued":
        st.info("Waiting for a free training slot: the curves and the grid appear as soon as the run starts.")
        return
    if trainer is not None:
        snap = panel_snapshot(trainer)
        st.session_state["panels_show_grid"] = bool(snap.epochs or snap.preview)
        draw_panels(snap, shared_figures(trainer))


trainer = current_run()
if trainer is not None and trainer.is_active():
    live_view()
    live_panels()
else:
    still_view()
