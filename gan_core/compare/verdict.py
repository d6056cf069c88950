"""The one-line verdict of a comparison, from the two arms' snapshots."""

from __future__ import annotations

from gan_core.metrics import upgrade_quality
from gan_core.metrics.wording import headline
from gan_core.run.snapshot import Snapshot

COLLAPSED_CLASSES = 3  # this few classes (but some) means the generator lost modes
CLEAR_LEAD = 0.10  # lead in the headline score (recognized share, or mean of precision
# and recall) that counts as a real difference (256 samples)


def went_nan(snap: Snapshot) -> bool:
    """Whether the arm's warnings say a metric became NaN or +-inf."""
    return any(
        " became nan" in w.lower() or " became inf" in w.lower() or " became -inf" in w.lower() for w in snap.warnings
    )


def collapsed(snap: Snapshot) -> bool:
    """Mode collapse: the last rated epoch shows 1 to COLLAPSED_CLASSES digit classes, or a
    warning mentions collapse.
    """
    quality = last_quality(snap)
    few_classes = quality is not None and 0 < (quality.get("classes_present") or 0) <= COLLAPSED_CLASSES
    return few_classes or any("collapse" in w.lower() for w in snap.warnings)


def last_quality(snap: Snapshot) -> dict | None:
    """The quality figures (today's keys) of the arm's last rated epoch, or None before one."""
    for record in reversed(snap.epochs):
        if record.quality:
            return upgrade_quality(record.quality)
    return None


def _describe(name: str, snap: Snapshot) -> str:
    if went_nan(snap):
        return f"{name}: NaN - training broke down"
    quality = last_quality(snap)
    if quality is None:
        text = f"{name}: no finished epoch yet" if not snap.epochs else f"{name}: no quality figures"
    else:
        text = f"{name}: {headline(quality)[0]}"
    return text + (" - mode collapse" if collapsed(snap) else "")


# What a comparison came out as (`outcome`), in the words of a prediction ("What do you expect?").
A_BETTER, B_BETTER, ABOUT_SAME = "A better", "B better", "about the same"
OUTCOMES = (A_BETTER, B_BETTER, ABOUT_SAME)


def outcome(snap_a: Snapshot, snap_b: Snapshot) -> str | None:
    """What the verdict says, machine-readable: A_BETTER or B_BETTER when one arm is clearly
    ahead (or the other broke down with NaN), ABOUT_SAME when it is too close to call, None
    when it cannot say (an arm without quality figures, or both broke down)."""
    nan_a, nan_b = went_nan(snap_a), went_nan(snap_b)
    if nan_a != nan_b:
        return B_BETTER if nan_a else A_BETTER
    qa, qb = last_quality(snap_a), last_quality(snap_b)
    if qa is None or qb is None or nan_a:
        return None
    lead = headline(qa)[1] - headline(qb)[1]
    if abs(lead) >= CLEAR_LEAD:
        return A_BETTER if lead > 0 else B_BETTER
    return ABOUT_SAME


def verdict(snap_a: Snapshot, snap_b: Snapshot) -> str:
    """E.g. "A: 91% recognized, 10 digits; B: 12% recognized, 3 digits - mode collapse. A is clearly ahead."
    (MNIST judge) or "A: precision 62%, recall 41%; B: ..." (label-free)."""
    text = f"{_describe('A', snap_a)}; {_describe('B', snap_b)}"
    said = outcome(snap_a, snap_b)
    if said is None:
        return text + "."
    if said == ABOUT_SAME:
        return text + ". Too close to call."
    ahead = "A" if said == A_BETTER else "B"
    if went_nan(snap_a) != went_nan(snap_b):
        return text + f". {ahead} is ahead."
    return text + f". {ahead} is clearly ahead."
