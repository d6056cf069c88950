"""The Compare page's live view: status, verdict, grids, curves and quality of both arms.

Every function takes snapshots (gan_core.run.snapshot.Snapshot, one per arm) and the
job's CompareStatus; none touches the job or Keras. The figures come from
ui/figures/compare.py.
"""

from __future__ import annotations

import streamlit as st

from gan_core.compare.status import CompareStatus
from gan_core.compare.verdict import verdict
from gan_core.run.snapshot import EpochRecord, Snapshot
from ui.figures import compare as figures


def grid_caption(arm: str, record: EpochRecord, steps_per_epoch: int) -> str:
    """The caption under an arm's grid, e.g. "A — epoch 3", with the step when the epoch
    was cut short by the budget (`record.step` not a multiple of `steps_per_epoch`)."""
    partial = steps_per_epoch and record.step % steps_per_epoch
    return f"{arm} — epoch {record.epoch}" + (f" (ended mid-epoch, step {record.step:,})" if partial else "")


def show_progress(status: CompareStatus, each: str = "arm", runs: str = "") -> None:
    """The progress bar of a comparison: steps and seconds of training per `each` (an arm, or
    one seed's run), `runs` after them (e.g. " (6 runs: ...)"); then the failure in red, or
    the status message."""
    total = f" of {status.total_steps:,}" if status.total_steps else ""
    budget = f" of {status.max_seconds:.0f}" if status.max_seconds else ""
    text = (
        f"{status.state.capitalize()} · step {status.step:,}{total} per {each} · "
        f"{status.elapsed:.0f}{budget} s of training per {each}{runs}"
    )
    st.progress(status.progress, text=text)
    if status.state == "failed":
        st.error(status.message)
    elif status.message:
        st.caption(status.message)


def show_status(snap_a: Snapshot, snap_b: Snapshot, status: CompareStatus) -> None:
    """The progress bar (steps and seconds per arm), the failure or status message, each
    arm's speed and its two latest warnings."""
    show_progress(status)
    if snap_a.steps_per_s or snap_b.steps_per_s:
        st.caption(
            f"Speed of each arm on its own: A {snap_a.steps_per_s:.1f} steps/s, B {snap_b.steps_per_s:.1f} steps/s."
        )
    for arm, snap in (("A", snap_a), ("B", snap_b)):
        for warning in snap.warnings[-2:]:
            st.warning(f"{arm}: {warning}")


def _follow_if_last(last: int) -> None:
    # Moving the slider back stops it following new epochs; moving it to the end resumes.
    st.session_state["compare_epoch_follow"] = st.session_state.get("compare_epoch") == last


def show_grids(snap_a: Snapshot, snap_b: Snapshot) -> None:
    """Both arms' grids of one epoch side by side (an "Epoch" slider once there are two,
    following the newest unless moved back), PNG downloads and an all-epochs GIF."""
    epochs = sorted({e.epoch for e in snap_a.epochs} | {e.epoch for e in snap_b.epochs})
    if not epochs:
        st.info("The first grids appear at the end of the first epoch.")
        return
    last = epochs[-1]
    epoch = last
    if len(epochs) > 1:
        if st.session_state.get("compare_epoch_follow", True) or st.session_state.get("compare_epoch", 0) > last:
            st.session_state["compare_epoch"] = last
        epoch = st.slider(
            "Epoch",
            epochs[0],
            last,
            key="compare_epoch",
            on_change=_follow_if_last,
            args=(last,),
            help="The same latent points in both arms and every epoch: scrub back to watch them learn.",
        )
    columns = st.columns(2)
    for column, arm, snap in zip(columns, "AB", (snap_a, snap_b)):
        record = figures.record_at(snap, epoch)
        with column:
            if record is None:
                st.caption(f"{arm} — no grid yet")
                continue
            st.image(record.grid_png, caption=grid_caption(arm, record, snap.steps_per_epoch), width="stretch")
            st.download_button(
                f"Grid {arm} (PNG)",
                record.grid_png,
                mime="image/png",
                on_click="ignore",
                file_name=f"grid_{arm}_epoch_{record.epoch:04d}.png",
                key=f"compare_png_{arm}",
            )
    st.download_button(
        "Both, all epochs (GIF)",
        lambda: figures.side_by_side_gif(snap_a, snap_b),
        file_name="compare.gif",
        mime="image/gif",
        on_click="ignore",
        key="compare_gif",
        help="A left, B right, one frame per epoch.",
    )


def show_curves(snap_a: Snapshot, snap_b: Snapshot) -> None:
    """Both arms' losses and D's accuracies, overlaid."""
    st.plotly_chart(figures.loss_figure(snap_a, snap_b), key="compare_losses", width="stretch")
    st.caption("With label smoothing, real targets above 1 make D's loss dip below zero: expected, not a bug.")
    st.plotly_chart(figures.accuracy_figure(snap_a, snap_b), key="compare_accuracy", width="stretch")


def show_quality(snap_a: Snapshot, snap_b: Snapshot) -> None:
    """The quality meters per epoch (chart and table); nothing until one was measured."""
    rows = figures.quality_rows(snap_a, snap_b)
    if not any(value is not None for row in rows for key, value in row.items() if key != "epoch"):
        return
    st.plotly_chart(figures.quality_figure(snap_a, snap_b), key="compare_quality", width="stretch")
    st.dataframe(rows, hide_index=True, key="compare_quality_table")


def show_verdict(snap_a: Snapshot, snap_b: Snapshot, status: CompareStatus) -> None:
    """The one-line verdict once finished, or "so far" when stopped after an epoch."""
    if status.state == "finished":
        st.success(f"Verdict: {verdict(snap_a, snap_b)}")
    elif status.state == "stopped" and (snap_a.epochs or snap_b.epochs):
        st.info(f"Stopped early. So far: {verdict(snap_a, snap_b)}")


def draw(snap_a: Snapshot, snap_b: Snapshot, status: CompareStatus, beside=None) -> None:
    """The whole live view, top to bottom: status, verdict, grids, curves, quality. `beside`,
    when given, draws what stands beside the verdict (the student's prediction)."""
    show_status(snap_a, snap_b, status)
    if beside is None:
        show_verdict(snap_a, snap_b, status)
    else:
        verdict_column, beside_column = st.columns(2)
        with verdict_column:
            show_verdict(snap_a, snap_b, status)
        with beside_column:
            beside()
    show_grids(snap_a, snap_b)
    show_curves(snap_a, snap_b)
    show_quality(snap_a, snap_b)
