"""The playground's schedules over a timed run's budget: the learning-rate decay and the
share of the budget spent (which instance noise decays over). Pure functions of seconds.
"""

from __future__ import annotations


def budget_share(elapsed: float, budget: float) -> float:
    """The share of a timed run's `budget` seconds spent after `elapsed`, 0..1 (0 without a
    budget): the instance noise decays linearly to 0 over it."""
    return min(elapsed / budget, 1.0) if budget > 0 else 0.0


def decay_scale(elapsed: float, budget: float, final_fraction: float) -> float:
    """The learning-rate factor after `elapsed` of `budget` seconds: linear from 1 down to
    `final_fraction`, then held there; 1.0 when there is no budget (0)."""
    if budget <= 0:
        return 1.0
    return 1.0 - (1.0 - final_fraction) * min(elapsed / budget, 1.0)
