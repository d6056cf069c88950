"""Compare: two runs that differ by one setting, trained side by side from the same start.

Registered by app.py under the title "Compare"; also runs on its own with
`streamlit run app_pages/compare.py`. The page only reads the job's snapshots and sends it
commands; the job's thread owns every Keras object.
"""
from __future__ import annotations

from typing import Optional

import streamlit as st

# Run on its own, Streamlit puts only app_pages/ on the import path.

from ui.figures import compare as figures  # noqa: E402
from gan_core.browser_overrides import browser_override  # noqa: E402
from gan_core.guide import lookup as guide  # noqa: E402
from gan_core.compare.job import CompareError, CompareJob, check_pair, differences, verdict  # noqa: E402
from gan_core.training.pool import PoolBusy  # noqa: E402
from ui.session import followed_snapshot, trainer_pool  # noqa: E402
from gan_core.config import ConfigError, TrainConfig  # noqa: E402
from gan_core.presets import preset  # noqa: E402
from ui.keras_guard import keep_keras_state  # noqa: E402

# Streamlit resets Keras for every thread after each script run (each live refresh too),
# which breaks the comparison thread mid-build or mid-trace; app.py does this as well,
# but the page must also be safe when run on its own.
keep_keras_state()

JOB = "compare_job"
LOADED = "compare_loaded"        # the Hacks guide's pair, kept until another card is picked
SAME = ""                        # select option: B identical to A (a check that runs are reproducible)
TERMINAL = ("finished", "stopped", "failed")
DEFAULT_CARD = "batch-norm"


# -- the A/B setup -----------------------------------------------------------------------
class OverrideError(ConfigError):
    """A bad `key=value` line in the Advanced box; the message names the arm and the line."""


def apply_lines(cfg: TrainConfig, text: str, arm: str) -> TrainConfig:
    """Apply `key=value` lines (blank lines and # comments skipped), validating as it goes.

    Only model., optimizer., hacks. and run. keys are taken (gan_core.browser_overrides):
    the data set is the page's own, never a path typed into a box."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise OverrideError(f"{arm} overrides, line {number}: expected key=value, got {line!r}")
        try:
            cfg = browser_override(cfg, key, value.strip()).validated()
        except ConfigError as e:
            raise OverrideError(f"{arm} overrides, line {number}: {e}") from None
    return cfg


def base_pair(card_id: str, loaded: Optional[dict]) -> tuple[TrainConfig, TrainConfig]:
    """A and B before the budget and the Advanced lines: the preset with the card's two settings."""
    if loaded is not None:
        base = preset(guide.COMPARE_BASE_PRESET)
        return _with(base, loaded.get("a", {})), _with(base, loaded.get("b", {}))
    if card_id == SAME:
        base = preset(guide.COMPARE_BASE_PRESET)
        return base, base
    return guide.compare_configs(guide.card(card_id))


def _with(cfg: TrainConfig, overrides: dict) -> TrainConfig:
    # A preload sits in session state, like everything a page keeps for a browser: the same
    # allow-list as typed lines applies.
    for key, value in overrides.items():
        cfg = browser_override(cfg, key, value)
    return cfg.validated()


def build_pair(card_id: str, loaded: Optional[dict], seconds: float, lines_a: str, lines_b: str):
    """(A, B) ready to train, or raises ConfigError with one line saying what is wrong."""
    cfg_a, cfg_b = base_pair(card_id, loaded)
    budget = [f"run.max_seconds={seconds}", "run.epochs=0"]
    cfg_a = apply_lines(cfg_a.with_overrides(budget), lines_a, "A")
    cfg_b = apply_lines(cfg_b.with_overrides(budget), lines_b, "B")
    cfg_a, cfg_b = check_pair(cfg_a, cfg_b)
    if not cfg_a.run.max_seconds and not cfg_a.run.epochs:
        # The thread would outlive the browser tab with nothing to end it.
        raise CompareError("a comparison needs a budget: set run.max_seconds or run.epochs above 0")
    return cfg_a, cfg_b


def take_preload() -> None:
    """Adopt the pair the Hacks guide's "Try it" left behind, once."""
    preload = st.session_state.pop("compare_preload", None)
    if not isinstance(preload, dict):
        return
    st.session_state[LOADED] = preload
    card_id = preload.get("card")
    st.session_state["compare_card"] = card_id if card_id in card_ids() else SAME


def forget_preload() -> None:
    st.session_state.pop(LOADED, None)


