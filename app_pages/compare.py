"""Compare: two runs that differ by one setting, trained side by side from the same start.

Registered by app.py under the title "Compare"; also runs on its own with
`streamlit run app_pages/compare.py`. The page only reads the job's snapshots and sends it
commands; the job's thread owns every Keras object. The A/B setup is
gan_core/compare/setup.py, the live view ui/compare_view.py.
"""

from __future__ import annotations

import streamlit as st

from gan_core.compare.job import CompareJob
from gan_core.compare.pair import CAREFUL_FROM_EPOCH, CAREFUL_SEEDS, differences
from gan_core.compare.setup import SAME, branch_pair, build_pair, card_ids, card_label, describe_difference
from gan_core.config.paths import default_runs_dir
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.jobs.branching import capped_after
from gan_core.jobs.job import PoolBusy
from gan_core.jobs.run_list import DeleteRefused, run_path
from gan_core.jobs.seats import may_see
from gan_core.jobs.server import shared_classroom
from gan_core.store.run_owner import read_owner
from gan_core.store.runs import RunError
from ui import predict_view
from ui.careful_view import draw_careful
from ui.compare_controls import compare_controls
from ui.compare_view import draw
from ui.exercise_pages import COMPARE as EXERCISE
from ui.exercise_pages import compare_exercise, compare_popover
from ui.exercise_view import show_notes
from ui.keras_guard import keep_keras_state
from ui.session import current_seat, followed_snapshot, trainer_pool

# Streamlit resets Keras for every thread after each script run (each live refresh too),
# which breaks the comparison thread mid-build or mid-trace; app.py does this as well,
# but the page must also be safe when run on its own.
keep_keras_state()

JOB = "compare_job"
LOADED = "compare_loaded"  # the Hacks guide's pair, kept until another card is picked
START = "compare_start_point"  # the saved epoch both arms go on from (a branch beside its parent), or None
TERMINAL = ("finished", "stopped", "failed")
DEFAULT_CARD = "batch-norm"
DEFAULT_SECONDS = 60
PAIR_TITLE = "compare_title"  # what the pair on screen is called (the exercise's title for the teacher)
CAREFUL_CHOSEN = "compare_careful_chosen"  # the toggle's value, or the exercise link's when it fixes it


# -- the A/B setup -----------------------------------------------------------------------
def take_preload() -> None:
    """Adopt the pair the Hacks guide's "Try it" left behind, once."""
    preload = st.session_state.pop("compare_preload", None)
    if not isinstance(preload, dict):
        return
    st.session_state[LOADED] = preload
    card_id = preload.get("card")
    st.session_state["compare_card"] = card_id if card_id in card_ids() else SAME


def forget_preload() -> None:
    """Another card was picked: the guide's pair no longer applies."""
    st.session_state.pop(LOADED, None)


def pair_title(card_id: str, loaded: dict | None, cfg_a: TrainConfig, cfg_b: TrainConfig) -> tuple[str, str | None]:
    """(what the pair is called for the teacher: the card's or the handed-over pair's title
    and the keys A and B differ in, the guide card it is about or None)."""
    card = loaded.get("card") if loaded is not None else (card_id or None)
    name = loaded.get("title", "") if loaded is not None else card_label(card_id)
    keys = ", ".join(differences(cfg_a, cfg_b)) or "no difference"
    return f"{name} ({keys})", card if card in card_ids() else None


