"""Pictures of a comparison: two snapshots in, plotly figures, table rows or GIF bytes out.

A is drawn solid and B dashed, in the same colour per metric, so the eye pairs the
curves by colour and tells the arms apart by the dash.
"""

from __future__ import annotations

import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw

from gan_core.generators.images import gif_bytes
from gan_core.metrics import upgrade_quality
from gan_core.metrics.wording import headline
from gan_core.run.snapshot import EpochRecord, Snapshot
from ui.figures.series import smooth, thin
from ui.figures.styles import ACC_LINES, LOSS_LINES, QUALITY_LINES, lay_out_steps
from ui.figures.train import mark_branch

SMOOTH_STEPS = 25
ARM_DASH = {"A": "solid", "B": "dash"}
LABEL_HEIGHT = 18  # pixels above each grid in the GIF for "A"/"B" and the epoch
GAP = 12  # pixels between the two grids in the GIF


def _pair_figure(
    snap_a: Snapshot, snap_b: Snapshot, lines, title: str, y_title: str, window: int, y_range=None
) -> go.Figure:
    fig = go.Figure()
    for arm, snap in (("A", snap_a), ("B", snap_b)):
        for key, name, colour in lines:
            values = np.asarray(snap.series.get(key, []), dtype=np.float64)
            x, y = thin(np.arange(1, len(values) + 1), smooth(values, window))
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="lines",
                    name=f"{arm}: {name}",
                    legendgroup=arm,
                    line=dict(color=colour, dash=ARM_DASH[arm], width=2),
                )
            )
    mark_branch(fig, snap_a.branch)  # both arms went on from the same saved epoch
    return lay_out_steps(fig, title, y_title, y_range)


def loss_figure(snap_a: Snapshot, snap_b: Snapshot, window: int = SMOOTH_STEPS) -> go.Figure:
    """D's real and fake losses and G's loss per step for both arms (A solid, B dashed):
    trailing average of `window` steps, at most series.MAX_POINTS points per line.
    """
    return _pair_figure(
        snap_a,
        snap_b,
        LOSS_LINES,
        f"Losses (A solid, B dashed; average of {window} steps)",
        "binary cross-entropy",
        window,
    )


def accuracy_figure(snap_a: Snapshot, snap_b: Snapshot, window: int = SMOOTH_STEPS) -> go.Figure:
    """D's accuracy on real and on fake per step for both arms, averaged over `window` steps;
    the y axis shows the share correct, 0..1.
    """
    return _pair_figure(
        snap_a,
        snap_b,
        ACC_LINES,
        f"Discriminator accuracy (A solid, B dashed; average of {window} steps)",
        "share correct",
        window,
        y_range=[-0.02, 1.02],
    )


def _rated(snap: Snapshot) -> list:
    """(epoch, quality in today's keys) of the epochs that have quality figures."""
    return [(e.epoch, upgrade_quality(e.quality)) for e in snap.epochs if e.quality]


def _label_free(snap_a: Snapshot, snap_b: Snapshot) -> bool:
    """Both arms train on one data set, so one measured epoch tells which meter measured them."""
    for _, q in _rated(snap_a) + _rated(snap_b):
        return q["meter"] == "label-free"
    return False


def quality_figure(snap_a: Snapshot, snap_b: Snapshot) -> go.Figure:
    """The headline score per epoch (recognized share under a judge, the mean of precision and
    recall without one); the hover shows the full figures."""
    fig = go.Figure()
    for arm, snap in (("A", snap_a), ("B", snap_b)):
        rated = _rated(snap)
        fig.add_trace(
            go.Scatter(
                x=[epoch for epoch, _ in rated],
                y=[headline(q)[1] for _, q in rated],
                customdata=[headline(q)[0] for _, q in rated],
                mode="lines+markers",
                name=arm,
                line=dict(color=QUALITY_LINES[0][2], dash=ARM_DASH[arm], width=2),
                hovertemplate=f"{arm}, epoch %{{x}}: %{{customdata}}<extra></extra>",
            )
        )
    title = "Mean of precision and recall per epoch" if _label_free(snap_a, snap_b) else "Recognized share per epoch"
    fig.update_layout(
        title=f"{title} (A solid, B dashed)",
        height=280,
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis_title="epoch",
        yaxis_title="share",
        legend=dict(orientation="h", y=-0.3),
        uirevision="quality",
    )
    fig.update_yaxes(range=[-0.02, 1.02], tickformat=".0%")
    return fig


