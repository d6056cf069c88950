"""The modes of a drawing: groups of touching points, long groups cut into arcs.

A drawn data set has no mixture centres to count coverage over, so its modes are found in the
points themselves, in two steps:

1. Groups: points joined by a chain of neighbours less than GROUP_GAP apart are one group
   (DBSCAN with min_samples=1, i.e. single-linkage clusters cut at GROUP_GAP; Ester et al.
   1996, scikit-learn). GROUP_GAP is 3 standard deviations of a click's blob
   (gan_core/toy/drawn.py), the tolerance the VEEGAN / PacGAN mode definition uses, so each
   click's blob is one group and two blobs are two groups once they stop touching.
2. Arcs: a group wider than ARC_LENGTH (a drawn curve) is cut by k-means (Lloyd's algorithm,
   k-means++ seeding) into ceil(width / ARC_LENGTH) arcs, where width is the diagonal of its
   bounding box; as the built-in spiral and moons count coverage at anchors spaced along their
   curves rather than over the whole curve at once.

Every group and every arc is a mode: eight clicks on a circle give the ring's eight modes,
a 5 x 5 grid of clicks the grid's 25, one drawn circle about eight arcs. Deterministic (no
random choice but k-means' fixed seed), and cheap: a few milliseconds for the 2,000 points
a drawing holds (one thread, so thirty browsers on one server do not fight over cores).
"""

from __future__ import annotations

import math

import numpy as np

GROUP_GAP = 0.15
ARC_LENGTH = 0.6
SEED = 0


def cluster_modes(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(centres (k, 2) float32, labels (N,) int64 in 0..k-1) of finite points (N, 2), N >= 1,
    by the rule in the module docstring; each centre is the mean of its mode's points.

    Raises ValueError for an empty or non-(N, 2) array.
    """
    from sklearn.cluster import DBSCAN
    from threadpoolctl import threadpool_limits

    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
        raise ValueError(f"cluster_modes needs (N, 2) points with N >= 1, got shape {points.shape}")
    labels = np.empty(len(points), dtype=np.int64)
    modes = 0
    with threadpool_limits(1):
        groups = DBSCAN(eps=GROUP_GAP, min_samples=1).fit_predict(points)
        for group in np.unique(groups):
            members = np.flatnonzero(groups == group)
            arcs = _arcs(points[members])
            labels[members] = modes + arcs
            modes += int(arcs.max()) + 1
    centres = np.stack([points[labels == m].mean(axis=0) for m in range(modes)])
    return centres.astype(np.float32), labels


def _arcs(group: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 of one group's points (n, 2): k-means into ceil(width / ARC_LENGTH) arcs."""
    from sklearn.cluster import KMeans

    width = float(np.linalg.norm(np.ptp(group, axis=0)))
    k = min(max(1, math.ceil(width / ARC_LENGTH)), len(np.unique(group, axis=0)))
    if k == 1:
        return np.zeros(len(group), dtype=np.int64)
    fit = KMeans(n_clusters=k, n_init=1, random_state=SEED).fit(group)
    # k-means can leave a label unused on odd inputs; renumber so the labels have no gaps.
    return np.unique(fit.labels_, return_inverse=True)[1].astype(np.int64)
