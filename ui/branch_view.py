"""The Branch form: go on from a run's saved epoch with a few settings changed, as a new run
of this browser's seat (gan_core/jobs/branching.py). Shown under the Train page's epoch
scrubber ("Branch from epoch N") and on the Runs page's rows ("Branch…").

A button only opens the form (which run, which epoch, kept in session state), so the form
survives the pages' timed refreshes; its submit starts the branch in its callback, like the
Start button, and the page then shows the branch training (`after_branch`).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from gan_core.config.branching import BUDGET, SAME_WEIGHTS
from gan_core.config.paths import default_runs_dir
from gan_core.config.settings import IMAGE, label, settings
from gan_core.config.tree import ConfigError
from gan_core.jobs.branching import start_page_branch
from gan_core.jobs.job import PoolBusy
from gan_core.jobs.server import shared_classroom
from gan_core.store.branch import branch_epochs, has_checkpoint
from gan_core.store.runs import RunError
from ui.session import current_seat, remember, trainer_pool

FORM = "branch_form"  # {"where": ..., "run": run id, "epoch": N} of the open form
ERROR = "branch_error"  # (where, one line) of the last refusal
STARTED = "branch_started"  # where a branch was just started from, until the page follows it
DEFAULT_SECONDS = 60


def may_change_text() -> str:
    """The form's help: which settings a branch may change (by control label and key)."""
    live = [f"{s.label} (`{s.key}`)" for s in settings(IMAGE) if s.live and s.on_page]
    kept = [f"{label(key)} (`{key}`)" for key in SAME_WEIGHTS]
    return (
        "A branch goes on with the networks of that epoch, so it may change only what keeps them: "
        f"the live hacks ({'; '.join(live)}); these settings that keep every weight: {'; '.join(kept)}; "
        f"and the budget ({', '.join(f'`{k}`' for k in BUDGET)}). One `key=value` a line."
    )


def open_form(where: str, run_id: str, epoch: int) -> None:
    """A Branch button's callback: open the form of `run_id` at `epoch` (on the page `where`)."""
    st.session_state[FORM] = {"where": where, "run": run_id, "epoch": int(epoch)}
    st.session_state[f"branch_epoch:{where}"] = int(epoch)
    st.session_state.pop(ERROR, None)


def close_form() -> None:
    """The form's Cancel."""
    st.session_state.pop(FORM, None)
    st.session_state.pop(ERROR, None)


def form_open(where: str, run_id: str) -> bool:
    """Whether the Branch form of `run_id` is open on the page `where`."""
    opened = st.session_state.get(FORM) or {}
    return opened.get("where") == where and opened.get("run") == run_id


def branch_form(where: str, run_id: str, epochs: list[int]) -> None:
    """The open form of `run_id` (nothing when it is closed): the epoch to go on from (among
    `epochs`, those with a checkpoint), the settings to change, the seconds to train, and
    Start / Cancel; then the last refusal's one line."""
    if not form_open(where, run_id):
        return
    key = f"branch_epoch:{where}"
    if st.session_state.get(key) not in epochs:
        st.session_state[key] = epochs[-1] if epochs else None
    with st.form(f"branch-{where}-{run_id}", border=True):
        st.markdown(f"**Branch of {run_id}**: a new run of yours that goes on from a saved epoch.")
        st.selectbox(
            "From epoch",
            epochs,
            key=key,
            help="Every epoch whose checkpoint is kept (all of them up to 16; past that every 2nd, 4th, …).",
        )
        st.text_area(
            "Settings to change",
            key=f"branch_lines:{where}",
            placeholder="hacks.flip_probability=0.2",
            help=may_change_text(),
        )
        st.number_input(
            "Seconds to train after the branch point",
            min_value=5,
            max_value=1800,
            value=DEFAULT_SECONDS,
            step=5,
            key=f"branch_seconds:{where}",
        )
        start, cancel = st.columns(2)
        start.form_submit_button(
            "Start the branch", type="primary", on_click=start_branch, args=(where, run_id), key=f"branch_start:{where}"
        )
        cancel.form_submit_button("Cancel", on_click=close_form, key=f"branch_cancel:{where}")
    refusal = st.session_state.get(ERROR)
    if refusal and refusal[0] == where:
        st.error(refusal[1])


def start_branch(where: str, run_id: str) -> None:
    """The form's submit: start the branch as this seat's run (the class's limits, the browser's
    bounds), make it this session's run and show its live settings in the Train page's
    sidebar; a refusal leaves its one line under the form."""
    from ui.control_specs import LIVE_HACKS, widget_values

    state = st.session_state
    try:
        job_id, cfg, note = start_page_branch(
            trainer_pool(),
            shared_classroom(),
            default_runs_dir(),
            run_id,
            int(state.get(f"branch_epoch:{where}") or 0),
            state.get(f"branch_lines:{where}") or "",
            float(state.get(f"branch_seconds:{where}") or DEFAULT_SECONDS),
            current_seat(),
        )
    except (ConfigError, RunError, PoolBusy) as e:
        state[ERROR] = (where, str(e).splitlines()[0])
        return
    except OSError as e:
        state[ERROR] = (where, f"The runs folder refused: {e.strerror or e}")
        return
    close_form()
    remember(job_id)
    state["start_note"] = note
    state["epoch_follow"] = True
    values = widget_values(cfg)
    for control in LIVE_HACKS:
        state[control.widget_key] = values[control.widget_key]
    state[STARTED] = where


def after_branch(where: str) -> bool:
    """True once after a branch was started from the page `where` (the caller then shows it)."""
    if st.session_state.get(STARTED) != where:
        return False
    st.session_state.pop(STARTED, None)
    return True


def scrubber_branch(run_dir: str, epoch: int, step: int, viewing: bool) -> None:
    """Under the Train page's grid: "Branch from epoch N" for the epoch shown (disabled with the
    reason when its checkpoint is not kept), and the form once pressed. Nothing for a viewer
    or a run without a folder."""
    if viewing or not run_dir:
        return
    folder = Path(run_dir)
    kept = has_checkpoint(folder, step)
    st.button(
        f"Branch from epoch {epoch}",
        key="branch_open_train",
        on_click=open_form,
        args=("train", folder.name, epoch),
        disabled=not kept,
        help="Start a new run from this epoch's weights with some settings changed; this run stays as it is."
        if kept
        else "This epoch's checkpoint is not kept (past 16 epochs a run keeps every 2nd, 4th, …): pick another.",
    )
    if form_open("train", folder.name):
        branch_form("train", folder.name, branch_epochs(folder))
