"""One arm of an A/B comparison: a GanStep with its own Board, epoch-end work and counters.

The per-flush work it shares with the single-run trainer lives in gan_core/run/loop.py:
fetching metrics with the health checks (flush_metrics) and the learning-rate decay
(learning_rate_factor, which job.py computes once for both arms).
"""

from __future__ import annotations

import time
from collections import deque

from gan_core.config.tree import TrainConfig
from gan_core.data import ImageSet
from gan_core.run import epoch_end, units
from gan_core.run.health_watch import HealthWatch
from gan_core.run.loop import flush_metrics
from gan_core.run.snapshot import Board, EpochRecord
from gan_core.step.gan_step import GanStep, order_digest


class Arm:
    """Everything one side of the comparison owns; driven step by step by the comparison thread."""

    def __init__(self, name: str, cfg: TrainConfig, data: ImageSet, board: Board):
        self.name = name
        self.cfg = cfg
        self.board = board
        self.step = GanStep(cfg, data.images, labels=data.labels)
        self.epoch_end = epoch_end.EpochEnd(cfg, self.step, data, None, board)
        self.counters = {"step": 0, "epoch": 0, "elapsed": 0.0}
        self.pending: list = []
        self.recent = HealthWatch()  # the step-level health checks
        self.compiled = False
        self.steps_per_epoch = units.steps_per_epoch(len(data), cfg.run.batch_size, cfg.hacks.d_steps)
        self.graded_step = -1  # the step of the last grid and quality
        self._step_seconds: deque = deque(maxlen=units.RATE_WINDOW)
        self.dead_reason = ""  # set when its metrics went NaN/inf: it trains no further
        self.order_digests = [order_digest(self.step.order.numpy())]  # one per epoch started

    @property
    def alive(self) -> bool:
        """False once a metric went NaN/inf: the arm trains no further."""
        return not self.dead_reason

    def release(self) -> None:
        """Drop the models, optimizers and data once training is over; counters, digests and
        the board (all that is shown afterwards) stay."""
        self.step = None
        self.epoch_end = None
        self.pending = []

    @property
    def steps(self) -> int:
        """Training steps this arm has made."""
        return self.counters["step"]

    @property
    def elapsed(self) -> float:
        """This arm's budget seconds: its own steps and epoch ends (the one-off compile excluded), as on Train."""
        return self.counters["elapsed"]

    def train_one(self) -> None:
        """One training step, timed on its own so each arm's time is its own."""
        t0 = time.perf_counter()
        self.pending.append(self.step.step())
        seconds = time.perf_counter() - t0
        self.counters["step"] += 1
        if self.step.traces == 1 and not self.compiled:
            # The one-off trace is not training time: keep it out of the budget.
            self.compiled = True
            self.board.update(compile_seconds=seconds)
        else:
            self.counters["elapsed"] += seconds
            self._step_seconds.append(seconds)

    def flush(self, lr_factor: float, progress: float = 0.0) -> None:
        """Fetch the pending metrics onto the board, run the health checks, set the learning rates.

        The learning rates become the configured ones times `lr_factor` (in (0, 1], the shared decay);
        `progress` (0..1, the shared share of the budget spent) drives the instance noise's decay.
        A NaN/inf metric marks the arm dead and its board "stopped".
        """
        problem = flush_metrics(self.board, self.pending, self.steps, self.recent)
        self.pending = []
        opt = self.cfg.optimizer
        self.step.set_learning_rates(opt.d_learning_rate * lr_factor, opt.g_learning_rate * lr_factor)
        self.step.set_budget_progress(progress)
        self.board.update(step=self.steps, elapsed=self.elapsed, steps_per_s=units.steps_per_second(self._step_seconds))
        if problem:
            self.dead_reason = problem
            self.board.update(state="stopped", message=f"{self.name} stopped: {problem.split(':')[0]}.")

    def finish_epoch(self) -> EpochRecord:
        """Grid, quality and health checks for the epoch just done; reshuffles the data.

        Its time is charged to the arm, as a single run's epoch end is (units.py); the judge
        is warmed up when the arm is built, so no arm pays for that.
        """
        t0 = time.perf_counter()
        self.counters["epoch"] += 1
        record = self.epoch_end.finish_epoch(self.counters, self.cfg)
        self.counters["elapsed"] += time.perf_counter() - t0
        self.graded_step = self.steps
        self.order_digests.append(order_digest(self.step.order.numpy()))
        self.board.update(epoch=self.counters["epoch"])
        return record
