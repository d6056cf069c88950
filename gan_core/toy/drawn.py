"""Points the user draws on the playground's plane, and the data set they make.

The plane is the square [-PLANE, PLANE]^2. A stroke is the polyline (V, 2) of one press of
the mouse, in plane units; the brush turns it into points:

- a click (a stroke shorter than CLICK_LENGTH) places CLICK_POINTS points, Gaussian with
  standard deviation CLICK_SPREAD around it: one mode, like one of the 25-grid's Gaussians
  (std 0.05), so eight clicks on a circle make the ring benchmark;
- a drag places one point every STROKE_SPACING of arc along it, each moved by Gaussian noise
  of std STROKE_SPREAD: a thin curve, like the spiral's.

The noise is drawn from a seed made of the stroke's own coordinates, so the same drawing always
gives the same points (the playground keys its trainer on them). A drawing holds at most
MAX_DRAWN_POINTS points; every point lies in the square (the spread is clipped to it).
`drawn_dataset` makes a ToyDataset of them whose modes are the drawing's clusters
(gan_core/toy/clusters.py), so the mode metrics count them as they count the ring's.
"""

from __future__ import annotations

import hashlib

import numpy as np

from gan_core.toy.clusters import cluster_modes
from gan_core.toy.datasets import ToyDataset, neighbour_distance_percentile

PLANE = 2.0
MAX_DRAWN_POINTS = 2_000
MIN_DRAWN_POINTS = 10
MAX_STROKE_VERTICES = 5_000
CLICK_LENGTH = 0.05
CLICK_POINTS = 30
CLICK_SPREAD = 0.05
STROKE_SPACING = 0.04
STROKE_SPREAD = 0.03
# As for the user's own points: a generated point is high quality within the 95th percentile
# of the drawn points' own nearest-neighbour distances (a perfect copy scores ~95%).
QUALITY_PERCENTILE = 95.0


class DrawingError(ValueError):
    """A drawing, or a stroke of it, cannot be used; the message is one line a user can act on."""


def brush(stroke: np.ndarray) -> np.ndarray:
    """The points (n, 2) float32 one stroke places, by the rule in the module docstring.

    `stroke` is (V, 2) plane coordinates, 1 <= V <= MAX_STROKE_VERTICES, finite. Raises
    DrawingError for anything else, and for a stroke that would place more than
    MAX_DRAWN_POINTS points (checked before any point is made).
    """
    stroke = _checked_stroke(stroke)
    steps = np.linalg.norm(np.diff(stroke, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(steps)])
    rng = np.random.default_rng(_seed(stroke))
    if arc[-1] < CLICK_LENGTH:
        centre = stroke.mean(axis=0)
        points = centre + CLICK_SPREAD * rng.standard_normal((CLICK_POINTS, 2))
    else:
        count = int(np.ceil(arc[-1] / STROKE_SPACING))
        if count > MAX_DRAWN_POINTS:
            raise DrawingError(f"a stroke that long places {count:,} points; a drawing holds {MAX_DRAWN_POINTS:,}")
        at = (np.arange(count) + 0.5) * (arc[-1] / count)
        on_line = np.stack([np.interp(at, arc, stroke[:, 0]), np.interp(at, arc, stroke[:, 1])], axis=1)
        points = on_line + STROKE_SPREAD * rng.standard_normal(on_line.shape)
    return np.clip(points, -PLANE, PLANE).astype(np.float32)


def _checked_stroke(stroke) -> np.ndarray:
    try:
        stroke = np.asarray(stroke, dtype=np.float64)
    except (TypeError, ValueError):
        raise DrawingError("a stroke must be a list of (x, y) numbers") from None
    if stroke.ndim != 2 or stroke.shape[1] != 2 or not 1 <= len(stroke) <= MAX_STROKE_VERTICES:
        raise DrawingError(f"a stroke must be 1 to {MAX_STROKE_VERTICES:,} (x, y) points, got shape {stroke.shape}")
    if not np.isfinite(stroke).all():
        raise DrawingError("a stroke's coordinates must be finite numbers")
    # A point off the plane is where the pen left the board: it counts at the board's edge.
    return np.clip(stroke, -PLANE, PLANE)


