"""One run's loop, driven step by step by its thread: the Trainer's (one run) and the Compare
job's (two runs, interleaved A, B, A, B, ...).

`RunLoop` takes its compiled step from the process's step cache (gan_core/step/cache.py) and
gives it back when the run ends, so neither a training nor a comparison traces a
configuration the server has traced before: each trace keeps native memory for good. The
thread that drives it decides when to flush, when to stop and what the learning rates are:
the Trainer from its own budget, Compare from the two arms' shared progress.
"""

from __future__ import annotations

import time
from collections import deque

from gan_core.config.tree import OptimizerConfig, RunConfig, TrainConfig
from gan_core.data import ImageSet
from gan_core.run import epoch_end, units
from gan_core.run.checks import flush_metrics
from gan_core.run.health_watch import HealthWatch
from gan_core.run.saver import RunSaver
from gan_core.run.snapshot import Board, EpochRecord
from gan_core.step.cache import shared_steps
from gan_core.step.gan_step import order_digest
from gan_core.store.branch import BranchPoint


def budget_progress(run: RunConfig, elapsed: float, step: int, steps_per_epoch: int) -> float:
    """The share of the run's budget spent, 0..1: training seconds against max_seconds or steps
    against the epochs' steps, whichever is further; 0 throughout when the run has no budget."""
    progress = 0.0
    if run.max_seconds:
        progress = elapsed / run.max_seconds
    if run.epochs:
        progress = max(progress, step / (run.epochs * max(1, steps_per_epoch)))
    return min(1.0, progress)


def learning_rate_factor(
    opt: OptimizerConfig, run: RunConfig, elapsed: float, step: int, steps_per_epoch: int
) -> float:
    """Linear decay towards final_lr_fraction over the budget (whichever of time or steps is further)."""
    return 1.0 - (1.0 - opt.final_lr_fraction) * budget_progress(run, elapsed, step, steps_per_epoch)


def schedule(
    opt: OptimizerConfig, run: RunConfig, elapsed: float, step: int, steps_per_epoch: int, epochs_done: int
) -> tuple[float, float]:
    """(learning-rate factor, budget progress) for a run at `step` with `epochs_done` epochs
    finished. Both hold at (1, 0) through the first epoch: the schedule reads the clock, which
    differs from machine to machine and run to run, so holding it until the first epoch ends
    makes one seed give one first grid anywhere (an exercise link reproduces its setup). The
    decay then goes on from where the budget stands (a run resumed or branched later is past it)."""
    if epochs_done == 0:
        return 1.0, 0.0
    return (
        learning_rate_factor(opt, run, elapsed, step, steps_per_epoch),
        budget_progress(run, elapsed, step, steps_per_epoch),
    )


