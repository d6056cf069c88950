"""Which curve a comparison moved: the answer to the optional half of "What do you expect?"
("which curve moves?").

Each of the Compare page's curves (D's loss, G's loss, D's accuracy on real and on fake) is
read over the late half of each arm's steps, where the hack has had time to act: the shift
between the arms' means is measured in units of the curves' own step-to-step wobble there (the
pooled standard deviation of the per-step values). The quality's shift is its lead in the
headline score over the verdict's CLEAR_LEAD. The curve that moved is the one with the largest
shift, when that shift is at least 1 (a move as large as the wobble is plain on the plot);
otherwise no curve moved clearly. Pure functions of snapshots (gan_core.run.snapshot.Snapshot)
with their per-step series.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gan_core.compare.verdict import CLEAR_LEAD, last_quality
from gan_core.metrics.wording import headline
from gan_core.run.snapshot import Snapshot

# The Compare page's curves, each as the per-step series it draws (D's loss: real + fake).
CURVE_SERIES = {
    "D's loss": ("d_loss_real", "d_loss_fake"),
    "G's loss": ("g_loss",),
    "D's accuracy on real": ("d_acc_real",),
    "D's accuracy on fake": ("d_acc_fake",),
}
QUALITY = "the quality"
CURVES = (*CURVE_SERIES, QUALITY)  # the names a prediction may give
LATE_SHARE = 0.5  # the late part of a run read for the shift: its last half of steps
MIN_STEPS = 20  # fewer late steps in an arm than this: the curve is not judged
CLEAR_SHIFT = 1.0  # a shift of at least one wobble (one pooled std) is a clear move


def _late(snaps: Sequence[Snapshot], names: tuple[str, ...]) -> list[np.ndarray]:
    """Per seed, the late part of the curve: the sum of `names`' per-step series, finite values only."""
    out = []
    for snap in snaps:
        columns = [np.asarray(snap.series.get(name, ()), dtype=np.float64) for name in names]
        length = min((len(c) for c in columns), default=0)
        if not length:
            continue
        values = np.sum([c[:length] for c in columns], axis=0)[int(length * (1 - LATE_SHARE)) :]
        values = values[np.isfinite(values)]
        if len(values) >= MIN_STEPS:
            out.append(values)
    return out


def curve_shift(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], names: tuple[str, ...]) -> float | None:
    """|mean A - mean B| of the curve summed from `names` over each arm's late steps (seeds
    pooled), in units of the pooled per-step standard deviation; None when an arm has too few
    late steps. A flat, identical pair gives 0; a curve that never wobbles but differs, inf."""
    late_a, late_b = _late(snaps_a, names), _late(snaps_b, names)
    if not late_a or not late_b:
        return None
    a, b = np.concatenate(late_a), np.concatenate(late_b)
    wobble = np.sqrt((a.var() * len(a) + b.var() * len(b)) / (len(a) + len(b)))
    gap = abs(a.mean() - b.mean())
    if wobble == 0:
        return 0.0 if gap == 0 else float("inf")
    return float(gap / wobble)


def quality_shift(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> float | None:
    """|lead| in the headline score of the arms' last rated epochs (seeds averaged) over the
    verdict's CLEAR_LEAD; None when an arm has no quality figures."""
    means = []
    for snaps in (snaps_a, snaps_b):
        scores = [headline(q)[1] for q in (last_quality(s) for s in snaps) if q is not None]
        if not scores:
            return None
        means.append(sum(scores) / len(scores))
    return abs(means[0] - means[1]) / CLEAR_LEAD


def shifts(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> dict[str, float]:
    """Every judged curve's shift (see the module's docstring), by its name in CURVES."""
    out = {name: curve_shift(snaps_a, snaps_b, series) for name, series in CURVE_SERIES.items()}
    out[QUALITY] = quality_shift(snaps_a, snaps_b)
    return {name: shift for name, shift in out.items() if shift is not None}


def moved_curve(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> str | None:
    """The curve (a name in CURVES) the comparison moved most, when its shift is at least
    CLEAR_SHIFT; None when none moved clearly or none could be judged. Arms given as their
    seeds' snapshots (one each for a plain comparison), with per-step series."""
    judged = shifts(snaps_a, snaps_b)
    if not judged:
        return None
    name = max(judged, key=judged.get)
    return name if judged[name] >= CLEAR_SHIFT else None
