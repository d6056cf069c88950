"""The lines a comparison shows: while it builds, when arms stop on their own, and the one it
ends with (steps, epochs and seconds of training per arm, per run for a careful one, counted
from the saved epoch a branch comparison went on from)."""

from __future__ import annotations

from collections.abc import Sequence

from gan_core.compare.arm import Arm
from gan_core.store.branch import BranchPoint


def _passes(steps: int, steps_per_epoch: int) -> str:
    return f"{steps / steps_per_epoch:.1f}".removesuffix(".0")


def finished_message(arms: Sequence[Arm], start: BranchPoint | None) -> str:
    """E.g. "Finished: 40 steps for A and 40 for B (2 epochs), 9 s (A) and 11 s (B) of training."
    for a plain comparison's two `arms`; with a `start`, the steps and seconds after it and
    "after epoch N of RUN"."""
    a, b = arms
    first, seconds = (start.step, start.elapsed) if start is not None else (0, 0.0)
    passes = [_passes(arm.steps - first, arm.steps_per_epoch) for arm in arms]
    epochs = f"{passes[0]} epochs" if passes[0] == passes[1] else f"{passes[0]} and {passes[1]} epochs"
    after = f" after epoch {start.epoch} of {start.parent_id}" if start is not None else ""
    return (
        f"Finished: {a.steps - first} steps for A and {b.steps - first} for B ({epochs}){after}, "
        f"{a.elapsed - seconds:.0f} s (A) and {b.elapsed - seconds:.0f} s (B) of training."
    )


def careful_finished_message(arms: Sequence[Arm], seeds: Sequence[int]) -> str:
    """E.g. "Finished: 20 steps for each of A and B in 3 seeds (5, 6, 7; 1 epoch), 3 to 5 s of
    training per run." for a careful comparison's runs (`arms`, A and B of each seed)."""
    steps = sorted({arm.steps for arm in arms})
    seconds = [arm.elapsed for arm in arms]
    each = f"{steps[-1]:,} steps" if len(steps) == 1 else f"{steps[0]:,} to {steps[-1]:,} steps"
    passes = {_passes(arm.steps, arm.steps_per_epoch) for arm in arms if arm.alive}
    epochs = f"{' and '.join(sorted(passes, key=float))} epoch" + ("" if passes == {"1"} else "s")
    return (
        f"Finished: {each} for each of A and B in {len(seeds)} seeds ({', '.join(map(str, seeds))}; {epochs}), "
        f"{min(seconds):.0f} to {max(seconds):.0f} s of training per run."
    )


def building_message(careful: bool, runs: int) -> str:
    """The line shown while the data loads and the `runs` networks (2, or 6 when careful) build."""
    return f"Loading data and building {'both networks' if not careful else f'the {runs} networks'}…"


def stopped_arms_message(arms: Sequence[Arm], careful: bool) -> str | None:
    """E.g. "B: NaN - that arm stopped, the other goes on." for arms stopped on their own
    (each by its `dead_reason`'s first part); None while every arm trains."""
    dead = [f"{arm.name}: {arm.dead_reason.split(':')[0]}" for arm in arms if not arm.alive]
    if not dead:
        return None
    others = "the others go on" if careful else "the other goes on"
    return "; ".join(dead) + f" - {'those runs' if len(dead) > 1 else 'that arm'} stopped, {others}."
