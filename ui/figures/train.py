"""Plotly figures of a training snapshot. Pure functions: snapshot in, figure out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gan_core.metrics import upgrade_quality
from gan_core.metrics.wording import class_noun
from ui.figures.series import smooth, thin
from ui.figures.styles import ACC_LINES, BRANCH_COLOUR, LOSS_LINES, lay_out_steps


def _figure(snapshot, lines, title: str, y_title: str, raw: bool, window: int, y_range=None) -> go.Figure:
    fig = go.Figure()
    for key, name, colour in lines:
        values = np.asarray(snapshot.series.get(key, []), dtype=np.float64)
        steps = np.arange(1, len(values) + 1)
        shown = values if raw else smooth(values, window)
        x, y = thin(steps, shown)
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, line=dict(color=colour, width=2)))
    for change in snapshot.changes:
        fig.add_vline(x=change.step, line=dict(color="#d62728", dash="dot", width=1))
        fig.add_annotation(
            x=change.step,
            y=1.0,
            yref="paper",
            text=change.label,
            showarrow=False,
            textangle=-90,
            xanchor="right",
            yanchor="top",
            font=dict(size=11, color="#d62728"),
        )
    mark_branch(fig, snapshot.branch)
    return lay_out_steps(fig, title, y_title, y_range)


def mark_branch(fig: go.Figure, branch: dict | None) -> None:
    """A dashed grey line at a branch's start step (Snapshot.branch: parent, epoch, step) with
    "branch of RUN at epoch N" along its foot; nothing for a run that is no branch."""
    if not branch:
        return
    fig.add_vline(x=branch["step"], line=dict(color=BRANCH_COLOUR, dash="dash", width=2))
    fig.add_annotation(
        x=branch["step"],
        y=0.0,
        yref="paper",
        text=f"branch of {branch['parent']} at epoch {branch['epoch']}",
        showarrow=False,
        textangle=-90,
        xanchor="left",
        yanchor="bottom",
        font=dict(size=11, color=BRANCH_COLOUR),
    )


def loss_figure(snapshot, raw: bool = False, window: int = 25) -> go.Figure:
    """D's real and fake losses and G's loss per step (binary cross-entropy), a trailing
    average of `window` steps unless `raw`, thinned for drawing, with a dotted marker at
    each live hack change.
    """
    label = "raw" if raw else f"moving average of {window} steps"
    return _figure(snapshot, LOSS_LINES, f"Losses per step ({label})", "binary cross-entropy", raw, window)


def accuracy_figure(snapshot, raw: bool = False, window: int = 25) -> go.Figure:
    """D's accuracy on real and on fake per step (share correct, 0..1), averaged over `window`
    steps unless `raw`, with the hack change markers.
    """
    label = "raw" if raw else f"moving average of {window} steps"
    return _figure(
        snapshot, ACC_LINES, f"Discriminator accuracy ({label})", "share correct", raw, window, y_range=[-0.02, 1.02]
    )


def quality_figure(snapshot) -> go.Figure:
    """The quality meter per epoch: recognized share (%) and classes present for a judged data
    set, precision and recall (%) for a label-free one.
    """
    rated = [(e.epoch, upgrade_quality(e.quality)) for e in snapshot.epochs if e.quality]
    epochs = [epoch for epoch, _ in rated]
    fig = go.Figure()
    if rated and rated[-1][1]["meter"] == "label-free":
        for key, name in (("precision", "precision (%)"), ("recall", "recall (%)")):
            fig.add_trace(
                go.Scatter(x=epochs, y=[100 * q.get(key, 0.0) for _, q in rated], mode="lines+markers", name=name)
            )
    else:
        last = rated[-1][1] if rated else {}
        noun = class_noun(last) if last else "classes"
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=[100 * q["recognized_share"] for _, q in rated],
                mode="lines+markers",
                name=f"recognized {noun} (%)",
            )
        )
        if last.get("classes_present") is not None:
            total = last.get("classes_total", 10)
            fig.add_trace(
                go.Bar(
                    x=epochs,
                    y=[q.get("classes_present") for _, q in rated],
                    name=f"{noun} present (of {total})",
                    yaxis="y2",
                    opacity=0.35,
                )
            )
            fig.update_layout(yaxis2=dict(title="classes", overlaying="y", side="right", range=[0, total]))
    fig.update_layout(
        title="Sample quality per epoch",
        height=300,
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis_title="epoch",
        yaxis=dict(title="%", range=[0, 100]),
        legend=dict(orientation="h", y=-0.3),
        uirevision="quality",
    )
    return fig
