"""The one-line verdict of a comparison, from the two arms' snapshots."""
from __future__ import annotations

from .snapshot import Snapshot

COLLAPSED_CLASSES = 3     # this few digit classes (but some) means the generator lost modes
CLEAR_LEAD = 0.10         # recognized-share lead that counts as a real difference (256 samples)


def went_nan(snap: Snapshot) -> bool:
    """Whether the arm's warnings say a metric became NaN or +-inf."""
    return any(" became nan" in w.lower() or " became inf" in w.lower() or " became -inf" in w.lower()
               for w in snap.warnings)


def collapsed(snap: Snapshot) -> bool:
    """Mode collapse: the last rated epoch shows 1 to COLLAPSED_CLASSES digit classes, or a
    warning mentions collapse.
    """
    quality = _last_quality(snap)
    few_classes = quality is not None and 0 < quality.get("classes_present", 0) <= COLLAPSED_CLASSES
    return few_classes or any("collapse" in w.lower() for w in snap.warnings)


def _last_quality(snap: Snapshot):
    for record in reversed(snap.epochs):
        if record.quality:
            return record.quality
    return None


def _describe(name: str, snap: Snapshot, first: bool) -> str:
    if went_nan(snap):
        return f"{name}: NaN - training broke down"
    quality = _last_quality(snap)
    if quality is None:
        text = f"{name}: no finished epoch yet" if not snap.epochs else f"{name}: no digit quality figures"
    else:
        share = f"{100 * quality['recognized_share']:.0f}%"
        classes = quality["classes_present"]
        digits = f"{classes} digit" + ("" if classes == 1 else "s")
        text = f"{name}: {share} recognizable, {digits}" if first else f"{name}: {share}, {digits}"
    return text + (" - mode collapse" if collapsed(snap) else "")


def verdict(snap_a: Snapshot, snap_b: Snapshot) -> str:
    """E.g. "A: 91% recognizable, 10 digits; B: 12%, 3 digits - mode collapse. A is clearly ahead."."""
    text = f"{_describe('A', snap_a, True)}; {_describe('B', snap_b, False)}"
    qa, qb = _last_quality(snap_a), _last_quality(snap_b)
    nan_a, nan_b = went_nan(snap_a), went_nan(snap_b)
    if nan_a != nan_b:
        return text + f". {'B' if nan_a else 'A'} is ahead."
    if qa is None or qb is None or nan_a:
        return text + "."
    lead = qa["recognized_share"] - qb["recognized_share"]
    if abs(lead) >= CLEAR_LEAD:
        return text + f". {'A' if lead > 0 else 'B'} is clearly ahead."
    return text + ". Too close to call."
