"""Track failures early (ganhacks #10): named warnings over the numbers the step returns.

The compiled step returns, per step, D's and G's gradient norms and D's mean verdict "real"
on the real and on the fake half (step.METRIC_NAMES; hacks.verdicts: the probability under
BCE, 0 = fake target and 1 = real target under least-squares and hinge). The checks here are pure
functions of those rows and of per-epoch figures; `HealthWatch` only remembers which
warnings are active so that one episode gives one warning, not one per flush.

Thresholds and their sources:
- D wins: D's mean verdict on fakes at most 0.05 while it calls real images real (at
  least 0.9) over the last D_WINS_WINDOW steps. Verdicts (the probability under BCE, the
  output on the loss's own targets under least-squares and hinge), not G's loss, so it
  fires under the minimax loss (negative) and the non-saturating one alike (Goodfellow
  et al. 2014, §3: "D rejects samples with high confidence", log(1 - D(G(z))) saturates).
- Exploding gradients: the median global gradient norm of D or G over the last
  GRAD_WINDOW steps above 100 (ganhacks #10: "check norms of gradients: if they are over
  100 things are screwing up").
- G loss falls while quality falls: over the last three epochs the epoch-mean G loss falls
  at each epoch while the quality meter falls at each epoch, by QUALITY_DROP in all: G is
  fooling this D without getting better (ganhacks #10: "if loss of generator steadily
  decreases, then it's fooling D with garbage").
- Mode collapse: the samples' diversity (mean per-pixel std across samples) below
  COLLAPSE_SHARE of that of a random subset of the real images.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from gan_core.run.health import sample_diversity
from gan_core.step.gan_step import METRIC_NAMES

D_WINS_WINDOW = 50  # steps
D_WINS_FAKE_PROB = 0.05
D_WINS_REAL_PROB = 0.9
GRAD_WINDOW = 10  # steps
GRAD_LIMIT = 100.0
LOSS_VAR_WINDOW = 50  # steps, for the D loss variance shown in the panel
QUALITY_EPOCHS = 3
QUALITY_DROP = 0.05  # recognized share, in all over QUALITY_EPOCHS epochs
COLLAPSE_SHARE = 0.15
REAL_SUBSET = 512  # real images for the diversity reference
MIN_COLLAPSE_STEP = 200  # a fresh generator paints near-constant grey: judge collapse after this

_COL = {name: i for i, name in enumerate(METRIC_NAMES)}

# Names of the warnings, as the Train page, the CLI and health.jsonl show them.
D_WINS = "D wins"
EXPLODING = "exploding gradients"
FOOLING = "G loss falls while quality falls"
COLLAPSE = "mode collapse"


@dataclass(frozen=True)
class HealthWarning:
    """One named warning: what (name), when (step, epoch; epoch 0 = between epoch ends),
    the measured evidence (detail) and the hack to try."""

    name: str
    step: int
    detail: str
    hack: str
    epoch: int = 0

    @property
    def text(self) -> str:
        """One line for the page and the CLI: "<name> at step N: <detail> Try: <hack>"."""
        return f"{self.name} at step {self.step}: {self.detail} Try: {self.hack}"

    def to_dict(self) -> dict:
        """JSON-friendly fields plus "text" (a health.jsonl row)."""
        return {**asdict(self), "text": self.text}


def _column(rows: np.ndarray, name: str) -> np.ndarray:
    return np.asarray(rows, dtype=np.float64)[:, _COL[name]]


def figures(rows: np.ndarray) -> dict:
    """The health panel's numbers over per-step rows (n, len(METRIC_NAMES)), newest last:
    the latest gradient norms, D's mean probabilities and D loss (real + fake) over the last
    LOSS_VAR_WINDOW steps, and that window's D loss variance. Empty dict for no rows."""
    rows = np.asarray(rows, dtype=np.float64)
    if rows.size == 0:
        return {}
    recent = rows[-LOSS_VAR_WINDOW:]
    d_loss = _column(recent, "d_loss_real") + _column(recent, "d_loss_fake")
    return {
        "d_grad_norm": float(np.median(_column(rows[-GRAD_WINDOW:], "d_grad_norm"))),
        "g_grad_norm": float(np.median(_column(rows[-GRAD_WINDOW:], "g_grad_norm"))),
        "d_prob_real": float(_column(recent, "d_prob_real").mean()),
        "d_prob_fake": float(_column(recent, "d_prob_fake").mean()),
        "d_loss": float(d_loss.mean()),
        "d_loss_var": float(d_loss.var()),
        "steps": int(len(recent)),
    }


def d_wins(rows: np.ndarray, step: int) -> HealthWarning | None:
    """D rejects the fakes with confidence for D_WINS_WINDOW steps (whichever G loss)."""
    if len(rows) < D_WINS_WINDOW:
        return None
    recent = np.asarray(rows)[-D_WINS_WINDOW:]
    fake, real = _column(recent, "d_prob_fake").mean(), _column(recent, "d_prob_real").mean()
    if fake <= D_WINS_FAKE_PROB and real >= D_WINS_REAL_PROB:
        return HealthWarning(
            D_WINS,
            step,
            f"D's mean verdict is {fake:.3f} on fakes and {real:.2f} on real "
            f"images over {D_WINS_WINDOW} steps: D loss heads to 0 and G gets little gradient.",
            "the non-saturating G loss, label smoothing or flips, a lower D learning rate or fewer D steps per G step.",
        )
    return None


