"""Pictures of a careful comparison: each arm's snapshots (one per seed) in, plotly figures and
table rows out. Each arm is drawn as the mean over its seeds with a band from the lowest to
the highest seed (gan_core/compare/spread.py: the range, not a standard deviation); A solid, B
dashed, one colour per metric, as on a plain comparison (ui/figures/compare.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from gan_core.compare.spread import Spread, band, distance, epoch_spreads, score, spread
from gan_core.compare.verdict import last_quality, went_nan
from gan_core.run.snapshot import Snapshot
from ui.figures.compare import ARM_DASH, SMOOTH_STEPS
from ui.figures.series import MAX_POINTS, smooth
from ui.figures.styles import ACC_LINES, LOSS_LINES, QUALITY_LINES, lay_out_steps

BAND_ALPHA = {"A": 0.22, "B": 0.12}  # B's band lighter, so where the two overlap A still shows
BAND_NOTE = "line: mean of the seeds; band: lowest to highest seed"


def _rgba(colour: str, alpha: float) -> str:
    """'#rrggbb' and an opacity in [0, 1] as plotly's 'rgba(r, g, b, a)'."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def add_band(fig: go.Figure, x, mean, low, high, name: str, colour: str, arm: str, mode: str = "lines") -> None:
    """Three traces on `fig`: the band (high, then low filled up to it; no legend, no hover)
    and the mean line named `name`, A solid or B dashed. Points where the mean is NaN (no
    seed has a value there) are left out."""
    x, mean, low, high = (np.asarray(v, dtype=np.float64) for v in (x, mean, low, high))
    keep = ~np.isnan(mean)
    x, mean, low, high = x[keep], mean[keep], low[keep], high[keep]
    edge = dict(mode="lines", line=dict(width=0, color=colour), hoverinfo="skip", showlegend=False, legendgroup=arm)
    fig.add_trace(go.Scatter(x=x, y=high, name=f"{name} (highest seed)", **edge))
    fig.add_trace(
        go.Scatter(
            x=x, y=low, name=f"{name} (lowest seed)", fill="tonexty", fillcolor=_rgba(colour, BAND_ALPHA[arm]), **edge
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x, y=mean, mode=mode, name=name, legendgroup=arm, line=dict(color=colour, dash=ARM_DASH[arm], width=2)
        )
    )


def _steps_figure(snaps_a, snaps_b, lines, title: str, y_title: str, window: int, y_range=None) -> go.Figure:
    fig = go.Figure()
    for arm, snaps in (("A", snaps_a), ("B", snaps_b)):
        for key, name, colour in lines:
            mean, low, high = band([smooth(s.series.get(key, []), window) for s in snaps])
            pick = np.arange(len(mean))
            if len(pick) > MAX_POINTS:
                pick = np.linspace(0, len(mean) - 1, MAX_POINTS).round().astype(int)
            add_band(fig, pick + 1, mean[pick], low[pick], high[pick], f"{arm}: {name}", colour, arm)
    return lay_out_steps(fig, title, y_title, y_range, height=340)


def loss_figure(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], window: int = SMOOTH_STEPS) -> go.Figure:
    """D's real and fake losses and G's loss per step for each arm over its seeds (each seed's
    series a trailing average of `window` steps first; at most series.MAX_POINTS points)."""
    title = f"Losses ({BAND_NOTE}; A solid, B dashed; average of {window} steps)"
    return _steps_figure(snaps_a, snaps_b, LOSS_LINES, title, "loss", window)


def accuracy_figure(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], window: int = SMOOTH_STEPS) -> go.Figure:
    """D's accuracy on real and on fake per step for each arm over its seeds, 0..1."""
    title = f"Discriminator accuracy ({BAND_NOTE}; A solid, B dashed)"
    return _steps_figure(snaps_a, snaps_b, ACC_LINES, title, "share correct", window, y_range=[-0.02, 1.02])


def _label_free(snaps: Sequence[Snapshot]) -> bool:
    for snap in snaps:
        quality = last_quality(snap)
        if quality:
            return quality["meter"] == "label-free"
    return False


def _epochs_figure(snaps_a, snaps_b, figure, title: str, y_title: str, colour: str) -> go.Figure:
    fig = go.Figure()
    for arm, snaps in (("A", snaps_a), ("B", snaps_b)):
        rows = epoch_spreads(snaps, figure)
        x = [epoch for epoch, _ in rows]
        add_band(
            fig,
            x,
            [s.mean for _, s in rows],
            [s.low for _, s in rows],
            [s.high for _, s in rows],
            arm,
            colour,
            arm,
            mode="lines+markers",
        )
    fig.update_layout(
        title=title,
        height=300,
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis_title="epoch",
        yaxis_title=y_title,
        legend=dict(orientation="h", y=-0.3),
        uirevision=title,
    )
    return fig


def quality_figure(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> go.Figure:
    """The headline score per epoch (recognized share, or the mean of precision and recall
    without a judge) for each arm over its seeds, as a share."""
    what = "Mean of precision and recall" if _label_free((*snaps_a, *snaps_b)) else "Recognized share"
    fig = _epochs_figure(snaps_a, snaps_b, score, f"{what} per epoch ({BAND_NOTE})", "share", QUALITY_LINES[0][2])
    fig.update_yaxes(range=[-0.02, 1.02], tickformat=".0%")
    return fig


def distance_figure(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> go.Figure:
    """The distance to the data per epoch (Fréchet on the judge's features, kernel distance
    without a judge; lower is better) for each arm over its seeds."""
    what = "Kernel distance" if _label_free((*snaps_a, *snaps_b)) else "Fréchet distance (judge features)"
    return _epochs_figure(snaps_a, snaps_b, distance, f"{what} per epoch ({BAND_NOTE})", "distance", LOSS_LINES[2][2])


def _cell(value: float | None, digits: int | None) -> str | None:
    """A share as a whole percent (`digits` None), a distance with `digits` decimals."""
    if value is None:
        return None
    return f"{value:.0%}" if digits is None else f"{value:.{digits}f}"


def _range_cell(s: Spread | None, digits: int | None) -> str | None:
    if s is None:
        return None
    return f"{_cell(s.mean, digits)} ({_cell(s.low, digits)}–{_cell(s.high, digits)})"


def seed_rows(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], seeds: Sequence[int]) -> list[dict]:
    """The last rated epoch of each seed's pair, one row per seed (score and distance of A and
    of B; "NaN" for a run that broke down), then a row "all" with each column's mean (lowest
    to highest seed)."""
    label_free = _label_free((*snaps_a, *snaps_b))
    names = ("quality score", "kernel distance") if label_free else ("recognized", "Fréchet distance")
    digits = (None, 4 if label_free else 1)
    rows, columns = [], {f"{arm} {n}": [] for n in names for arm in "AB"}
    for seed, pair in zip(seeds, zip(snaps_a, snaps_b)):
        row = {"seed": str(seed)}
        for arm, snap in zip("AB", pair):
            quality = None if went_nan(snap) else last_quality(snap)
            values = (score(quality), distance(quality)) if quality else (None, None)
            for n, value, d in zip(names, values, digits):
                columns[f"{arm} {n}"].append(value)
                row[f"{arm} {n}"] = "NaN" if went_nan(snap) else _cell(value, d)
        rows.append(row)
    summary = {"seed": "all"}
    for key, values in columns.items():
        summary[key] = _range_cell(spread(values), digits[0] if key.endswith(names[0]) else digits[1])
    return [{"seed": r["seed"], **{k: r.get(k) for k in columns}} for r in (*rows, summary)]
