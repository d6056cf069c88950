"""Pieces of the training loop shared by the Trainer and the Compare job."""
from __future__ import annotations

from collections import deque
from typing import Optional

import numpy as np

from gan_core.training import health as monitor
from gan_core.config import OptimizerConfig, RunConfig
from gan_core.training.snapshot import Board
from gan_core.training.step import METRIC_NAMES


def flush_metrics(board: Board, pending: list, last_step: int, recent: deque) -> Optional[str]:
    """Fetch pending per-step metric tensors onto the board and run the health checks.

    Returns the NaN/inf message when a metric is not finite (the caller decides whether
    to pause or stop), else None. A long-winning discriminator only adds a warning.
    """
    if not pending:
        return None
    rows = np.stack([np.asarray(m) for m in pending]).astype(np.float64)
    board.extend_series(rows)
    problem = monitor.non_finite_message(rows, last_step - len(pending) + 1, METRIC_NAMES)
    if problem:
        board.warn(problem)
        return problem
    recent.extend(rows)
    window = np.asarray(recent)
    wins = monitor.discriminator_wins_message(list(window[:, 4]), list(window[:, 2]))
    if wins:
        board.warn(wins)
    return None


def budget_progress(run: RunConfig, elapsed: float, step: int, steps_per_epoch: int) -> float:
    """The share of the run's budget spent, 0..1: training seconds against max_seconds or steps
    against the epochs' steps, whichever is further; 0 throughout when the run has no budget."""
    progress = 0.0
    if run.max_seconds:
        progress = elapsed / run.max_seconds
    if run.epochs:
        progress = max(progress, step / (run.epochs * max(1, steps_per_epoch)))
    return min(1.0, progress)


def learning_rate_factor(opt: OptimizerConfig, run: RunConfig, elapsed: float, step: int,
                         steps_per_epoch: int) -> float:
    """Linear decay towards final_lr_fraction over the budget (whichever of time or steps is further)."""
    return 1.0 - (1.0 - opt.final_lr_fraction) * budget_progress(run, elapsed, step, steps_per_epoch)
