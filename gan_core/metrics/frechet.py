"""Fréchet distance between two Gaussians (the formula FID applies to Inception-v3 features). Pure numpy.

d^2 = |mu1 - mu2|^2 + tr(C1) + tr(C2) - 2 tr(sqrt(C1 C2)).
C1 C2 is not symmetric, so a general sqrtm can return complex noise. With
S = sqrt(C1) (symmetric), S C2 S is symmetric positive semi-definite and has the
same eigenvalues as C1 C2, so tr(sqrt(C1 C2)) = sum of sqrt(eigvalsh(S C2 S)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GaussianFit:
    """Mean (D,) and covariance (D, D), float64, of a set of feature vectors."""

    mean: np.ndarray  # (D,)
    cov: np.ndarray  # (D, D)


def gaussian_fit(features: np.ndarray) -> GaussianFit:
    """Fit of (N >= 2, D) features; raises ValueError for fewer samples or another shape."""
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2:
        raise ValueError(f"a Gaussian fit needs (N >= 2, D) features, got shape {x.shape}")
    return GaussianFit(mean=x.mean(axis=0), cov=np.cov(x, rowvar=False))


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    """Square root of a symmetric PSD matrix; rounding can make tiny eigenvalues negative."""
    sym = (matrix + matrix.T) * 0.5
    values, vectors = np.linalg.eigh(sym)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def frechet_distance(a: GaussianFit, b: GaussianFit) -> float:
    """d^2 between two fits (squared units of the features, >= 0); see the module docstring."""
    s1 = _sqrt_psd(a.cov)
    middle = s1 @ b.cov @ s1
    middle = (middle + middle.T) * 0.5
    trace_sqrt = float(np.sqrt(np.clip(np.linalg.eigvalsh(middle), 0.0, None)).sum())
    diff = a.mean - b.mean
    distance = float(diff @ diff + np.trace(a.cov) + np.trace(b.cov) - 2.0 * trace_sqrt)
    # Identical fits land a hair below zero through rounding.
    return max(distance, 0.0)
