"""The Runs page's Streamlit parts: one row per run, and its open, compare and delete actions.

Listing and deleting are gan_core/jobs/run_list.py; which runs still train comes from the
server's pool. A student sees their own runs (and others' read-only where the teacher allows
it); Delete shows only on the runs this browser may delete, and the delete itself checks the
seat again on the server. Deleting asks first: the Delete button only arms a confirm step, and
the confirm re-checks that the run is not training at that moment.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from gan_core.compare.setup import branch_preload, runs_preload
from gan_core.jobs.run_list import DeleteRefused, RunSummary, delete_run
from gan_core.jobs.seats import Seat, may_delete
from ui.branch_view import after_branch, branch_form, form_open, open_form
from ui.figures.runs import thumbnail_png
from ui.session import current_seat, trainer_pool

PAGES = Path(__file__).resolve().parents[1] / "app_pages"
CONFIRM = "runs_confirm_delete"  # the run id whose delete waits for "Yes, delete"
MESSAGE, ERROR = "runs_message", "runs_error"
# A class leaves dozens of runs: ten rows at a time keep the page readable, and keep each
# browser's refresh (every few seconds, thirty browsers) from redrawing all of them.
PAGE_SIZE = 10
FIRST_ROW = "runs_first_row"  # index of the first run shown (newest first)
ONLY_MINE = "runs_only_mine"
BADGES = {
    "running": ("Running", "blue"),
    "queued": ("Waiting", "orange"),
    "starting": ("Starting", "blue"),
    "paused": ("Paused", "orange"),
    "stopping": ("Stopping", "orange"),
    "finished": ("Finished", "green"),
    "stopped": ("Stopped", "gray"),
    "failed": ("Failed", "red"),
    "interrupted": ("Interrupted", "violet"),
    "unreadable": ("Unreadable", "red"),
}


@st.cache_data(max_entries=256, show_spinner=False)
def _thumbnail(path: str, mtime: float) -> bytes | None:
    # Keyed by mtime: a run still training writes a new grid every epoch.
    return thumbnail_png(Path(path))


def thumbnail(grid: Path | None) -> bytes | None:
    """The shrunk PNG of a run's last grid (cached per file version), or None."""
    if grid is None:
        return None
    try:
        return _thumbnail(str(grid), grid.stat().st_mtime)
    except OSError:
        return None


@dataclass(frozen=True)
class Viewer:
    """Who looks at the rows, read once per redraw (not once per row): this browser's seat and
    the folder of the training its Train page runs (None when it runs none)."""

    seat: Seat
    training: Path | None


def viewer() -> Viewer:
    """This browser's Viewer."""
    seat = current_seat()
    trainer = trainer_pool().control(st.session_state.get("trainer_id"), seat)
    folder = getattr(trainer, "run_dir", None)
    active = bool(folder) and trainer.is_active()
    return Viewer(seat, Path(folder).resolve() if active else None)


def own_run(summary: RunSummary, who: Viewer) -> bool:
    """Whether `summary` is the run `who`'s Train page is training."""
    return who.training is not None and who.training == summary.path.resolve()


def _page_move(step: int) -> None:
    st.session_state[FIRST_ROW] = max(0, st.session_state.get(FIRST_ROW, 0) + step)


def page_of(runs: list[RunSummary], who: Viewer, others_shown: bool) -> list[RunSummary]:
    """The rows to draw: with "Only my runs" on (offered to a student who sees the class's runs)
    this browser's own; then PAGE_SIZE at a time, newest first, with Newer and Older buttons and
    a line saying which rows show."""
    if others_shown and not who.seat.teacher:
        if st.toggle("Only my runs", key=ONLY_MINE, help="Hide the class's runs, which you can open but not change."):
            runs = [s for s in runs if s.owner == who.seat.id]
            if not runs:
                st.info("None of these runs is yours yet: start one on the Train page.")
    if len(runs) <= PAGE_SIZE:
        return runs
    last_page = (len(runs) - 1) // PAGE_SIZE * PAGE_SIZE
    first = min(st.session_state.get(FIRST_ROW, 0), last_page)  # runs deleted since: the last page
    st.session_state[FIRST_ROW] = first
    newer, where, older = st.columns([1, 3, 1], vertical_alignment="center")
    newer.button("← Newer", key="runs_newer", disabled=first == 0, on_click=_page_move, args=(-PAGE_SIZE,))
    where.caption(f"Runs {first + 1}–{min(first + PAGE_SIZE, len(runs))} of {len(runs)}, newest first")
    older.button("Older →", key="runs_older", disabled=first == last_page, on_click=_page_move, args=(PAGE_SIZE,))
    return runs[first : first + PAGE_SIZE]


