"""The health checks of a run, published on its board: per flush (NaN/inf, D wins, exploding
gradients) and per epoch (mode collapse, G fooling D with garbage); the checks themselves
are in health.py and health_watch.py."""

from __future__ import annotations

import numpy as np

from gan_core.run import health as monitor
from gan_core.run import health_watch as health
from gan_core.run.snapshot import Board
from gan_core.step.gan_step import METRIC_NAMES


def publish(board: Board, warning: health.HealthWarning) -> None:
    """Show a named health warning: its line among the board's warnings and the structured
    record in `health_events` (the Train page's panel, the CLI, the run's health.jsonl)."""
    board.warn(warning.text)
    board.update(health_events=tuple(board.get("health_events", ())) + (warning.to_dict(),))


def flush_metrics(board: Board, pending: list, last_step: int, recent: health.HealthWatch) -> str | None:
    """Fetch pending metric tensors (each one step's (11,) or several steps' (n, 11)) onto the
    board and run the health checks.

    Returns the NaN/inf message when a metric is not finite (the caller decides whether
    to pause or stop), else None. The step-level health checks (D wins, exploding
    gradients) only add named warnings.
    """
    if not pending:
        return None
    rows = np.concatenate([np.asarray(m).reshape(-1, len(METRIC_NAMES)) for m in pending]).astype(np.float64)
    board.extend_series(rows)
    problem = monitor.non_finite_message(rows, last_step - len(rows) + 1, METRIC_NAMES)
    if problem:
        board.warn(problem)
        return problem
    recent.extend(rows)
    for warning in recent.check(last_step):
        publish(board, warning)
    return None


def epoch_checks(
    board: Board,
    watch: health.HealthWatch,
    samples_uint8: np.ndarray,
    reference: float,
    step: int,
    epoch: int,
    quality: dict | None,
) -> None:
    """The epoch-level health checks, published on the board: mode collapse over the
    epoch's samples (from step MIN_COLLAPSE_STEP on) against the real `reference`
    diversity, and G's loss falling while the quality meter falls (the board's epochs so
    far plus this one, whose `quality` is not on the board yet)."""
    snap = board.snapshot()
    ends = [r.step for r in snap.epochs] + [step]
    scores = [health.quality_score(r.quality) for r in snap.epochs] + [health.quality_score(quality)]
    g_means = health.epoch_means(snap.series["g_loss"], ends)
    fooling = None
    if None not in scores[-health.QUALITY_EPOCHS :] and len(g_means) == len(ends):
        fooling = health.fooling_with_garbage(g_means, scores, step, epoch)
    collapse = health.mode_collapse(samples_uint8, reference, step, epoch) if step >= health.MIN_COLLAPSE_STEP else None
    for warning in watch.fresh({health.COLLAPSE: collapse, health.FOOLING: fooling}):
        publish(board, warning)
