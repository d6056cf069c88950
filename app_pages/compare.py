"""Compare: two runs that differ by one setting, trained side by side from the same start.

Registered by app.py under the title "Compare"; also runs on its own with
`streamlit run app_pages/compare.py`. The page only reads the job's snapshots and sends it
commands; the job's thread owns every Keras object. The A/B setup is
gan_core/compare/setup.py, the live view ui/compare_view.py.
"""

from __future__ import annotations

import streamlit as st

from gan_core.compare.job import CAREFUL_SEEDS, CompareJob
from gan_core.compare.setup import SAME, build_pair, card_ids, card_label, describe_difference
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.guide import lookup as guide
from gan_core.jobs.job import PoolBusy
from gan_core.jobs.server import shared_classroom
from ui.careful_view import draw_careful
from ui.compare_view import draw
from ui.keras_guard import keep_keras_state
from ui.session import current_seat, followed_snapshot, trainer_pool

# Streamlit resets Keras for every thread after each script run (each live refresh too),
# which breaks the comparison thread mid-build or mid-trace; app.py does this as well,
# but the page must also be safe when run on its own.
keep_keras_state()

JOB = "compare_job"
LOADED = "compare_loaded"  # the Hacks guide's pair, kept until another card is picked
TERMINAL = ("finished", "stopped", "failed")
DEFAULT_CARD = "batch-norm"
CAREFUL = "compare_careful"  # the toggle: three seeds per arm


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


def setup() -> tuple[TrainConfig, TrainConfig] | None:
    """The card select, the budget and the Advanced boxes; (A, B), or None after showing
    the one-line error."""
    take_preload()
    loaded = st.session_state.get(LOADED)
    if loaded is not None:
        where = loaded.get("from", "the Hacks guide")  # the Runs page hands two runs' configs too
        st.info(f"Loaded from {where}: {loaded.get('title', loaded.get('card', ''))}")
        for note in loaded.get("notes", ()):
            st.caption(note)
    st.session_state.setdefault("compare_card", DEFAULT_CARD if DEFAULT_CARD in card_ids() else card_ids()[0])
    left, right = st.columns([2, 1])
    with left:
        card_id = st.selectbox(
            "Practice or hack to switch off in B",
            [SAME, *card_ids()],
            format_func=card_label,
            key="compare_card",
            on_change=forget_preload,
            help=f"A is the `{guide.COMPARE_BASE_PRESET}` preset with every practice and hack on; "
            "B is the same with this one setting off.",
        )
    with right:
        seconds = st.number_input(
            "Seconds per arm",
            min_value=5,
            max_value=1800,
            value=60,
            step=5,
            key="compare_seconds",
            help="Training time for each side. Both sides train the same number of steps, one after the "
            "other, so the whole comparison takes about twice this, plus compiling and the grids.",
        )
    careful = st.toggle(
        f"Careful: {CAREFUL_SEEDS} seeds per arm",
        key=CAREFUL,
        help=f"Train A and B from {CAREFUL_SEEDS} seeds each (A and B share each seed), the same steps for all "
        f"{2 * CAREFUL_SEEDS} runs. The curves show each arm's band from its lowest to its highest seed, and "
        'the verdict calls a difference no larger than that spread "within noise".',
    )
    if careful:
        st.caption(
            f"{2 * CAREFUL_SEEDS} runs, one step at a time: about {2 * CAREFUL_SEEDS} × the seconds per arm, "
            "plus compiling and the grids."
        )
    with st.expander("Advanced"):
        st.caption(
            "Override any setting for one side, one `key=value` per line, e.g. `model.base_filters=16`. "
            "Data source, batch size, seed, budget and grid size must be the same on both sides."
        )
        col_a, col_b = st.columns(2)
        lines_a = col_a.text_area("A overrides", key="compare_overrides_a", placeholder="model.base_filters=16")
        lines_b = col_b.text_area("B overrides", key="compare_overrides_b", placeholder="hacks.d_steps=2")
    try:
        cfg_a, cfg_b = build_pair(card_id, loaded, float(seconds), lines_a, lines_b)
    except ConfigError as e:
        st.error(str(e))
        return None
    st.markdown(describe_difference(cfg_a, cfg_b))
    return cfg_a, cfg_b


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
    (cfg_a, note), (cfg_b, _) = classroom.budget_for(cfg_a), classroom.budget_for(cfg_b)
    seat = current_seat()
    seeds = CAREFUL_SEEDS if st.session_state.get(CAREFUL) else 1
    try:
        # Two slots, careful or not: the comparison's thread trains its runs one step at a time
        # (A, B, A, B, ...), so six runs draw on the cores like two, only three times as long.
        st.session_state[JOB] = trainer_pool().enqueue(
            lambda turn: CompareJob(cfg_a, cfg_b, turn=turn, seeds=seeds), owner=seat.id, slots=2, kind="comparison"
        )
    except PoolBusy as e:
        st.session_state["compare_busy"] = str(e)
        return
    st.session_state["compare_note"] = note
    st.session_state.pop("compare_busy", None)
    st.session_state.pop("compare_seen_state", None)


def buttons(pair) -> None:
    """Start and Stop for `pair` (the two configs, or None while the setup has an error),
    enabled as the job's state allows."""
    job = current_job()
    active = job is not None and job.status().active
    left, right, _ = st.columns([1, 1, 3])
    start_help = "Stop the running comparison first." if active else "Train A and B from the same start, step by step."
    if left.button(
        "Start comparison", key="compare_start", type="primary", disabled=pair is None or active, help=start_help
    ):
        start_job(*pair)
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
    if job.careful:
        snaps_a, snaps_b = (
            tuple(followed_snapshot(board, f"compare_follower_{arm}{i}") for i, board in enumerate(job.arm_boards(arm)))
            for arm in "AB"
        )
        draw_careful(snaps_a, snaps_b, status, job.seeds)
    else:
        snap_a, snap_b = (followed_snapshot(board, f"compare_follower_{arm}") for arm, board in zip("ab", job.boards))
        draw(snap_a, snap_b, status)
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