def quality_rows(snap_a: Snapshot, snap_b: Snapshot) -> list[dict]:
    """One row per epoch with both arms' figures (None where missing): recognized share, classes
    and Fréchet distance (judge features) under a judge; precision, recall and kernel distance
    without one."""
    label_free = _label_free(snap_a, snap_b)
    whats = ("precision", "recall", "kernel distance") if label_free else ("recognized", "classes", "Fréchet distance")
    by_epoch = {}
    for arm, snap in (("A", snap_a), ("B", snap_b)):
        for e in snap.epochs:
            row = by_epoch.setdefault(e.epoch, {"epoch": e.epoch})
            q = upgrade_quality(e.quality) or {}
            if label_free:
                values = (_share(q.get("precision")), _share(q.get("recall")), _rounded(q.get("kernel_distance"), 4))
            else:
                values = (
                    _share(q.get("recognized_share")),
                    q.get("classes_present"),
                    _rounded(q.get("frechet_distance"), 1),
                )
            row.update({f"{arm} {what}": value for what, value in zip(whats, values)})
    columns = ["epoch"] + [f"{arm} {what}" for what in whats for arm in "AB"]
    return [{c: row.get(c) for c in columns} for _, row in sorted(by_epoch.items())]


def _share(value) -> str | None:
    return None if value is None else f"{value:.0%}"


def _rounded(value, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


def record_at(snap: Snapshot, epoch: int) -> EpochRecord | None:
    """The arm's grid of `epoch`, or its last one before it (an arm stopped by NaN has fewer)."""
    shown = None
    for record in snap.epochs:
        if record.epoch <= epoch:
            shown = record
    return shown


def side_by_side_gif(snap_a: Snapshot, snap_b: Snapshot, frame_ms: int = 400) -> bytes:
    """One frame per epoch: A's grid left, B's right, each labelled with its arm and epoch."""
    n = max(len(snap_a.epochs), len(snap_b.epochs))
    if n == 0:
        raise ValueError("no epoch has finished yet, so there is no grid to animate")
    epochs = sorted({e.epoch for e in snap_a.epochs} | {e.epoch for e in snap_b.epochs})
    frames = [_side_by_side(record_at(snap_a, epoch), record_at(snap_b, epoch)) for epoch in epochs]
    return gif_bytes(frames, frame_ms=frame_ms)


def _side_by_side(rec_a: EpochRecord | None, rec_b: EpochRecord | None) -> np.ndarray:
    pics = [_decode(r) for r in (rec_a, rec_b)]
    shapes = [p.size for p in pics if p is not None]
    width, height = max(s[0] for s in shapes), max(s[1] for s in shapes)
    mode = "RGB" if any(p is not None and p.mode == "RGB" for p in pics) else "L"
    canvas = Image.new(mode, (2 * width + GAP, height + LABEL_HEIGHT), color=255 if mode == "L" else (255,) * 3)
    draw = ImageDraw.Draw(canvas)
    ink = 0 if mode == "L" else (0, 0, 0)
    for i, (arm, pic, rec) in enumerate((("A", pics[0], rec_a), ("B", pics[1], rec_b))):
        x = i * (width + GAP)
        label = f"{arm} - epoch {rec.epoch}" if rec is not None else f"{arm} - no grid yet"
        draw.text((x + 2, 3), label, fill=ink)
        if pic is not None:
            canvas.paste(pic.convert(mode), (x, LABEL_HEIGHT))
    return np.asarray(canvas)


def _decode(record: EpochRecord | None) -> Image.Image | None:
    if record is None:
        return None
    pic = Image.open(io.BytesIO(record.grid_png))
    return pic.convert("RGB" if pic.mode in ("RGB", "RGBA", "P") else "L")
