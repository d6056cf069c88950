"""The teacher's Class page, its Streamlit parts: the class's limits, every job on the server
live with its Stop and Delete, and a projector view of one run (large grid and curves, no
controls, no links).

Every action asks for the teacher's seat again when it acts (`current_seat()`), so a student
who replayed a button's message of this page would change nothing.
"""

from __future__ import annotations

import streamlit as st

from gan_core.config.paths import default_runs_dir
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.jobs.job_table import JobRow
from gan_core.jobs.predictions import EXPECTATIONS, NO_CALL, OUTCOMES, shared_predictions
from gan_core.jobs.run_list import DeleteRefused, delete_run, preset_of
from gan_core.jobs.server import change_rules, shared_classroom
from gan_core.jobs.settle import settle_ended
from gan_core.metrics.wording import headline
from ui.figures import train as charts
from ui.published import published_run
from ui.session import current_seat, trainer_pool

PROJECTED = "class_projected"  # the job id the projector view shows
TERMINAL = ("finished", "stopped", "failed")


def _teacher_only() -> bool:
    return current_seat().teacher


def limits_form() -> None:
    """The class's limits as a form; Save changes them for every browser at once (one line when
    a value is out of range, and nothing changes)."""
    rules = shared_classroom().rules()
    with st.form("class_limits", border=True):
        st.markdown("**Class limits**")
        a, b = st.columns(2)
        trainings = a.number_input(
            "Trainings at once", 1, 64, rules.max_trainings, help="More Starts wait in line and start by themselves."
        )
        minutes = b.number_input(
            "Minutes per run",
            1.0,
            60.0,
            rules.max_run_seconds / 60,
            step=1.0,
            help="The longest run a browser may start.",
        )
        uploads = a.toggle("Students may upload their own files", rules.uploads_allowed)
        others = b.toggle("Students see each other's runs (read-only)", rules.students_see_others)
        if st.form_submit_button("Save the limits") and _teacher_only():
            try:
                change_rules(
                    max_trainings=int(trainings),
                    max_run_seconds=float(minutes) * 60,
                    uploads_allowed=bool(uploads),
                    students_see_others=bool(others),
                )
                st.success("Saved: every browser has the new limits now.")
            except ConfigError as e:
                st.error(str(e))


def _config(job) -> TrainConfig | None:
    try:
        return TrainConfig.from_json(job.board.get("config_json", "") or "{}")
    except (ConfigError, AttributeError):
        return None


def _latest_grid(snap) -> bytes | None:
    if snap.epochs:
        return snap.epochs[-1].grid_png
    return snap.preview.grid_png if snap.preview is not None else None


def _quality_text(snap) -> str:
    rated = [e for e in snap.epochs if e.quality]
    if not rated:
        return "no quality figure yet"
    text, _ = headline(rated[-1].quality)
    return text


def stop_job(job_id: str) -> None:
    """The Stop button of a row: stop any job, for the teacher only."""
    job = trainer_pool().control(job_id, current_seat())
    if job is not None:
        job.stop(timeout=2.0)


def delete_job_run(job_id: str) -> None:
    """The Delete button of a row: delete the finished run's folder, for the teacher only."""
    job = trainer_pool().control(job_id, current_seat())
    folder = getattr(job, "run_dir", None)
    if job is None or folder is None:
        return
    try:
        delete_run(default_runs_dir(), folder.name, trainer_pool().run_states(), seat=current_seat())
        st.session_state["class_message"] = f"Deleted run {folder.name}."
    except (DeleteRefused, OSError) as e:
        st.session_state["class_message"] = str(e)


