"""Health checks a teacher wants shouted, not buried in a plot: NaN, collapse, a winning D."""
from __future__ import annotations

import numpy as np


def non_finite_message(rows: np.ndarray, first_step: int, names) -> str | None:
    """A message if any metric in `rows` (n, k) is NaN or infinite, else None."""
    bad = ~np.isfinite(rows)
    if not bad.any():
        return None
    i, j = np.argwhere(bad)[0]
    return (f"{names[j]} became {rows[i, j]} at step {first_step + i}: training paused. "
            "Lower the learning rates or switch BatchNorm on, then resume or restart.")


def sample_diversity(images_uint8: np.ndarray) -> float:
    """Mean per-pixel standard deviation across samples, in [0, 0.5] (0: all identical)."""
    x = images_uint8.astype(np.float32) / 255.0
    return float(x.std(axis=0).mean())


def collapse_message(images_uint8: np.ndarray, real_diversity: float, epoch: int) -> str | None:
    """Mode collapse: the fixed latent points all map to (nearly) the same picture."""
    diversity = sample_diversity(images_uint8)
    if diversity < 0.15 * real_diversity:
        return (f"Epoch {epoch}: the samples look alike (diversity {diversity:.3f} vs {real_diversity:.3f} "
                "for real images) - mode collapse. Try label smoothing, flips or minibatch-friendly settings.")
    return None


def discriminator_wins_message(acc_fake: list, g_loss: list, window: int = 200) -> str | None:
    """D rejects every fake for a long stretch: G's gradients have vanished."""
    if len(acc_fake) < window:
        return None
    if np.mean(acc_fake[-window:]) > 0.99 and np.mean(g_loss[-window:]) > 4.0:
        return ("The discriminator rejects every fake and the generator loss is high: "
                "G gets almost no gradient. Try the non-saturating loss, label smoothing or flips.")
    return None