def setup() -> tuple[TrainConfig, TrainConfig] | None:
    """The card select, the budget and the Advanced boxes; (A, B), or None after showing
    the one-line error. An exercise link fills them once, and hides or locks some (a hidden
    or locked control takes the link's value)."""
    exercise = compare_exercise(DEFAULT_CARD, DEFAULT_SECONDS)
    show_notes(EXERCISE)
    take_preload()
    loaded = st.session_state.get(LOADED)
    if loaded is not None:
        where = loaded.get("from", "the Hacks guide")  # the Runs page hands two runs' configs too
        st.info(f"Loaded from {where}: {loaded.get('title', loaded.get('card', ''))}")
        for note in loaded.get("notes", ()):
            st.caption(note)
    st.session_state.setdefault("compare_card", DEFAULT_CARD if DEFAULT_CARD in card_ids() else card_ids()[0])
    st.session_state.setdefault("compare_seconds", DEFAULT_SECONDS)
    branching = loaded is not None and bool(loaded.get("branch"))
    card_id, seconds, careful, lines_a, lines_b = compare_controls(exercise, branching, on_card_change=forget_preload)
    st.session_state[CAREFUL_CHOSEN] = careful  # what start_job reads (the toggle may be hidden)
    try:
        if loaded is not None and loaded.get("branch"):
            cfg_a, cfg_b, start = _branch_pair(loaded["branch"], float(seconds), lines_a, lines_b)
        else:
            cfg_a, cfg_b = build_pair(card_id, loaded, float(seconds), lines_a, lines_b)
            start = None
    except (ConfigError, RunError) as e:
        st.error(str(e))
        return None
    if start is not None and careful:
        st.error(CAREFUL_FROM_EPOCH)
        return None
    st.session_state[START] = start
    st.markdown(describe_difference(cfg_a, cfg_b))
    st.session_state[PAIR_TITLE] = pair_title(card_id, loaded, cfg_a, cfg_b)
    if start is None:
        compare_popover(card_id, loaded, seconds, lines_a, lines_b, cfg_a.run.seed, careful)
    else:  # a link carries settings, not a run's saved weights: it would open a different comparison
        st.caption("A comparison from a run's saved epoch has no exercise link: it goes on from that run's weights.")
    return cfg_a, cfg_b


def _branch_pair(run_id: str, seconds: float, lines_a: str, lines_b: str):
    """A branch beside its parent's continuation (gan_core/compare/setup.py:branch_pair), for a
    branch this browser's seat may see; RunError (one line) otherwise."""
    try:
        path = run_path(default_runs_dir(), run_id)
    except DeleteRefused as e:
        raise RunError(str(e)) from None
    if not may_see(current_seat(), read_owner(path), shared_classroom().rules().students_see_others):
        raise RunError(f"run '{run_id}' is not one you can see")
    return branch_pair(path, seconds, lines_a, lines_b)


# -- commands ------------------------------------------------------------------------------
def current_job() -> CompareJob | None:
    """This browser's comparison (marked as watched): the one this session started, else its
    seat's newest (after a refresh); None without one."""
    pool = trainer_pool()
    seat = current_seat()
    job_id = st.session_state.get(JOB)
    if not (job_id and pool.may_control(job_id, seat)):
        job_id = pool.latest(seat.id, "comparison")
        st.session_state[JOB] = job_id
    pool.touch(job_id)  # a watched job is not stopped as abandoned
    return pool.get(job_id)


def start_job(cfg_a: TrainConfig, cfg_b: TrainConfig) -> None:
    """Start a comparison of `cfg_a` and `cfg_b` owned by this browser's seat: both arms get the
    class's time limit (a note says when it capped them), and the job waits in the server's
    line for two slots (it trains two networks). A refusal leaves its line in session_state."""
    old = current_job()
    if old is not None:
        old.stop(timeout=2.0)  # one comparison per browser session
    classroom = shared_classroom()
    start = st.session_state.get(START)
    if start is None:
        (cfg_a, note), (cfg_b, _) = classroom.budget_for(cfg_a), classroom.budget_for(cfg_b)
    else:  # the class's limit applies to the seconds trained after the saved epoch
        (cfg_a, note), (cfg_b, _) = capped_after(cfg_a, start, classroom), capped_after(cfg_b, start, classroom)
    seat = current_seat()
    seeds = CAREFUL_SEEDS if st.session_state.get(CAREFUL_CHOSEN) and start is None else 1  # a branch: one seed
    try:
        # Two slots, careful or not: the comparison's thread trains its runs one step at a time
        # (A, B, A, B, ...), so six runs draw on the cores like two, only three times as long.
        st.session_state[JOB] = trainer_pool().enqueue(
            lambda turn: CompareJob(cfg_a, cfg_b, turn=turn, start=start, seeds=seeds),
            owner=seat.id,
            slots=2,
            kind="comparison",
        )
    except (PoolBusy, ConfigError, RunError) as e:
        st.session_state["compare_busy"] = str(e)
        return
    st.session_state["compare_note"] = note
    st.session_state.pop("compare_busy", None)
    st.session_state.pop("compare_seen_state", None)