def _switch(page: str, fallback: str) -> None:
    try:
        st.switch_page(PAGES / page)
    except StreamlitAPIException:
        st.info(fallback)  # run on its own, this page is the whole app


def open_run(summary: RunSummary, who: Viewer) -> None:
    """Open a run: this session's training on the Train page, else its generator in the
    Latent explorer (whose Generator select then shows this run)."""
    if own_run(summary, who):
        _switch("train.py", "Open the Train page from the app's menu to watch it.")
        return
    choice = f"Run {summary.run_id}"  # the Latent explorer's option for this run
    st.session_state["latent_generator"] = choice
    st.session_state["latent_generator:kept"] = choice
    _switch("latent_explorer.py", "Saved: open the Latent explorer from the app's menu.")


def compare_runs(a: RunSummary, b: RunSummary) -> None:
    """Open Compare prefilled with the two runs' configurations (A and B); it trains them
    again side by side, since a comparison needs the same start, data order and steps."""
    st.session_state["compare_preload"] = runs_preload(a.run_id, a.config, b.run_id, b.config)
    _switch("compare.py", "Saved: open the Compare page from the app's menu to train the pair.")


def compare_branch(summary: RunSummary) -> None:
    """Open Compare with a branch (B) beside its parent's continuation (A), both going on from
    the epoch it branched at: same weights, data order and latent points."""
    st.session_state["compare_preload"] = branch_preload(summary.run_id, summary.lineage)
    _switch("compare.py", "Saved: open the Compare page from the app's menu to train the pair.")


def follow_branch() -> None:
    """After a branch was started from this page: show it training on the Train page."""
    if after_branch("runs"):
        _switch("train.py", "Your branch is training: open the Train page from the app's menu to watch it.")


# A branch's budget counts from step 0, so its seconds (the parent's then plus its own, a long
# fraction) change with every branch: its row's steps say how long it trained, not the lineage.
HOW_LONG = ("run.max_seconds", "run.epochs")


def _shown(value) -> str:
    return f"{value:g}" if isinstance(value, float) else repr(value)


def lineage_text(summary: RunSummary) -> str:
    """Where a run came from and what came of it, one line: "branch of RUN at epoch N
    (changed: key value, ...)", the settings it changed besides how long it trains, and
    "branches: ID, ID"; "" for a run with neither."""
    parts = []
    if summary.lineage is not None:
        changed = ", ".join(
            f"`{key}` {_shown(value)}" for key, value in summary.lineage.changed.items() if key not in HOW_LONG
        )
        parts.append(summary.lineage.label + (f" (changed: {changed})" if changed else ""))
    if summary.children:
        parts.append(f"branches: {', '.join(summary.children)}")
    return " · ".join(parts)


def _ask_delete(run_id: str) -> None:
    st.session_state[CONFIRM] = run_id
    st.session_state.pop(MESSAGE, None)
    st.session_state.pop(ERROR, None)


def _cancel_delete() -> None:
    st.session_state.pop(CONFIRM, None)


def _delete(runs_dir: Path, run_id: str) -> None:
    st.session_state.pop(CONFIRM, None)
    try:
        # The pool's states are read again now: the run may have started training since the list was drawn.
        delete_run(runs_dir, run_id, trainer_pool().run_states(), seat=current_seat())
    except (DeleteRefused, OSError) as e:
        st.session_state[ERROR] = str(e) if isinstance(e, DeleteRefused) else f"Cannot delete '{run_id}': {e}"
        return
    st.session_state[MESSAGE] = f"Deleted run {run_id}."


