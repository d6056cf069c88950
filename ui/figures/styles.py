"""The one table of line styles every training chart uses (the Train page, Compare, the 2D
playground): which series, its legend name and its colour, so a metric looks the same on
every page. Colours are plotly's default qualitative sequence (D3's category10), in order.

Each entry is (series key as published by the trainers, legend name, colour as #rrggbb).
`lay_out_steps` is the one layout of a chart over training steps.
"""

from __future__ import annotations

LOSS_LINES = (
    ("d_loss_real", "D loss (real)", "#1f77b4"),
    ("d_loss_fake", "D loss (fake)", "#ff7f0e"),
    ("g_loss", "G loss", "#2ca02c"),
)
ACC_LINES = (("d_acc_real", "D accuracy on real", "#1f77b4"), ("d_acc_fake", "D accuracy on fake", "#ff7f0e"))
QUALITY_LINES = (("headline", "quality score", "#9467bd"),)

# The 2D playground's points (ColorBrewer Dark2): real data, and the generator's.
REAL_COLOUR = "#1b9e77"
FAKE_COLOUR = "#d95f02"

# Where a branch goes on from its parent's saved epoch: a dashed grey line on the curves.
BRANCH_COLOUR = "#7f7f7f"


def lay_out_steps(fig, title: str, y_title: str, y_range=None, height: int = 320):
    """Give `fig` (a plotly Figure over training steps) the layout every such chart shares:
    `title`, steps along x, `y_title` up y (fixed to `y_range`, a (low, high) pair, when
    given), the legend in a row below, `height` pixels, and a uirevision from the title so a
    redraw keeps the user's zoom. Returns `fig`."""
    fig.update_layout(
        title=title,
        height=height,
        margin=dict(l=10, r=10, t=40, b=10),
        xaxis_title="step",
        yaxis_title=y_title,
        legend=dict(orientation="h", y=-0.25),
        uirevision=title,
    )
    if y_range:
        fig.update_yaxes(range=y_range)
    return fig
