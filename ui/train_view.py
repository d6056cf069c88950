"""The Train page's live view: status, curves, the epoch grid, quality, downloads (its buttons
are ui/train_buttons.py).

`draw_live(snapshot)` only reads a Snapshot, so tests can call it directly (AppTest does
not run `run_every` fragments).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image

from gan_core.generators.images import gif_bytes
from gan_core.metrics import metric_cards
from gan_core.run.snapshot import Snapshot, Status
from gan_core.step.gan_step import METRIC_NAMES
from ui.branch_view import after_branch, scrubber_branch
from ui.figures import train as charts
from ui.health_panel import draw_health
from ui.published import PublishedRun, published_run
from ui.session import is_viewer

STATE_TEXT = {
    "idle": "Ready",
    "queued": "Waiting in line",
    "starting": "Starting",
    "running": "Training",
    "paused": "Paused",
    "stopping": "Stopping",
    "stopped": "Stopped",
    "finished": "Finished",
    "failed": "Failed",
}


# -- reading the trainer ------------------------------------------------------------
def panel_snapshot(trainer) -> Snapshot:
    """The run's published snapshot for the panels: one for every session that shows the run,
    its series followed once for all (ui/published.py)."""
    return published_run(trainer.board).snapshot(trainer.board)


def shared_figures(trainer) -> PublishedRun:
    """Where the panels' figures of this run are built once for every session (ui/published.py)."""
    return published_run(trainer.board)


# -- drawing -----------------------------------------------------------------------
def status_line(snap: Snapshot | Status) -> str:
    """One line: state, epoch, step, steps per second and seconds (of the budget, if any)."""
    parts = [
        STATE_TEXT.get(snap.state, snap.state),
        f"epoch {snap.epoch}",
        f"step {snap.step}",
        f"{snap.steps_per_s:.1f} steps/s",
        f"{snap.elapsed:.0f} s",
    ]
    if snap.max_seconds:
        parts[-1] += f" of {snap.max_seconds:.0f} s"
    return " · ".join(parts)


def draw_live(snap: Snapshot, shared: PublishedRun | None = None) -> None:
    """The whole live view of one snapshot: status, then charts, grid, quality and downloads
    (figures from `shared` when `snap` is its published snapshot)."""
    draw_status(snap)
    draw_panels(snap, shared)


def draw_status(snap: Snapshot | Status) -> None:
    """The cheap part, redrawn every 2 s: status, progress, warnings (a Status is enough)."""
    st.markdown(f"**{status_line(snap)}**")
    st.progress(snap.progress, text=snap.message or None)
    if snap.state == "failed":
        st.error(f"Training failed: {snap.message}")
    for warning in snap.warnings[-3:]:
        st.warning(warning)


def _figure(shared: PublishedRun | None, snap: Snapshot, name: str, build):
    return shared.figure(snap, name, build) if shared is not None else build(snap)


def draw_panels(snap: Snapshot, shared: PublishedRun | None = None) -> None:
    """Charts, grid, quality and downloads: the costly part for the server and the browser.
    With `shared`, each figure is built once for all sessions that show the run."""
    if after_branch("train"):
        st.rerun()  # the branch just started is this session's run now: the whole page follows it
    left, right = st.columns([3, 2])
    with left:
        raw = st.toggle("Show raw values", key="raw_curves", help="Per-step values instead of a moving average.")
        loss = _figure(shared, snap, f"loss:{raw}", lambda s: charts.loss_figure(s, raw=raw))
        st.plotly_chart(loss, key="loss_chart", width="stretch")
        if _labels_above_one(snap):
            st.caption(
                "With real-label targets above 1 (smoothing up to 1.2), binary cross-entropy is negative "
                "for confident predictions, so the D loss on real images can dip below zero. Expected."
            )
        if loss_caption(snap):
            st.caption(loss_caption(snap))
        accuracy = _figure(shared, snap, f"accuracy:{raw}", lambda s: charts.accuracy_figure(s, raw=raw))
        st.plotly_chart(accuracy, key="acc_chart", width="stretch")
    with right:
        _draw_grid(snap)
        _draw_quality(snap, shared)
        draw_health(snap)
    _draw_downloads(snap)


def _labels_above_one(snap: Snapshot) -> bool:
    real = snap.hacks.get("hacks.real_label_range", (1.0, 1.0))
    return float(real[1]) > 1.0 and snap.hacks.get("hacks.adversarial_loss", "bce") == "bce"


# What the plotted losses mean under each adversarial loss other than BCE (whose meaning the
# chart's titles already give). t is D's target: 1 real, 0 fake, or the smoothed/flipped value.
LOSS_MEANINGS = {
    "least-squares": "Least-squares loss (Mao et al. 2017): the D losses are ½(D(x) − t)², the squared "
    "distance of D's output from its target, never below 0; the G loss is ½(D(G(z)) − 1)². "
    "D counts an image as real when its output is above 0.5.",
    "hinge": "Hinge loss (Lim & Ye 2017): the D losses are relu(1 − D(x)) on real and relu(1 + D(G(z))) on "
    "fake images, 0 once every image is past the margin; the G loss is −D(G(z)), negative when D "
    "scores the fakes as real. D counts an image as real when its output is above 0.",
}


