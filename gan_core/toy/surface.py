"""What the page draws: D's verdict "real" over the view box, and where G's loss pushes its points."""

from __future__ import annotations

import numpy as np


def decision_surface(trainer, resolution: int = 60, box=None):
    """(xs, ys, prob): D's verdict "real" in [0, 1] (its probability under bce; see
    hacks.verdicts) on a resolution x resolution grid; prob[i, j]
    is at (xs[j], ys[i]), the layout a heatmap expects."""
    x0, x1, y0, y1 = box or trainer.dataset.view_box
    xs = np.linspace(x0, x1, resolution, dtype=np.float32)
    ys = np.linspace(y0, y1, resolution, dtype=np.float32)
    gx, gy = np.meshgrid(xs, ys)
    prob = trainer.d_probability(np.stack([gx.ravel(), gy.ravel()], axis=1))
    return xs, ys, prob.reshape(resolution, resolution)


def gradient_arrows(trainer, count: int = 64, length: float | None = None):
    """(points, moves) for `count` generated points: `moves` is minus the gradient of G's loss
    with respect to each point (the direction G would like to push it), rescaled so the longest
    arrow has `length` (default: 8% of the view box)."""
    points = trainer.generated_points()[:count]
    moves = -trainer.generator_gradient(points)
    x0, x1, y0, y1 = trainer.dataset.view_box
    length = length if length is not None else 0.08 * max(x1 - x0, y1 - y0)
    longest = float(np.max(np.linalg.norm(moves, axis=1))) if len(moves) else 0.0
    if longest > 0:
        moves = moves * (length / longest)
    return points, moves
