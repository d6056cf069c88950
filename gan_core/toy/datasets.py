"""The 2-D data sets of the playground, and what "a mode" means for each.

A `ToyDataset` carries three things: a pool of real points to draw batches from (or, for
the Gaussian mixtures, the mode centres plus their standard deviation, so batches are
exact draws), the `modes` that coverage is counted over, and the `tolerance` within which
a generated point counts as high quality.

- Ring / grid: modes are the mixture centres, tolerance = 3 standard deviations
  (the VEEGAN / PacGAN definition), real mode histogram uniform.
- Spiral / two moons: no discrete modes, so the modes are fixed anchor points spaced
  evenly along the curve; quality is the distance to the noiseless curve (a dense
  polyline), tolerance = 3 x the noise standard deviation.
- The user's own points: anchors by farthest-point sampling (deterministic, no k-means);
  quality is the distance to the nearest real point, tolerance = the 95th percentile of
  the real points' own nearest-neighbour distances, so a perfect generator scores ~95%.
- Points drawn on the plane: gan_core/toy/drawn.py, modes by clustering the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BUILTIN = {
    "ring": "Ring of 8 Gaussians (unit circle, std 0.01)",
    "grid": "Grid of 25 Gaussians (points at {-4,-2,0,2,4}^2, std 0.05)",
    "spiral": "Spiral (one arm, noise std 0.05)",
    "moons": "Two moons (noise std 0.05)",
}

_CURVE_NOISE = 0.05
_POOL_SIZE = 20_000
_MAX_REFERENCE = 4_000
_CSV_ANCHORS = 16


@dataclass(frozen=True)
class ToyDataset:
    """One 2-D data set and what its modes are (see the module docstring); points are (N, 2) floats."""

    name: str
    pool: np.ndarray  # (N, 2) float32 points batches are drawn from
    noise_std: float  # Gaussian noise added to each drawn pool point
    modes: np.ndarray  # (M, 2) anchors coverage is counted over
    reference: np.ndarray  # (R, 2) the "clean" data a sample's quality is measured against
    tolerance: float  # distance to `reference` within which a sample is high quality
    real_mode_share: np.ndarray  # (M,) share of real data per mode (uniform for mixtures)
    notes: tuple = ()  # one-line notes on how the user's file was read (subsampling)

    @property
    def view_box(self) -> tuple[float, float, float, float]:
        """(x_min, x_max, y_min, y_max) that shows the data with a margin."""
        lo = self.pool.min(axis=0) - 3 * self.noise_std
        hi = self.pool.max(axis=0) + 3 * self.noise_std
        margin = 0.25 * float(np.max(hi - lo)) + 1e-6
        return (float(lo[0] - margin), float(hi[0] + margin), float(lo[1] - margin), float(hi[1] + margin))

    @property
    def scale(self) -> float:
        """RMS distance of the data from the origin: the networks' unit of length."""
        return max(float(np.sqrt((self.pool.astype(np.float64) ** 2).sum(axis=1).mean() + self.noise_std**2)), 1e-3)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """`n` real points (n, 2) float32: pool points plus Gaussian noise of noise_std, drawn
        reproducibly from `seed`.
        """
        rng = np.random.default_rng(seed)
        pts = self.pool[rng.integers(0, len(self.pool), n)]
        return (pts + self.noise_std * rng.standard_normal(pts.shape)).astype(np.float32)


def builtin_dataset(name: str) -> ToyDataset:
    """The built-in data set "ring", "grid", "spiral" or "moons"; ValueError for another name."""
    makers = {"ring": _ring, "grid": _grid, "spiral": _spiral, "moons": _moons}
    if name not in makers:
        raise ValueError(f"unknown toy data set '{name}' (known: {', '.join(BUILTIN)}, or a .csv file)")
    return makers[name]()


def mixture(name: str, centres: np.ndarray, std: float) -> ToyDataset:
    """A mixture of equal Gaussians of standard deviation `std` around `centres` (M, 2); the
    centres are the modes and 3 std the quality tolerance (VEEGAN / PacGAN).
    """
    centres = centres.astype(np.float32)
    return ToyDataset(
        name=name,
        pool=centres,
        noise_std=std,
        modes=centres,
        reference=centres,
        tolerance=3.0 * std,
        real_mode_share=np.full(len(centres), 1.0 / len(centres)),
    )


def _ring() -> ToyDataset:
    angles = 2 * np.pi * np.arange(8) / 8
    return mixture("ring", np.stack([np.cos(angles), np.sin(angles)], axis=1), 0.01)


def _grid() -> ToyDataset:
    axis = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
    xx, yy = np.meshgrid(axis, axis)
    return mixture("grid", np.stack([xx.ravel(), yy.ravel()], axis=1), 0.05)


def _spiral_curve(t: np.ndarray) -> np.ndarray:
    # One arm, 1.75 turns, radius growing from 0.3 to 2.
    theta = t * 3.5 * np.pi
    r = 0.3 + 1.7 * t
    return np.stack([r * np.cos(theta), r * np.sin(theta)], axis=1)