def card_ids() -> list[str]:
    return [c.id for c in guide.CARDS]


def card_label(card_id: str) -> str:
    return "Nothing: B is A (same seed, same result)" if card_id == SAME else guide.card(card_id).title


def describe_difference(cfg_a: TrainConfig, cfg_b: TrainConfig) -> str:
    diff = differences(cfg_a, cfg_b)
    if not diff:
        return "A and B are identical: both arms should draw the same pictures, step for step."
    parts = [f"`{key}` {a!r} → {b!r}" for key, (a, b) in diff.items()]
    return "B differs from A in: " + "; ".join(parts)


def setup() -> Optional[tuple[TrainConfig, TrainConfig]]:
    take_preload()
    loaded = st.session_state.get(LOADED)
    if loaded is not None:
        st.info(f"Loaded from the Hacks guide: {loaded.get('title', loaded.get('card', ''))}")
    st.session_state.setdefault("compare_card", DEFAULT_CARD if DEFAULT_CARD in card_ids() else card_ids()[0])
    left, right = st.columns([2, 1])
    with left:
        card_id = st.selectbox(
            "Practice or hack to switch off in B", [SAME, *card_ids()], format_func=card_label,
            key="compare_card", on_change=forget_preload,
            help=f"A is the `{guide.COMPARE_BASE_PRESET}` preset with every practice and hack on; "
                 "B is the same with this one setting off.")
    with right:
        seconds = st.number_input(
            "Seconds per arm", min_value=5, max_value=1800, value=60, step=5, key="compare_seconds",
            help="Training time for each side. Both sides train the same number of steps, one after the "
                 "other, so the whole comparison takes about twice this, plus compiling and the grids.")
    with st.expander("Advanced"):
        st.caption("Override any setting for one side, one `key=value` per line, e.g. `model.base_filters=16`. "
                   "Data source, batch size, seed, budget and grid size must be the same on both sides.")
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
def current_job() -> Optional[CompareJob]:
    pool = trainer_pool()
    pool.touch(st.session_state.get(JOB))       # a watched job is not stopped as abandoned
    return pool.get(st.session_state.get(JOB))


def start_job(cfg_a: TrainConfig, cfg_b: TrainConfig) -> None:
    old = current_job()
    if old is not None:
        old.stop(timeout=2.0)         # one comparison per browser session
    try:
        # Comparisons share the server's training slots with the Train page.
        st.session_state[JOB] = trainer_pool().start(lambda: CompareJob(cfg_a, cfg_b))
    except PoolBusy as e:
        st.session_state["compare_busy"] = str(e)
        return
    st.session_state.pop("compare_busy", None)
    st.session_state.pop("compare_seen_state", None)


def buttons(pair) -> None:
    job = current_job()
    active = job is not None and job.status().active
    left, right, _ = st.columns([1, 1, 3])
    start_help = ("Stop the running comparison first." if active else
                  "Train A and B from the same start, step by step.")
    if left.button("Start comparison", key="compare_start", type="primary", disabled=pair is None or active,
                   help=start_help):
        start_job(*pair)
        st.rerun()          # redraw the buttons for a running job (the live view refreshes only itself)
    if right.button("Stop", key="compare_stop", disabled=not active, help="Stop both arms now."):
        job.stop(timeout=2.0)
        st.rerun()
    if st.session_state.get("compare_busy"):
        st.error(st.session_state["compare_busy"])


# -- the live view: drawing functions take snapshots ----------------------------------------
def show_status(snap_a, snap_b, status) -> None:
    total = f" of {status.total_steps:,}" if status.total_steps else ""
    budget = f" of {status.max_seconds:.0f}" if status.max_seconds else ""
    text = (f"{status.state.capitalize()} · step {status.step:,}{total} per arm · "
            f"{status.elapsed:.0f}{budget} s of training per arm")
    st.progress(status.progress, text=text)
    if status.state == "failed":
        st.error(status.message)
    elif status.message:
        st.caption(status.message)
    if snap_a.steps_per_s or snap_b.steps_per_s:
        st.caption(f"Speed of each arm on its own: A {snap_a.steps_per_s:.1f} steps/s, "
                   f"B {snap_b.steps_per_s:.1f} steps/s.")
    for arm, snap in (("A", snap_a), ("B", snap_b)):
        for warning in snap.warnings[-2:]:
            st.warning(f"{arm}: {warning}")


