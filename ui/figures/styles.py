"""The one table of line styles every training chart uses (the Train page, Compare, the 2D
playground): which series, its legend name and its colour, so a metric looks the same on
every page. Colours are plotly's default qualitative sequence (D3's category10), in order.

Each entry is (series key as published by the trainers, legend name, colour as #rrggbb).
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
