"""Plotly figures of the playground (pure: trainer state in, figure out; no Streamlit)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gan_core.toy.surface import decision_surface, gradient_arrows
from gan_core.toy.trainer import HISTORY_COLUMNS
from ui.figures.styles import FAKE_COLOUR, LOSS_LINES, REAL_COLOUR


def playground_figure(
    trainer, show_arrows: bool = False, real_points: int = 600, fake_points: int = 1000, resolution: int = 60
) -> go.Figure:
    """D's decision surface as a heatmap behind real and generated points (and G's pushes)."""
    xs, ys, prob = decision_surface(trainer, resolution)
    real = trainer.dataset.sample(real_points, seed=0)
    fake = trainer.generated_points()[:fake_points]
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            x=xs,
            y=ys,
            z=prob,
            zmin=0.0,
            zmax=1.0,
            colorscale="Greys",
            opacity=0.55,
            colorbar=dict(title="D(x)", len=0.6),
            hovertemplate="D = %{z:.2f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scattergl(x=real[:, 0], y=real[:, 1], mode="markers", name="real", marker=dict(size=4, color=REAL_COLOUR))
    )
    fig.add_trace(
        go.Scattergl(
            x=fake[:, 0], y=fake[:, 1], mode="markers", name="generated", marker=dict(size=4, color=FAKE_COLOUR)
        )
    )
    if show_arrows:
        points, moves = gradient_arrows(trainer)
        # One polyline with NaN gaps draws all arrows as a single cheap trace.
        ends = points + moves
        lx = np.column_stack([points[:, 0], ends[:, 0], np.full(len(points), np.nan)]).ravel()
        ly = np.column_stack([points[:, 1], ends[:, 1], np.full(len(points), np.nan)]).ravel()
        fig.add_trace(go.Scatter(x=lx, y=ly, mode="lines", name="G's push", line=dict(color="#7570b3", width=1.5)))
        fig.add_trace(
            go.Scatter(
                x=ends[:, 0],
                y=ends[:, 1],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker=dict(size=5, color="#7570b3", symbol="circle"),
            )
        )
    x0, x1, y0, y1 = trainer.dataset.view_box
    fig.update_layout(
        height=520,
        margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", y=1.06),
        # Equal scales shrink the plot rather than widen the x range: a wider range
        # would show bare plane beyond D's heatmap.
        xaxis=dict(range=[x0, x1], constrain="domain"),
        yaxis=dict(range=[y0, y1], scaleanchor="x", scaleratio=1, constrain="domain"),
        uirevision="playground",
    )
    return fig


def loss_figure(trainer, max_points: int = 1500) -> go.Figure:
    """D's real/fake losses and G's loss per step (thinned to `max_points` rows)."""
    history = trainer.history
    rows = np.arange(len(history))
    if len(history) > max_points:
        rows = np.linspace(0, len(history) - 1, max_points).astype(int)
    fig = go.Figure()
    col = {name: i for i, name in enumerate(HISTORY_COLUMNS)}
    for name, label, colour in LOSS_LINES:
        # A line needs two points: the first lone step shows as dots.
        fig.add_trace(
            go.Scatter(
                x=rows,
                y=history[rows, col[name]],
                mode="lines" if len(rows) > 1 else "markers",
                name=label,
                line=dict(color=colour),
                marker=dict(color=colour),
            )
        )
    fig.update_layout(
        height=260,
        margin=dict(l=10, r=10, t=30, b=10),
        xaxis_title="update",
        legend=dict(orientation="h", y=1.15),
        uirevision="losses",
    )
    return fig
