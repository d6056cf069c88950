"""Per-step series made readable: a trailing moving average, and even thinning for plots."""

from __future__ import annotations

import numpy as np

MAX_POINTS = 400  # per line drawn in the browser: enough for a 1000-px chart, cheap to redraw each second


def smooth(values, window: int = 25) -> np.ndarray:
    """Trailing moving average (the first points average what exists so far)."""
    x = np.asarray(values, dtype=np.float64)
    if len(x) == 0 or window <= 1:
        return x
    csum = np.cumsum(np.insert(x, 0, 0.0))
    idx = np.arange(1, len(x) + 1)
    lo = np.maximum(0, idx - window)
    return (csum[idx] - csum[lo]) / (idx - lo)


def thin(steps: np.ndarray, values: np.ndarray, max_points: int = MAX_POINTS):
    """At most `max_points` evenly spaced points, first and last kept."""
    if len(steps) <= max_points:
        return steps, values
    pick = np.linspace(0, len(steps) - 1, max_points).round().astype(int)
    return steps[pick], values[pick]