def show_grids(snap_a, snap_b) -> None:
    epochs = sorted({e.epoch for e in snap_a.epochs} | {e.epoch for e in snap_b.epochs})
    if not epochs:
        st.info("The first grids appear at the end of the first epoch.")
        return
    last = epochs[-1]
    epoch = last
    if len(epochs) > 1:
        if st.session_state.get("compare_epoch_follow", True) or st.session_state.get("compare_epoch", 0) > last:
            st.session_state["compare_epoch"] = last
        epoch = st.slider("Epoch", epochs[0], last, key="compare_epoch", on_change=_follow_if_last, args=(last,),
                          help="The same latent points in both arms and every epoch: scrub back to watch them learn.")
    columns = st.columns(2)
    for column, arm, snap in zip(columns, "AB", (snap_a, snap_b)):
        record = figures.record_at(snap, epoch)
        with column:
            if record is None:
                st.caption(f"{arm} — no grid yet")
                continue
            st.image(record.grid_png, caption=grid_caption(arm, record, snap.steps_per_epoch), width="stretch")
            st.download_button(f"Grid {arm} (PNG)", record.grid_png, mime="image/png", on_click="ignore",
                               file_name=f"grid_{arm}_epoch_{record.epoch:04d}.png", key=f"compare_png_{arm}")
    st.download_button("Both, all epochs (GIF)", lambda: figures.side_by_side_gif(snap_a, snap_b),
                       file_name="compare.gif", mime="image/gif", on_click="ignore", key="compare_gif",
                       help="A left, B right, one frame per epoch.")


def grid_caption(arm: str, record, steps_per_epoch: int) -> str:
    partial = steps_per_epoch and record.step % steps_per_epoch
    return f"{arm} — epoch {record.epoch}" + (f" (ended mid-epoch, step {record.step:,})" if partial else "")


def _follow_if_last(last: int) -> None:
    st.session_state["compare_epoch_follow"] = st.session_state.get("compare_epoch") == last


def show_curves(snap_a, snap_b) -> None:
    st.plotly_chart(figures.loss_figure(snap_a, snap_b), key="compare_losses", width="stretch")
    st.caption("With label smoothing, real targets above 1 make D's loss dip below zero: expected, not a bug.")
    st.plotly_chart(figures.accuracy_figure(snap_a, snap_b), key="compare_accuracy", width="stretch")


def show_quality(snap_a, snap_b) -> None:
    rows = figures.quality_rows(snap_a, snap_b)
    if not any(value is not None for row in rows for key, value in row.items() if key != "epoch"):
        return
    st.plotly_chart(figures.quality_figure(snap_a, snap_b), key="compare_quality", width="stretch")
    st.dataframe(rows, hide_index=True, key="compare_quality_table")


def show_verdict(snap_a, snap_b, status) -> None:
    if status.state == "finished":
        st.success(f"Verdict: {verdict(snap_a, snap_b)}")
    elif status.state == "stopped" and (snap_a.epochs or snap_b.epochs):
        st.info(f"Stopped early. So far: {verdict(snap_a, snap_b)}")


def draw(snap_a, snap_b, status) -> None:
    show_status(snap_a, snap_b, status)
    show_verdict(snap_a, snap_b, status)
    show_grids(snap_a, snap_b)
    show_curves(snap_a, snap_b)
    show_quality(snap_a, snap_b)


def _live_body() -> None:
    job = current_job()
    if job is None:
        st.info("Pick a setting and press **Start comparison**: A and B start from the same weights, see the "
                "same images in the same order and draw the same latent points, so any difference is the setting.")
        return
    # Refreshed every second: each arm's series are followed, so only the new rows are copied.
    snap_a, snap_b = (followed_snapshot(board, f"compare_follower_{arm}") for arm, board in zip("ab", job.boards))
    status = job.status()
    draw(snap_a, snap_b, status)
    seen = st.session_state.get("compare_seen_state")
    st.session_state["compare_seen_state"] = status.state
    if status.state in TERMINAL and seen is not None and seen not in TERMINAL:
        st.rerun()          # once: the buttons follow, and the page stops polling


@st.fragment(run_every=1.0)
def live_view() -> None:
    _live_body()


@st.fragment
def still_view() -> None:
    _live_body()


def main() -> None:
    st.title("Compare")
    st.caption("Train two runs that differ by one setting, side by side: same seed, same starting weights, "
               "same data order, same latent points, same number of steps.")
    pair = setup()
    buttons(pair)
    job = current_job()
    if job is not None and job.status().active:
        live_view()
    else:
        still_view()


main()