def _seed(stroke: np.ndarray) -> int:
    # Rounded to a thousandth of a unit, so a stroke read back from a saved drawing seeds alike.
    data = np.round(stroke, 3).astype("<f8").tobytes()
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "little")


def drawing_points(strokes) -> tuple[np.ndarray, int, str | None]:
    """(points (N, 2) float32, strokes used, refusal) of strokes taken in order until one would
    take the drawing past MAX_DRAWN_POINTS or cannot be used: that stroke and all after it are
    left out, and `refusal` says why in one line (None when every stroke was used)."""
    parts: list[np.ndarray] = []
    total = 0
    for used, stroke in enumerate(strokes):
        try:
            points = brush(stroke)
        except DrawingError as e:
            return _joined(parts), used, f"stroke {used + 1} was not added: {e}"
        if total + len(points) > MAX_DRAWN_POINTS:
            return (
                _joined(parts),
                used,
                f"{MAX_DRAWN_POINTS:,} points is the most a drawing holds: the last stroke was not added "
                "(Undo or Clear to draw more)",
            )
        parts.append(points)
        total += len(points)
    return _joined(parts), len(parts), None


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros((0, 2), np.float32)


def drawn_dataset(points: np.ndarray, name: str = "drawn") -> ToyDataset:
    """A ToyDataset of drawn points (N, 2): MIN_DRAWN_POINTS <= N <= MAX_DRAWN_POINTS, finite,
    inside the plane. Trains on the points as drawn (no rescaling, no added noise); its modes
    are the k-means clusters of gan_core.toy.clusters, each mode's real share its cluster's
    share of the points; a generated point is high quality within the 95th percentile of the
    points' own nearest-neighbour distances of a drawn point.

    Raises DrawingError (one line) for anything else; the size is checked before the values.
    """
    points = np.asarray(points)
    if points.ndim != 2 or points.shape[1:] != (2,):
        raise DrawingError(f"drawn points must be an (N, 2) array, got shape {points.shape}")
    if len(points) > MAX_DRAWN_POINTS:
        raise DrawingError(f"{len(points):,} points drawn; a drawing holds at most {MAX_DRAWN_POINTS:,}")
    if len(points) < MIN_DRAWN_POINTS:
        raise DrawingError(f"{len(points)} points drawn; click or drag to place at least {MIN_DRAWN_POINTS}")
    try:
        points = points.astype(np.float32)
    except (TypeError, ValueError):
        raise DrawingError("drawn points must be numbers") from None
    if not np.isfinite(points).all():
        raise DrawingError("drawn points must be finite numbers")
    if np.abs(points).max() > PLANE:
        raise DrawingError(f"drawn points must lie in the plane's square [-{PLANE:g}, {PLANE:g}]")
    if np.ptp(points, axis=0).max() == 0.0:
        raise DrawingError("all drawn points are identical: there is nothing to learn")
    modes, labels = cluster_modes(points)
    return ToyDataset(
        name=name,
        pool=points,
        noise_std=0.0,
        modes=modes,
        reference=points,
        tolerance=neighbour_distance_percentile(points, QUALITY_PERCENTILE),
        real_mode_share=np.bincount(labels, minlength=len(modes)) / len(points),
    )


def points_csv(points: np.ndarray) -> bytes:
    """Points (N, 2) as CSV bytes with a header line x,y, each float32 value written in the
    fewest digits that read back to the same float32 (what read_points_csv and the playground's
    CSV upload read)."""
    points = np.asarray(points, dtype=np.float32)
    fmt = lambda v: np.format_float_positional(v, unique=True, trim="-")
    return ("x,y\n" + "".join(f"{fmt(x)},{fmt(y)}\n" for x, y in points)).encode()