def buttons(pair) -> None:
    """ "What do you expect?", then Start and Stop for `pair` (the two configs, or None while the
    setup has an error), enabled as the job's state allows; Start waits for an answer."""
    job = current_job()
    active = job is not None and job.status().active
    answer = None if active else predict_view.ask()
    left, right, _ = st.columns([1, 1, 3])
    start_help = "Stop the running comparison first." if active else "Train A and B from the same start, step by step."
    if answer is None and not active:
        start_help = f'Answer "{predict_view.QUESTION}" first.'
    if left.button(
        "Start comparison",
        key="compare_start",
        type="primary",
        disabled=pair is None or active or answer is None,
        help=start_help,
    ):
        start_job(*pair)
        if not st.session_state.get("compare_busy"):
            title, card = st.session_state[PAIR_TITLE]
            predict_view.remember(st.session_state[JOB], pair, title, card, answer)
        st.rerun()  # redraw the buttons for a running job (the live view refreshes only itself)
    if right.button("Stop", key="compare_stop", disabled=not active, help="Stop both arms now (or leave the line)."):
        job.stop(timeout=2.0)
        st.rerun()
    if st.session_state.get("compare_busy"):
        st.error(st.session_state["compare_busy"])
    elif active and st.session_state.get("compare_note"):
        st.caption(st.session_state["compare_note"])
    elif not active:
        busy = trainer_pool().busy_message()
        if busy:
            st.info(busy.replace("a new run waits", "a comparison (two slots) waits"))


# -- the live view (drawn by ui/compare_view.py from snapshots) -------------------------------
def _live_body() -> None:
    job = current_job()
    if job is None:
        st.info(
            "Pick a setting and press **Start comparison**: A and B start from the same weights, see the "
            "same images in the same order and draw the same latent points, so any difference is the setting."
        )
        return
    # Refreshed every second: each arm's series are followed, so only the new rows are copied.
    status = job.status()
    job_id = st.session_state.get(JOB)

    def beside() -> bool:  # the prediction kept with this comparison, beside its verdict
        """The student's prediction beside the verdict; whether one was drawn."""
        return predict_view.beside_verdict(job_id, job, status.state)

    if job.careful:
        snaps_a, snaps_b = (
            tuple(followed_snapshot(board, f"compare_follower_{arm}{i}") for i, board in enumerate(job.arm_boards(arm)))
            for arm in "AB"
        )
        draw_careful(snaps_a, snaps_b, status, job.seeds, beside=beside)
    else:
        snap_a, snap_b = (followed_snapshot(board, f"compare_follower_{arm}") for arm, board in zip("ab", job.boards))
        draw(snap_a, snap_b, status, beside=beside)
    seen = st.session_state.get("compare_seen_state")
    st.session_state["compare_seen_state"] = status.state
    if status.state in TERMINAL and seen is not None and seen not in TERMINAL:
        st.rerun()  # once: the buttons follow, and the page stops polling


@st.fragment(run_every=1.0)
def live_view() -> None:
    """The running comparison's status, grids and curves, redrawn every few seconds (a fragment)."""
    _live_body()


@st.fragment
def still_view() -> None:
    """The same view once, for a finished or stopped comparison."""
    _live_body()


def main() -> None:
    """The page top-down: setup in the sidebar, buttons, then the live or still view."""
    st.title("Compare")
    st.caption(
        "Train two runs that differ by one setting, side by side: same seed, same starting weights, "
        "same data order, same latent points, same number of steps."
    )
    pair = setup()
    buttons(pair)
    job = current_job()
    if job is not None and job.status().active:
        live_view()
    else:
        still_view()


main()
