"""Mode-collapse metrics in the sense of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018).

A generated point is *high quality* when it lies within the data set's tolerance of the data
(3 standard deviations of its nearest mode for the Gaussian mixtures); a mode is *covered*
when at least one high-quality point is nearest to it. `kl` is KL(generated || real) between
the histograms of points over modes, where every generated point counts toward its nearest
mode (so a generator whose points are all far off still has a histogram); a small epsilon in
every bin keeps empty bins finite.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from gan_core.toy.datasets import ToyDataset, nearest

EPSILON = 1e-6


@dataclass(frozen=True)
class ModeMetrics:
    """Modes covered of modes_total, high_quality (share of samples, 0..1), and kl (nats, >= 0)."""

    modes_covered: int
    modes_total: int
    high_quality: float  # share of samples, 0..1
    kl: float

    def to_dict(self) -> dict:
        """The four figures as a plain dict (for JSON)."""
        return asdict(self)


def mode_metrics(samples: np.ndarray, dataset: ToyDataset) -> ModeMetrics:
    """Mode coverage, high-quality share and KL of generated points (N, 2) against `dataset`,
    as defined in the module docstring.
    """
    samples = np.asarray(samples, dtype=np.float64)
    mode_of, distance = nearest(samples, dataset.modes)
    if dataset.reference is not dataset.modes:
        _, distance = nearest(samples, dataset.reference)
    good = distance <= dataset.tolerance
    total = len(dataset.modes)
    covered = int(np.unique(mode_of[good]).size)
    gen = np.bincount(mode_of, minlength=total).astype(np.float64)
    return ModeMetrics(
        modes_covered=covered,
        modes_total=total,
        high_quality=float(good.mean()) if len(samples) else 0.0,
        kl=histogram_kl(gen, np.asarray(dataset.real_mode_share, dtype=np.float64)),
    )


def histogram_kl(generated_counts: np.ndarray, real_counts: np.ndarray) -> float:
    """KL(p || q) of two histograms (counts or shares), epsilon-smoothed so empty bins stay finite."""
    p = generated_counts / max(generated_counts.sum(), 1.0) + EPSILON
    q = real_counts / max(real_counts.sum(), 1e-12) + EPSILON
    p, q = p / p.sum(), q / q.sum()
    return float(np.sum(p * np.log(p / q)))