def messages() -> None:
    """The last delete's outcome, one line."""
    if st.session_state.get(MESSAGE):
        st.success(st.session_state[MESSAGE])
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR])


def describe(summary: RunSummary) -> str:
    """The row's facts in one Markdown line: preset, data set, steps, best quality, date."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(summary.created)) if summary.created else "unknown date"
    quality = f"best: {summary.quality_text}" if summary.quality_text else "no quality figure yet"
    return f"{summary.preset} · {summary.data} · {summary.steps:,} steps · {quality} · {when}"


def run_row(summary: RunSummary, runs_dir: Path, who: Viewer) -> None:
    """One run: thumbnail, facts, status, and its Open and Delete buttons (Delete only for a
    run that is not training, and only after a confirm), as `who` may use them."""
    label, color = BADGES.get(summary.status, (summary.status.capitalize(), "gray"))
    with st.container(border=True, key=f"run-{summary.run_id}"):
        picture, facts, actions = st.columns([1, 4, 2], vertical_alignment="center")
        png = thumbnail(summary.grid)
        if png is not None:
            picture.image(png, caption="last grid")
        else:
            picture.caption("no grid yet")
        facts.markdown(f"**{summary.run_id}**")
        facts.badge(label, color=color)
        if summary.readable:
            facts.caption(describe(summary))
            if lineage_text(summary):
                facts.caption(lineage_text(summary))
        else:
            facts.caption(summary.problem)
        if summary.readable:
            can_open = summary.has_generator or own_run(summary, who)
            if actions.button(
                "Open",
                key=f"open-{summary.run_id}",
                disabled=not can_open,
                help="Your own training opens on the Train page; any other run's generator in the Latent explorer."
                if can_open
                else "No generator yet: it is saved at the end of the first epoch.",
            ):
                open_run(summary, who)
            branch_actions(summary, actions)
        if not may_delete(who.seat, summary.owner):
            actions.caption("Someone else's run: read-only.")
        elif summary.active:
            actions.caption("Still training: stop it to delete it.")
        elif st.session_state.get(CONFIRM) == summary.run_id:
            actions.warning(f"Delete {summary.run_id} and all its files?")
            yes, no = actions.columns(2)
            yes.button(
                "Yes, delete",
                key=f"confirm-{summary.run_id}",
                type="primary",
                on_click=_delete,
                args=(runs_dir, summary.run_id),
            )
            no.button("Cancel", key=f"cancel-{summary.run_id}", on_click=_cancel_delete)
        else:
            actions.button("Delete", key=f"delete-{summary.run_id}", on_click=_ask_delete, args=(summary.run_id,))
        if summary.readable and summary.branch_epochs:
            branch_form("runs", summary.run_id, list(summary.branch_epochs))


def branch_actions(summary: RunSummary, actions) -> None:
    """A readable run's Branch button (opens the form at its newest saved epoch), and a
    branch's "Compare with its parent"."""
    if summary.branch_epochs and not form_open("runs", summary.run_id):
        actions.button(
            "Branch…",
            key=f"branch-{summary.run_id}",
            on_click=open_form,
            args=("runs", summary.run_id, summary.branch_epochs[-1]),
            help="Start a new run of yours from one of this run's saved epochs, with some settings changed.",
        )
    if summary.lineage is not None and actions.button(
        "Compare with its parent",
        key=f"compare-parent-{summary.run_id}",
        help="Train this branch's settings (B) beside its parent's (A) from the epoch it branched at: "
        "the same weights, data order and latent points.",
    ):
        compare_branch(summary)


def compare_picker(runs: list[RunSummary]) -> None:
    """Pick two readable runs and open Compare prefilled with their configurations."""
    readable = {s.run_id: s for s in runs if s.readable}
    if len(readable) < 2:
        return
    with st.expander("Compare two runs"):
        st.caption(
            "Compare trains the two runs' settings again, side by side from the same start "
            "(same seed, data order and latent points); it does not replay the runs shown here."
        )
        picked = st.multiselect("Runs (A, then B)", list(readable), max_selections=2, key="runs_compare_pick")
        if st.button("Open in Compare", key="runs_compare", disabled=len(picked) != 2):
            compare_runs(readable[picked[0]], readable[picked[1]])
