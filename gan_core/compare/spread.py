"""A careful comparison's arithmetic: how far each arm's figures spread over its seeds, and
whether the difference between the arms is larger than that spread. Pure functions of
numbers and snapshots (gan_core.run.snapshot.Snapshot).

The spread is the range, min to max over the seeds, not a standard deviation: with three
seeds a standard deviation is a poor estimate, while the range shows every seed. The rule
(`within_noise`): a difference of the arms' means no larger than the wider of the two ranges
is "within noise". For normal noise of one std σ per seed, three seeds' range averages
about 1.69σ and the difference of two means of three has a std of about 0.82σ, so the rule
asks for a difference of roughly two standard errors before it names a winner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gan_core.compare.verdict import A_BETTER, ABOUT_SAME, B_BETTER, collapsed, last_quality, went_nan
from gan_core.metrics import upgrade_quality
from gan_core.metrics.wording import headline
from gan_core.run.snapshot import Snapshot


@dataclass(frozen=True)
class Spread:
    """One figure over the seeds of one arm: its mean, lowest and highest value, and `n`, the
    seeds that had it (units as the figure's: a share in [0, 1], a distance >= 0)."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def width(self) -> float:
        """The range, high - low (0 for one seed)."""
        return self.high - self.low


def spread(values: Sequence[float | None]) -> Spread | None:
    """The Spread of the finite values among `values` (None, NaN and inf skipped: a seed
    without the figure); None when none is finite."""
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if not finite:
        return None
    return Spread(sum(finite) / len(finite), min(finite), max(finite), len(finite))


def within_noise(a: Spread, b: Spread) -> bool:
    """The rule: |mean_A - mean_B| <= max(range_A, range_B) (module docstring says why)."""
    return abs(a.mean - b.mean) <= max(a.width, b.width)


def band(series: Sequence[Sequence[float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per index over the seeds' series (float64 arrays of the longest series' length): the
    mean, the min and the max of the seeds that have a finite value there (a seed stopped by
    NaN has a shorter or non-finite tail); NaN where none has. Empty input: three empty arrays.
    """
    length = max((len(s) for s in series), default=0)
    grid = np.full((len(series), length), np.nan)
    for row, values in zip(grid, series):
        row[: len(values)] = np.asarray(values, dtype=np.float64)
    grid[~np.isfinite(grid)] = np.nan
    counts = np.sum(~np.isnan(grid), axis=0)
    filled = np.where(np.isnan(grid), 0.0, grid)
    low = np.where(np.isnan(grid), np.inf, grid).min(axis=0, initial=np.inf)
    high = np.where(np.isnan(grid), -np.inf, grid).max(axis=0, initial=-np.inf)
    none = counts == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / counts
    return (np.where(none, np.nan, mean), np.where(none, np.nan, low), np.where(none, np.nan, high))


def score(quality: dict) -> float:
    """The headline score of one quality dict (verdict's: recognized share, or the mean of
    precision and recall without a judge), in [0, 1]."""
    return headline(quality)[1]


def distance(quality: dict) -> float | None:
    """The quality dict's distance to the data (lower is better): the Fréchet distance on the
    judge's features, the kernel distance without a judge; None when it has none."""
    key = "kernel_distance" if quality.get("meter") == "label-free" else "frechet_distance"
    value = quality.get(key)
    return None if value is None else float(value)


def epoch_spreads(snaps: Sequence[Snapshot], figure) -> list[tuple[int, Spread]]:
    """(epoch, Spread of `figure(quality)` over the seeds) for every epoch some seed rated, in
    order; `figure` is `score` or `distance`."""
    by_epoch: dict[int, list] = {}
    for snap in snaps:
        for record in snap.epochs:
            if record.quality:
                by_epoch.setdefault(record.epoch, []).append(figure(upgrade_quality(record.quality)))
    return [(epoch, s) for epoch, values in sorted(by_epoch.items()) if (s := spread(values)) is not None]


@dataclass(frozen=True)
class CarefulVerdict:
    """What a careful comparison found: per arm the Spread of the headline score and of the
    distance over its seeds' last rated epochs (None without any), whether each difference is
    within noise (None when either arm lacks two seeds with it), and the one-line `text`."""

    score_a: Spread | None
    score_b: Spread | None
    distance_a: Spread | None
    distance_b: Spread | None
    score_within_noise: bool | None
    distance_within_noise: bool | None
    text: str


def _judged(a: Spread | None, b: Spread | None) -> bool | None:
    return None if a is None or b is None or min(a.n, b.n) < 2 else within_noise(a, b)


def _seed_notes(snaps: Sequence[Snapshot]) -> str:
    n = len(snaps)
    broke = sum(went_nan(s) for s in snaps)
    lost = sum(collapsed(s) and not went_nan(s) for s in snaps)
    notes = [f"{broke} of {n} seeds broke down (NaN)"] * bool(broke) + [f"mode collapse in {lost} of {n}"] * bool(lost)
    return f" - {', '.join(notes)}" if notes else ""


def careful_verdict(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> CarefulVerdict:
    """The verdict of a careful comparison from each arm's snapshots, one per seed: each arm's
    headline score as mean (min-max) over its seeds' last rated epochs, the difference of the
    means against the seeds' spread (`within_noise`), then the distances the same way. A seed
    stopped by NaN counts in the notes, not in the spread. E.g. "A: 48% recognized (45-51%);
    B: 41% recognized (38-44%); 3 seeds each. A - B = +7 points, within noise (one arm's seeds
    spread over up to 8 points). Fréchet distance A 20.5 (19.0-22.1), B 27.0 (25.0-29.3): A's
    is lower, beyond noise."
    """
    arms = (("A", snaps_a), ("B", snaps_b))
    quality = {arm: [q for s in snaps if not went_nan(s) and (q := last_quality(s))] for arm, snaps in arms}
    rated = quality["A"] + quality["B"]
    if not rated:
        started = any(s.epochs for s in (*snaps_a, *snaps_b))
        return CarefulVerdict(None, None, None, None, None, None, _UNRATED[started])
    sa, sb = (spread([score(q) for q in quality[arm]]) for arm in "AB")
    da, db = (spread([distance(q) for q in quality[arm]]) for arm in "AB")
    label_free = rated[0].get("meter") == "label-free"
    what = "quality score" if label_free else "recognized"
    parts = []
    for (arm, snaps), s in zip(arms, (sa, sb)):
        shown = (
            "no quality figures"
            if s is None
            else f"{s.mean:.0%} {what} " + ("(1 seed)" if s.n == 1 else f"({100 * s.low:.0f}–{s.high:.0%})")
        )
        parts.append(f"{arm}: {shown}{_seed_notes(snaps)}")
    score_ok, distance_ok = _judged(sa, sb), _judged(da, db)
    text = "; ".join(parts) + f"; {len(snaps_a)} seeds each. " + _score_sentence(sa, sb, score_ok)
    if distance_ok is not None:
        text += " " + _distance_sentence(da, db, distance_ok, label_free)
    return CarefulVerdict(sa, sb, da, db, score_ok, distance_ok, text)


_UNRATED = {False: "A and B: no finished epoch yet.", True: "A and B: no quality figures."}


def _score_sentence(sa: Spread | None, sb: Spread | None, ok: bool | None) -> str:
    if ok is None:
        return "Too few seeds with quality figures to tell noise from a difference."
    gap, widest = 100 * (sa.mean - sb.mean), 100 * max(sa.width, sb.width)
    # Whole points, unless rounding would show the two as equal while the rule tells them apart.
    digits = 1 if f"{abs(gap):.0f}" == f"{widest:.0f}" else 0
    if ok:
        return (
            f"A − B = {gap:+.{digits}f} points, within noise "
            f"(one arm's seeds spread over up to {widest:.{digits}f} points)."
        )
    ahead = "A" if gap > 0 else "B"
    return (
        f"A − B = {gap:+.{digits}f} points, beyond the seeds' spread "
        f"(up to {widest:.{digits}f} points): {ahead} is ahead."
    )


def _distance_sentence(da: Spread, db: Spread, ok: bool, label_free: bool) -> str:
    name, digits = ("Kernel distance", 4) if label_free else ("Fréchet distance", 1)
    shown = ", ".join(
        f"{arm} {d.mean:.{digits}f} ({d.low:.{digits}f}–{d.high:.{digits}f})" for arm, d in (("A", da), ("B", db))
    )
    lower = "A" if da.mean < db.mean else "B"
    judged = "within noise" if ok else f"{lower}'s is lower, beyond noise"
    return f"{name} {shown}: {judged}."


def careful_outcome(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> str | None:
    """What a careful comparison came out as, in a prediction's words (gan_core.compare.verdict's
    OUTCOMES): ABOUT_SAME when the headline scores' difference is within noise, else the arm
    with the higher mean score; None when too few seeds have quality figures to tell."""
    found = careful_verdict(snaps_a, snaps_b)
    if found.score_within_noise is None:
        return None
    if found.score_within_noise:
        return ABOUT_SAME
    return A_BETTER if found.score_a.mean > found.score_b.mean else B_BETTER
