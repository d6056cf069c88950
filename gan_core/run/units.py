"""The units a run is measured in, defined once for the Train page, the CLI and Compare.

- An epoch is one pass over the real images (Goodfellow et al. 2014, algorithm 1):
  each step makes k discriminator rounds, and each round draws one half-batch of real
  images (the other half of D's batch is fake), so a step shows D k x batch/2 real images.
- The time budget counts the seconds spent in training steps plus the epoch-end work
  (grid, quality, saving), on Train and on Compare alike; the one-off compile of the step
  and pauses are not counted.
- Steps per second is steps divided by the seconds spent inside those steps, over the
  last RATE_WINDOW steps: a pure training speed, the same figure on both pages.
"""

from __future__ import annotations

from collections.abc import Iterable

RATE_WINDOW = 50  # steps; about 1-3 s at the default preset's speed on two cores


def real_images_per_step(batch_size: int, d_steps: int) -> int:
    """Real images one step shows D: k rounds of one half-batch (batch_size // 2) each.

    Raises ValueError for a batch below 2 or k below 1.
    """
    if batch_size < 2 or d_steps < 1:
        raise ValueError(f"batch size must be at least 2 and D steps at least 1, got {batch_size} and {d_steps}")
    return (batch_size // 2) * d_steps


def steps_per_epoch(n_images: int, batch_size: int, d_steps: int = 1) -> int:
    """Steps in one pass over `n_images` real images: floor(n / (k x batch/2)), at least 1.

    The remainder (fewer images than one step draws) is left out, as a batched pass drops
    its last partial batch. Example: 5,000 images at batch 32 and k = 1 is 312 steps.
    """
    return max(1, n_images // real_images_per_step(batch_size, d_steps))


def steps_per_second(step_seconds: Iterable[float]) -> float:
    """Steps per second over the given durations of single steps (seconds each, compile
    excluded by the caller): len / sum; 0.0 when there are none."""
    durations = list(step_seconds)
    total = sum(durations)
    return len(durations) / total if total > 0 else 0.0