def job_row(row: JobRow) -> None:
    """One job: its latest grid, owner, kind, preset, steps, quality and state, with Stop,
    Delete (a finished run's folder) and Project."""
    job = row.job
    status = job.status()
    board = getattr(job, "board", None)
    snap = published_run(board).snapshot(board) if board is not None else None
    with st.container(border=True, key=f"class-{row.job_id}"):
        picture, facts, actions = st.columns([1, 4, 2], vertical_alignment="center")
        grid = _latest_grid(snap) if snap is not None else None
        if grid is not None:
            picture.image(grid, width=110)
        else:
            picture.caption("no grid yet")
        cfg = _config(job) if board is not None else None
        preset = preset_of(cfg) if cfg is not None else row.kind
        seat = f"seat {row.owner[:6]}" if row.owner else "the server"
        facts.markdown(f"**{preset}** · {seat} · {row.kind}")
        facts.caption(
            f"{status.state} · step {status.step:,}"
            + (f" · {_quality_text(snap)}" if snap is not None else "")
            + (f" · {status.message}" if status.message else "")
        )
        if job.is_active():
            actions.button("Stop", key=f"class-stop-{row.job_id}", on_click=stop_job, args=(row.job_id,))
        elif status.state in TERMINAL and getattr(job, "run_dir", None) is not None:
            actions.button("Delete", key=f"class-delete-{row.job_id}", on_click=delete_job_run, args=(row.job_id,))
        if board is not None:
            actions.button("Project", key=f"class-project-{row.job_id}", on_click=_project, args=(row.job_id,))


def _project(job_id: str | None) -> None:
    if job_id is None:
        st.session_state.pop(PROJECTED, None)
    else:
        st.session_state[PROJECTED] = job_id


def jobs_list() -> None:
    """Every job on the server, newest first, or a line saying there is none."""
    if st.session_state.get("class_message"):
        st.info(st.session_state.pop("class_message"))
    rows = trainer_pool().jobs()
    if not rows:
        st.info("Nothing is training yet. Students' runs appear here as soon as they press Start.")
        return
    active = sum(1 for r in rows if r.job.is_active())
    st.caption(f"{active} active of {len(rows)} jobs · {trainer_pool().gate.waiting()} waiting in line")
    for row in reversed(rows):
        job_row(row)


def _counts(counts: dict[str, int], names) -> str:
    return " · ".join(f"{name} {counts[name]}" for name in names)


def predictions_summary() -> None:
    """Per exercise (a comparison's pair), how the class predicted before Start and how the
    finished runs came out; seats are counted, never named. Nothing until someone predicted."""
    book = shared_predictions()
    settle_ended(book, trainer_pool().get)
    summaries = book.summary()
    if not summaries:
        return
    st.subheader("Predictions")
    st.caption("Before each comparison a student says what they expect; each seat counts once per exercise.")
    for summary in summaries:
        with st.container(border=True, key=f"class-predictions-{summary.exercise_id}"):
            st.markdown(f"**{summary.title}**")
            st.markdown(f"Predicted: {_counts(summary.predicted, EXPECTATIONS)}")
            outcomes = [*OUTCOMES, NO_CALL] if summary.came_out[NO_CALL] else list(OUTCOMES)
            st.markdown(
                f"Came out ({summary.finished} finished): {_counts(summary.came_out, outcomes)}"
                + (f" · {summary.right} of {summary.finished} as predicted" if summary.finished else "")
            )
            if summary.curve_guesses:
                st.markdown(
                    f"Which curve moves: {summary.curve_right} of {summary.curve_guesses} named the curve "
                    "that moved most clearly"
                )


def projector(job_id: str) -> None:
    """One run large for the room: its grid and curves, its state in one line, nothing that
    controls it and no link."""
    job = trainer_pool().get(job_id)
    board = getattr(job, "board", None)
    if board is None:
        st.info("That run is no longer on the server.")
        return
    snap = published_run(board).snapshot(board)
    status = job.status()
    st.subheader(f"{status.state.capitalize()} · step {status.step:,} · {_quality_text(snap)}")
    grid, curves = st.columns([1, 1])
    picture = _latest_grid(snap)
    if picture is not None:
        grid.image(picture, width="stretch")
    curves.plotly_chart(charts.loss_figure(snap), width="stretch", key="projector_loss")
    curves.plotly_chart(charts.accuracy_figure(snap), width="stretch", key="projector_acc")


def projected() -> str | None:
    """The job id the projector view shows, or None."""
    return st.session_state.get(PROJECTED)


def leave_projector() -> None:
    """Back from the projector view to the list."""
    _project(None)