def loss_caption(snap: Snapshot) -> str:
    """What the loss curves mean under the run's adversarial loss now; "" for BCE."""
    return LOSS_MEANINGS.get(snap.hacks.get("hacks.adversarial_loss", "bce"), "")


def _draw_grid(snap: Snapshot) -> None:
    if not snap.epochs and snap.preview is not None:
        st.image(
            snap.preview.grid_png,
            caption=f"After {snap.preview.step} steps (epoch 1 ends at step {snap.steps_per_epoch or '…'})",
            width="stretch",
            output_format="PNG",
        )
        return
    if not snap.epochs:
        st.info("The first image grid appears after half a second of training.")
        return
    n = len(snap.epochs)
    if n > 1:
        if st.session_state.get("epoch_follow", True) or st.session_state.get("epoch_view", n) > n:
            st.session_state["epoch_view"] = n
        st.slider(
            "Epoch",
            1,
            n,
            key="epoch_view",
            on_change=_follow_if_last,
            args=(n,),
            help="Scrub back through the grids of earlier epochs (same latent points every epoch).",
        )
        shown = snap.epochs[st.session_state["epoch_view"] - 1]
    else:
        shown = snap.epochs[0]
    st.image(shown.grid_png, caption=f"Epoch {shown.epoch}", width="stretch", output_format="PNG")
    if snap.run_dir:  # a run with a folder: its saved epochs can be branched from
        scrubber_branch(snap.run_dir, shown.epoch, shown.step, is_viewer())
    if snap.classes:
        st.caption(grid_classes_caption(snap.classes, snap.self_conditioned))


def grid_classes_caption(classes: int, self_conditioned: bool) -> str:
    """What the grid's cells ask a conditional G for: `classes` (> 0) labels of the data set, or,
    with self-conditioning (`modern`), as many k-means clusters of the images standing in for
    labels, which the run never had."""
    if self_conditioned:
        return (
            f"Trained without labels: {classes} look-alike groups of the images (k-means clusters) stand in "
            f"for them, and the cells ask for groups 0, 1, 2, … {classes - 1} in turn, row by row."
        )
    return f"Trained with labels: the cells ask for classes 0, 1, 2, … {classes - 1} in turn, row by row."


def _follow_if_last(n: int) -> None:
    st.session_state["epoch_follow"] = st.session_state.get("epoch_view") == n


def _draw_quality(snap: Snapshot, shared: PublishedRun | None = None) -> None:
    rated = [e for e in snap.epochs if e.quality]
    if not rated:
        return
    last = rated[-1].quality
    prev = rated[-2].quality if len(rated) > 1 else None
    cards = metric_cards(last, prev)
    for col, card in zip(st.columns(len(cards)), cards):
        col.metric(
            card["label"],
            card["value"],
            card["delta"],
            delta_color="inverse" if card["inverse"] else "normal",
            help=card["help"],
        )
    st.plotly_chart(_figure(shared, snap, "quality", charts.quality_figure), key="quality_chart", width="stretch")


def _draw_downloads(snap: Snapshot) -> None:
    if not snap.epochs:
        return
    cols = st.columns(4)
    latest = snap.epochs[-1]
    cols[0].download_button(
        "Grid (PNG)",
        latest.grid_png,
        file_name=f"grid_epoch_{latest.epoch:04d}.png",
        mime="image/png",
        on_click="ignore",
        key="dl_png",
    )
    cols[1].download_button(
        "Timelapse (GIF)",
        lambda: timelapse_gif(snap),
        file_name="timelapse.gif",
        mime="image/gif",
        on_click="ignore",
        key="dl_gif",
    )
    generator = Path(snap.run_dir) / "generator.keras" if snap.run_dir else None
    cols[2].download_button(
        "Generator (.keras)",
        lambda: generator.read_bytes() if generator else b"",
        file_name="generator.keras",
        mime="application/octet-stream",
        on_click="ignore",
        key="dl_keras",
        disabled=generator is None or not generator.exists(),
    )
    cols[3].download_button(
        "Metrics (CSV)",
        lambda: metrics_csv(snap),
        file_name="metrics.csv",
        mime="text/csv",
        on_click="ignore",
        key="dl_csv",
    )


def timelapse_gif(snap: Snapshot) -> bytes:
    """GIF bytes with one frame per epoch's grid, 400 ms each."""
    frames = []
    for record in snap.epochs:
        picture = Image.open(io.BytesIO(record.grid_png))
        frames.append(np.asarray(picture.convert("L" if picture.mode in ("L", "P", "1") else "RGB")))
    return gif_bytes(frames, frame_ms=400)


def metrics_csv(snap: Snapshot) -> str:
    """CSV text: a header of step and METRIC_NAMES, then one row per training step from 1."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("step",) + METRIC_NAMES)
    n = len(snap.series.get(METRIC_NAMES[0], []))
    for i in range(n):
        writer.writerow([i + 1] + [f"{snap.series[name][i]:.6g}" for name in METRIC_NAMES])
    return out.getvalue()