def exploding_gradients(rows: np.ndarray, step: int) -> HealthWarning | None:
    """The median gradient norm of D or G over GRAD_WINDOW steps is above GRAD_LIMIT."""
    if len(rows) < GRAD_WINDOW:
        return None
    recent = np.asarray(rows)[-GRAD_WINDOW:]
    norms = {
        "D": float(np.median(_column(recent, "d_grad_norm"))),
        "G": float(np.median(_column(recent, "g_grad_norm"))),
    }
    net, norm = max(norms.items(), key=lambda kv: kv[1])
    if norm > GRAD_LIMIT:
        return HealthWarning(
            EXPLODING,
            step,
            f"{net}'s gradient norm is {norm:.0f} (median of {GRAD_WINDOW} steps), above {GRAD_LIMIT:.0f}.",
            "lower learning rates, BatchNorm on, or label smoothing.",
        )
    return None


def fooling_with_garbage(
    g_loss_by_epoch: Sequence[float], quality_by_epoch: Sequence[float], step: int, epoch: int
) -> HealthWarning | None:
    """G's epoch-mean loss fell at each of the last QUALITY_EPOCHS epochs while the quality
    meter (higher is better, e.g. the recognized share in [0, 1]) fell at each of them, by
    at least QUALITY_DROP in all. Both sequences are per epoch, oldest first."""
    g, q = list(g_loss_by_epoch)[-QUALITY_EPOCHS:], list(quality_by_epoch)[-QUALITY_EPOCHS:]
    if len(g) < QUALITY_EPOCHS or len(q) < QUALITY_EPOCHS:
        return None
    g_falls = all(b < a for a, b in zip(g, g[1:]))
    q_falls = all(b < a for a, b in zip(q, q[1:])) and q[0] - q[-1] >= QUALITY_DROP
    if g_falls and q_falls:
        return HealthWarning(
            FOOLING,
            step,
            f"over {QUALITY_EPOCHS} epochs G's loss fell from {g[0]:.2f} to "
            f"{g[-1]:.2f} while quality fell from {q[0]:.2f} to {q[-1]:.2f}: G fools this D "
            "without getting better.",
            "label smoothing or flips, dropout in D, or more D steps per G step.",
            epoch,
        )
    return None


def real_diversity(images_uint8: np.ndarray, seed: int = 0, n: int = REAL_SUBSET) -> float:
    """Diversity (monitor.sample_diversity) of a random subset of n real images, so that a
    class-sorted file does not give a one-class reference. Images (N, H, W, C) uint8."""
    pick = np.random.default_rng(seed).permutation(len(images_uint8))[:n]
    return sample_diversity(images_uint8[np.sort(pick)])


def mode_collapse(samples_uint8: np.ndarray, reference: float, step: int, epoch: int) -> HealthWarning | None:
    """The samples (n, H, W, C) uint8 from different latent points look alike: their
    diversity is below COLLAPSE_SHARE of the real reference (real_diversity)."""
    diversity = sample_diversity(samples_uint8)
    if diversity < COLLAPSE_SHARE * reference:
        return HealthWarning(
            COLLAPSE,
            step,
            f"the samples look alike (diversity {diversity:.3f} vs {reference:.3f} for real images).",
            "label smoothing or flips, BatchNorm on, or use the labels.",
            epoch,
        )
    return None


def epoch_means(values: Sequence[float], epoch_end_steps: Sequence[int]) -> list[float]:
    """Mean of a per-step series (index i is step i + 1) over each epoch, given the step at
    which each epoch ended (ascending). Epochs with no values in the series are skipped."""
    values = np.asarray(values, dtype=np.float64)
    means, start = [], 0
    for end in epoch_end_steps:
        chunk = values[start:end]
        if len(chunk):
            means.append(float(chunk.mean()))
        start = end
    return means


def quality_score(quality: dict | None) -> float | None:
    """The higher-is-better quality figure of an epoch's quality dict: the recognized share
    (in [0, 1]) when the data set has a judge, else None."""
    if not quality:
        return None
    share = quality.get("recognized_share")
    return float(share) if share is not None else None


class HealthWatch:
    """The step-level checks over a sliding window of rows, one warning per episode:
    a named warning fires when its condition turns true and again only after it cleared."""

    def __init__(self, window: int = max(D_WINS_WINDOW, LOSS_VAR_WINDOW, GRAD_WINDOW)):
        self.rows: deque = deque(maxlen=window)
        self.active: set = set()

    def clear(self) -> None:
        """Forget the window and the active warnings (after a roll-back to an earlier step)."""
        self.rows.clear()
        self.active.clear()

    def extend(self, rows) -> None:
        """Add per-step rows (n, len(METRIC_NAMES)), newest last."""
        self.rows.extend(np.asarray(rows, dtype=np.float64))

    def check(self, step: int) -> list[HealthWarning]:
        """Warnings that start at `step` (the newest row's step)."""
        window = np.asarray(self.rows)
        if window.size == 0:
            return []
        return self.fresh({D_WINS: d_wins(window, step), EXPLODING: exploding_gradients(window, step)})

    def fresh(self, results: dict) -> list[HealthWarning]:
        """From {name: warning or None}, the warnings not active before; updates the active set."""
        out = []
        for name, warning in results.items():
            if warning is None:
                self.active.discard(name)
            elif name not in self.active:
                self.active.add(name)
                out.append(warning)
        return out


def recent_rows(series: dict, n: int = LOSS_VAR_WINDOW) -> np.ndarray:
    """The last n per-step rows (n, len(METRIC_NAMES)) of a snapshot's series (name -> list);
    a name the series lacks (a run from before the health figures) reads as NaN."""
    length = len(series.get(METRIC_NAMES[0], []))
    start = max(0, length - n)
    out = np.full((length - start, len(METRIC_NAMES)), np.nan)
    for j, name in enumerate(METRIC_NAMES):
        values = series.get(name, [])
        if len(values) == length:
            out[:, j] = values[start:length]
    return out