class RunLoop:
    """One run's loop state: the step held from the step cache, its board, counters (steps,
    epochs, budget seconds), the per-step metrics not yet flushed, the step timing, the
    epoch-end work and the step-level health watch.

    `cfg` is the run's validated config (its batch fitted to `data`), `data` the ImageSet it
    trains on, `board` where it publishes. Raises what GanStep raises for bad input (e.g.
    ValueError for fewer images than one batch). Used by one thread; `release()` when the
    run ends gives the step back for the next run of its configuration.
    """

    def __init__(self, cfg: TrainConfig, data: ImageSet, board: Board):
        self.cfg = cfg
        self.board = board
        self.step = shared_steps().acquire(cfg, data.images, data.labels)
        try:
            self.epoch_end: epoch_end.EpochEnd | None = epoch_end.EpochEnd(cfg, self.step, data, None, board)
        except BaseException:
            self.release()
            raise
        self.counters = {"step": 0, "epoch": 0, "elapsed": 0.0}
        self.steps_per_epoch = units.steps_per_epoch(len(data), cfg.run.batch_size, cfg.hacks.d_steps)
        self.pending: list = []  # metric tensors not fetched yet, (steps, 11) each
        self.recent = HealthWatch()  # the step-level health checks
        self.compiled = self.step.traces > 0  # a step reused from an earlier run is traced already
        self.graded_step = -1  # the step of the last grid and quality
        self.order_digests = [order_digest(self.step.order.numpy())]  # one per epoch started
        self._step_seconds: deque = deque(maxlen=units.RATE_WINDOW)

    @property
    def steps(self) -> int:
        """Training steps this run has made."""
        return self.counters["step"]

    @property
    def elapsed(self) -> float:
        """Budget seconds: the run's steps and epoch ends, the one-off trace excluded (units.py)."""
        return self.counters["elapsed"]

    @property
    def epoch_done(self) -> bool:
        """Whether the step has made one pass over the real images since the last epoch's end."""
        return self.step.epoch_complete

    def save_epochs_with(self, saver: RunSaver | None) -> None:
        """Checkpoint each healthy epoch's end through `saver` (None: no saving)."""
        self.epoch_end.saver = saver

    def start_from(self, point: BranchPoint) -> None:
        """Go on from a saved epoch (gan_core/store/branch.py), before the first step: its
        weights, optimizers, data order and random streams in the step, its step, epoch and
        seconds in the counters, and its history up to there on the board (curves from step
        0, grids, change markers) with `branch` marking where it starts. Both arms of a
        comparison of a branch beside its parent's continuation start so. Raises RunError
        (one line) when the checkpoint does not fit this step."""
        epoch_end.restore_point(point, self.step, self.board)
        self.counters.update(step=point.step, epoch=point.epoch, elapsed=point.elapsed)
        self.graded_step = point.step
        self.order_digests = [order_digest(self.step.order.numpy())]

    def train_one(self) -> bool:
        """One training step, timed on its own (so each arm of a comparison is charged its
        own time). True when it was the one-off trace: its seconds go to the board's
        `compile_seconds`, not to the budget."""
        return self.train_some(1)

    def train_some(self, most: int) -> bool:
        """Up to `most` steps in one compiled call (fewer where the epoch ends first; at least
        one), timed together, each charged its share. True when the call was the one-off trace:
        its seconds go to the board's `compile_seconds`, not to the budget."""
        n = max(1, min(most, self.step.steps_left_in_epoch()))
        t0 = time.perf_counter()
        self.pending.append(self.step.steps(n))
        seconds = time.perf_counter() - t0
        self.counters["step"] += n
        if not self.compiled and self.step.traces > 0:
            self.compiled = True
            self.board.update(compile_seconds=seconds)
            return True
        self.counters["elapsed"] += seconds
        self._step_seconds.extend([seconds / n] * n)
        return False

    def flush(self) -> str | None:
        """Fetch the pending metrics onto the board with the step-level health checks and
        publish step, budget seconds and steps/s. Returns the NaN/inf message (the caller
        pauses or stops the run) or None."""
        problem = flush_metrics(self.board, self.pending, self.steps, self.recent)
        self.pending = []
        self.board.update(step=self.steps, elapsed=self.elapsed, steps_per_s=units.steps_per_second(self._step_seconds))
        return problem

    def set_schedule(self, optimizer: OptimizerConfig, lr_factor: float, progress: float) -> None:
        """Learning rates of `optimizer` times `lr_factor` (in (0, 1], the decay), and the
        budget's share spent `progress` (0..1, the instance noise's decay)."""
        self.step.set_learning_rates(optimizer.d_learning_rate * lr_factor, optimizer.g_learning_rate * lr_factor)
        self.step.set_budget_progress(progress)

    def own_schedule(self, optimizer: OptimizerConfig) -> None:
        """`set_schedule` from this run's own budget (a single run: time or steps, whichever is further)."""
        run, spe = self.cfg.run, self.steps_per_epoch
        self.set_schedule(optimizer, *schedule(optimizer, run, self.elapsed, self.steps, spe, self.counters["epoch"]))

    def early_grid(self, live: TrainConfig) -> bool:
        """The first epoch's preview grid when one is due (EpochEnd.early_grid); True when drawn."""
        return self.epoch_end.early_grid(self.counters, live)

    def finish_epoch(self, live: TrainConfig | None = None, healthy: bool = True) -> EpochRecord:
        """Grid, quality, health checks and (when `healthy` and saving) a checkpoint for the
        epoch just done, drawn with the `live` config (default: the run's); reshuffles the
        data. Its time is charged to the budget, on Train and Compare alike (units.py)."""
        t0 = time.perf_counter()
        self.counters["epoch"] += 1
        record = self.epoch_end.finish_epoch(self.counters, live or self.cfg, healthy=healthy)
        self.counters["elapsed"] += time.perf_counter() - t0
        self.graded_step = self.steps
        self.order_digests.append(order_digest(self.step.order.numpy()))
        self.board.update(epoch=self.counters["epoch"], elapsed=self.elapsed)
        return record

    def budget_spent(self, total_steps: int) -> bool:
        """Whether this run has made `total_steps` steps (0: no step limit) or used its max_seconds."""
        if total_steps and self.steps >= total_steps:
            return True
        return bool(self.cfg.run.max_seconds) and self.elapsed >= self.cfg.run.max_seconds

    def release(self) -> None:
        """Give the step back to the step cache and drop the epoch-end work and pending metrics,
        once the run has ended (more than once is harmless); counters, digests and the board
        (all that is shown afterwards) stay."""
        step, self.step = self.step, None
        self.epoch_end = None
        self.pending = []
        if step is not None:
            shared_steps().release(step)