def _moons_curve(t: np.ndarray) -> np.ndarray:
    # sklearn's make_moons shapes, centred: t in [0, 0.5) upper moon, [0.5, 1) lower moon.
    upper = t < 0.5
    a = np.where(upper, t * 2 * np.pi, (t - 0.5) * 2 * np.pi)
    x = np.where(upper, np.cos(a), 1 - np.cos(a)) - 0.5
    y = np.where(upper, np.sin(a), 0.5 - np.sin(a)) - 0.25
    return np.stack([x, y], axis=1)


def _curve_dataset(name: str, curve, n_anchors: int) -> ToyDataset:
    dense = curve(np.linspace(0, 1, _POOL_SIZE, endpoint=False)).astype(np.float32)
    anchors = _evenly_along(dense, n_anchors)
    real = dense[np.random.default_rng(0).integers(0, len(dense), _MAX_REFERENCE)]
    share = np.bincount(nearest(real, anchors)[0], minlength=n_anchors) / len(real)
    return ToyDataset(
        name=name,
        pool=dense,
        noise_std=_CURVE_NOISE,
        modes=anchors,
        reference=dense[::4],
        tolerance=3.0 * _CURVE_NOISE,
        real_mode_share=share,
    )


def _spiral() -> ToyDataset:
    return _curve_dataset("spiral", _spiral_curve, 20)


def _moons() -> ToyDataset:
    return _curve_dataset("moons", _moons_curve, 20)


def _evenly_along(polyline: np.ndarray, n: int) -> np.ndarray:
    """`n` points spaced evenly by arc length along a dense polyline."""
    steps = np.linalg.norm(np.diff(polyline, axis=0), axis=1)
    steps = np.where(steps > 0.5, 0.0, steps)  # the jump between the two moons is not arc
    arc = np.concatenate([[0.0], np.cumsum(steps)])
    targets = (np.arange(n) + 0.5) / n * arc[-1]
    return polyline[np.searchsorted(arc, targets)]


def points_dataset(points: np.ndarray, name: str = "csv", notes: tuple = ()) -> ToyDataset:
    """A data set from the user's own points (already validated, (N, 2) finite).

    The points are centred and scaled to fit the square [-2, 2]^2, so the same network
    and learning rates work whatever units the file uses.
    """
    points = np.asarray(points, dtype=np.float64)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    half_width = float(np.max(np.abs(points - centre))) or 1.0
    points = ((points - centre) * (2.0 / half_width)).astype(np.float32)
    reference = points
    if len(points) > _MAX_REFERENCE:
        reference = points[np.random.default_rng(0).choice(len(points), _MAX_REFERENCE, replace=False)]
    anchors = farthest_points(reference, min(_CSV_ANCHORS, len(reference)))
    share = np.bincount(nearest(reference, anchors)[0], minlength=len(anchors)) / len(reference)
    return ToyDataset(
        name=name,
        pool=points,
        noise_std=0.0,
        modes=anchors,
        reference=reference,
        tolerance=neighbour_distance_percentile(reference, 95.0),
        real_mode_share=share,
        notes=notes,
    )


def farthest_points(points: np.ndarray, n: int) -> np.ndarray:
    """Greedy farthest-point sampling from the point nearest the centroid (deterministic)."""
    start = int(np.argmin(np.linalg.norm(points - points.mean(axis=0), axis=1)))
    chosen = [start]
    dist = np.linalg.norm(points - points[start], axis=1)
    for _ in range(n - 1):
        nxt = int(np.argmax(dist))
        chosen.append(nxt)
        dist = np.minimum(dist, np.linalg.norm(points - points[nxt], axis=1))
    return points[chosen]


def neighbour_distance_percentile(points: np.ndarray, percentile: float) -> float:
    """The `percentile` (0..100) of each point's distance to its nearest *other* point of
    `points` (N, 2), duplicates ignored, in the points' units; 1e-3 when fewer than 2 differ."""
    unique = np.unique(points, axis=0)
    if len(unique) < 2:
        return 1e-3
    _, d = nearest(unique, unique, exclude_self=True)
    return max(float(np.percentile(d, percentile)), 1e-6)


def nearest(queries: np.ndarray, targets: np.ndarray, exclude_self: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(indices, distances) of each query's nearest target, in chunks to bound memory.

    `exclude_self` assumes queries is targets and skips each point's match with itself.
    """
    t = np.asarray(targets, dtype=np.float64)
    t_sq = (t**2).sum(axis=1)
    chunk = max(1, 2_000_000 // max(len(t), 1))
    idx = np.empty(len(queries), dtype=np.int64)
    dist = np.empty(len(queries), dtype=np.float64)
    for start in range(0, len(queries), chunk):
        q = np.asarray(queries[start : start + chunk], dtype=np.float64)
        d2 = (q**2).sum(axis=1)[:, None] + t_sq[None, :] - 2.0 * q @ t.T
        if exclude_self:
            rows = np.arange(len(q))
            d2[rows, start + rows] = np.inf
        best = np.argmin(d2, axis=1)
        idx[start : start + len(q)] = best
        dist[start : start + len(q)] = np.sqrt(np.maximum(d2[np.arange(len(q)), best], 0.0))
    return idx, dist
