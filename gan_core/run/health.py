"""Health checks a teacher wants shouted, not buried in a plot: NaN/inf metrics and the
samples' diversity (the named step and epoch checks live in health_watch.py)."""

from __future__ import annotations

import numpy as np


def non_finite_message(rows: np.ndarray, first_step: int, names) -> str | None:
    """A message if any metric in `rows` (n, k) is NaN or infinite, else None."""
    bad = ~np.isfinite(rows)
    if not bad.any():
        return None
    i, j = np.argwhere(bad)[0]
    return (
        f"{names[j]} became {rows[i, j]} at step {first_step + i}: training paused. "
        "Lower the learning rates or switch BatchNorm on, then resume or restart."
    )


def sample_diversity(images_uint8: np.ndarray) -> float:
    """Mean per-pixel standard deviation across samples, in [0, 0.5] (0: all identical)."""
    x = images_uint8.astype(np.float32) / 255.0
    return float(x.std(axis=0).mean())
