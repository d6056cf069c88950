"""The Train page's buttons and what they do: Start (a new run through the server's pool),
Pause, Resume, Stop and the roll-back to the last good checkpoint.

Each command asks for the trainer when it acts (`controlled_trainer`: None for a viewer), so
a session that only watches cannot change the run even by replaying a button's message.
"""

from __future__ import annotations

import streamlit as st

from gan_core.config.browser import browser_problems
from gan_core.config.paths import default_runs_dir
from gan_core.jobs.job import PoolBusy
from gan_core.jobs.server import shared_classroom
from gan_core.run.snapshot import Snapshot, Status
from gan_core.store.run_owner import write_owner
from gan_core.store.runs import new_run_folder
from ui.session import controlled_trainer, current_seat, remember, trainer_pool


def start_training() -> None:
    """Start button callback: start a Trainer for session_state["pending_config"] (and
    ["pending_data"]) in a new run folder owned by this browser's seat, within what a browser
    may send and the class's time limit (a note says when the budget was capped); it waits in
    the server's line when every slot is taken. A refusal (a value out of bounds, this seat's
    limit, a full line) leaves its one line in session_state["start_error"].
    """
    cfg = st.session_state.get("pending_config")
    if cfg is None:
        return
    cfg, note = shared_classroom().budget_for(cfg)  # first: "0 = no limit" becomes the class's limit
    problems = browser_problems(cfg)
    if problems:
        st.session_state["start_error"] = problems[0]
        return
    data = st.session_state.get("pending_data")
    seat = current_seat()
    try:
        run_dir = new_run_folder(default_runs_dir(), st.session_state.get("preset", "run"))
        write_owner(run_dir, seat.id)
        trainer_id = trainer_pool().start_training(cfg, run_dir=run_dir, data=data, owner=seat.id)
    except (PoolBusy, OSError) as e:
        st.session_state["start_error"] = (
            str(e) if isinstance(e, PoolBusy) else f"The runs folder refused: {e.strerror or e}"
        )
        return
    st.session_state.pop("start_error", None)
    st.session_state["start_note"] = note
    st.session_state["epoch_follow"] = True
    remember(trainer_id)


def render_buttons(trainer, snap: Snapshot | Status | None) -> None:
    """The Start, Pause, Resume and Stop buttons, enabled as the run's state allows, and the
    busy or start error message.
    """
    state = snap.state if snap else "idle"
    active = snap is not None and snap.active
    problems = st.session_state.get("pending_problems") or []
    busy = None if active else trainer_pool().busy_message()
    cols = st.columns(4)
    cols[0].button(
        "Start training",
        type="primary",
        disabled=active or bool(problems) or bool(busy and trainer_pool().admission is not None),
        on_click=start_training,
        key="btn_start",
        help="Builds the networks from the controls and starts a new run.",
    )
    cols[1].button("Pause", disabled=state != "running", key="btn_pause", on_click=pause_run)
    cols[2].button("Resume", disabled=state != "paused", key="btn_resume", on_click=resume_run)
    cols[3].button(
        "Leave the line" if state == "queued" else "Stop", disabled=not active, key="btn_stop", on_click=stop_run
    )
    good = trainer.last_good_step() if trainer is not None and state == "paused" else None
    if good is not None:
        st.button(
            f"Back to the last good checkpoint (step {good})",
            key="btn_rollback",
            on_click=roll_back,
            help="Weights, optimizers, data order and the live hacks as they were at that step; "
            "the run stays paused so you can change what diverged first.",
        )
    if busy:
        st.info(busy)
    if st.session_state.get("start_note") and active:
        st.caption(st.session_state["start_note"])
    for key in ("start_error", "rollback_error"):
        if st.session_state.get(key):
            st.error(st.session_state[key])


def pause_run() -> None:
    """The Pause button: pause this session's own run (nothing for a viewer)."""
    trainer = controlled_trainer()
    if trainer is not None:
        trainer.pause()


def resume_run() -> None:
    """The Resume button: resume this session's own run (nothing for a viewer)."""
    trainer = controlled_trainer()
    if trainer is not None:
        trainer.resume()


def stop_run() -> None:
    """The Stop button: stop this session's own run, waiting up to 2 s (nothing for a viewer)."""
    trainer = controlled_trainer()
    if trainer is not None:
        trainer.stop(timeout=2.0)


def roll_back() -> None:
    """The roll-back button: back to the last checkpoint, and the sidebar shows its hacks
    (nothing for a viewer)."""
    from ui.control_specs import LIVE_HACKS, widget_values

    trainer = controlled_trainer()
    if trainer is None:
        return
    try:
        cfg = trainer.roll_back()
    except RuntimeError as e:
        st.session_state["rollback_error"] = str(e)
        return
    st.session_state.pop("rollback_error", None)
    values = widget_values(cfg)
    for control in LIVE_HACKS:
        st.session_state[control.widget_key] = values[control.widget_key]
