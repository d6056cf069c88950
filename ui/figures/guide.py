"""The Hacks guide's small illustrations: activations, label targets, G's losses and how
the taps of a transposed convolution overlap. Pure functions: numbers in, plotly figure out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from gan_core.guide.numbers import NUMBERS


# -- small illustrations -------------------------------------------------------------
def _small_figure(fig: go.Figure, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        height=220,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", y=-0.35),
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    return fig


def activation_figure(slope: float = NUMBERS["leaky_slope"]) -> go.Figure:
    """ReLU against LeakyReLU with negative `slope` (DCGAN: 0.2) on inputs in [-3, 3]."""
    x = np.linspace(-3.0, 3.0, 121)
    fig = go.Figure(
        [
            go.Scatter(x=x, y=np.maximum(x, 0.0), name="ReLU"),
            go.Scatter(x=x, y=np.where(x > 0, x, slope * x), name=f"LeakyReLU ({slope})"),
        ]
    )
    return _small_figure(fig, "input", "output")


def label_target_figure(
    real_range=(NUMBERS["real_low"], NUMBERS["real_high"]), fake_range=(NUMBERS["fake_low"], NUMBERS["fake_high"])
) -> go.Figure:
    """Histograms of 2,000 real and 2,000 fake targets drawn uniformly from the ranges
    (label smoothing; dotted lines at the hard labels 0 and 1)."""
    rng = np.random.default_rng(0)
    real = rng.uniform(*real_range, 2000)
    fake = rng.uniform(*fake_range, 2000)
    fig = go.Figure(
        [
            go.Histogram(x=fake, name=f"fake targets {list(fake_range)}", nbinsx=20),
            go.Histogram(x=real, name=f"real targets {list(real_range)}", nbinsx=20),
        ]
    )
    fig.update_layout(barmode="overlay")
    fig.update_traces(opacity=0.7)
    fig.add_vline(x=0.0, line_dash="dot")
    fig.add_vline(x=1.0, line_dash="dot")
    return _small_figure(fig, "D's target (dotted: hard 0 and 1)", "count")


def generator_loss_figure() -> go.Figure:
    """G's minimax loss log(1 - D) against the non-saturating -log D over D(G(z)) in (0, 1)
    (Goodfellow et al. 2014): the first is flat where G is bad, the second steep."""
    d = np.linspace(0.005, 0.995, 199)
    fig = go.Figure(
        [
            go.Scatter(x=d, y=np.log(1.0 - d), name="minimax: log(1 - D), flat near 0"),
            go.Scatter(x=d, y=-np.log(d), name="non-saturating: -log D, steep near 0"),
        ]
    )
    return _small_figure(fig, "D(G(z)): how real D thinks a fake is", "G's loss")


def overlap_figure(kernel: int, stride: int = int(NUMBERS["stride"]), size: int = 6) -> go.Figure:
    """How many kernel taps of a transposed convolution land on each output pixel."""
    full = (size - 1) * stride + kernel
    count = np.zeros((full, full))
    for i in range(size):
        for j in range(size):
            count[i * stride : i * stride + kernel, j * stride : j * stride + kernel] += 1
    inner = count[kernel:-kernel, kernel:-kernel]  # the border is uneven for any kernel
    fig = go.Figure(
        go.Heatmap(z=inner, colorscale="Greys", zmin=0, zmax=kernel * kernel, showscale=False, texttemplate="%{z}")
    )
    fig.update_layout(
        height=160,
        width=160,
        margin=dict(l=0, r=0, t=24, b=0),
        title=dict(text=f"{kernel}x{kernel}, stride {stride}", font=dict(size=12)),
        xaxis=dict(visible=False),
        yaxis=dict(visible=False, scaleanchor="x"),
    )
    return fig
