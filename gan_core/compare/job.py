"""A/B comparison: two runs that differ by one setting, trained side by side in one thread.

Fairness is the point: both arms start from the same seed (so identical architectures
get identical weights), see the same data in the same order, are drawn from the same
fixed latent points and train the same number of steps. The steps are interleaved
(A, B, A, B, ...) so a stop or a slow machine hits both alike. With a time budget each
arm's own step and epoch-end time is counted (as on Train, see units.py), and the
comparison ends when the arms have used `max_seconds` each on average: equal steps
matter more than equal seconds, because a slower network (say one without strided
convolutions) should not be rewarded with fewer updates or punished with more.

With a `start` (a run's saved epoch, gan_core/store/branch.py) both arms go on from that
checkpoint instead of fresh weights: the same weights, optimizers, data order and random
streams (so the same latent points), with the run's history up to there on both boards. A
branch beside its parent's continuation is A = the parent's settings at that epoch, B = the
branch's; their budget counts from the run's step 0, as the run's own does.

A careful comparison (`seeds=3`) trains the pair again from seeds s+1 and s+2: six runs,
interleaved seed pair by seed pair in this one thread, with the same steps and budget each (the
six's mean seconds end it). Each seed's pair is as fair as a plain comparison; the three show
how far one configuration moves from seed to seed (compare/spread.py).

Like the trainer, nothing here knows about Streamlit: the page reads `snapshot()`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace

from gan_core.compare import messages
from gan_core.compare.arm import Arm
from gan_core.compare.pair import CAREFUL_FROM_EPOCH, CompareError, check_start, seeded_pairs
from gan_core.compare.status import CompareStatus
from gan_core.config.tree import TrainConfig
from gan_core.data import ImageSet, load_images
from gan_core.hacks.live import live_values
from gan_core.run.loop import schedule
from gan_core.run.native_memory import release_free_memory
from gan_core.run.snapshot import Board, Snapshot
from gan_core.run.waiting import LEFT_THE_LINE, wait_for_turn
from gan_core.store.branch import BranchPoint
from gan_core.store.runs import load_run_data

log = logging.getLogger(__name__)

FLUSH_SECONDS = 0.25


class CompareJob:
    """Trains A and B in one background thread; `snapshot()` -> (Snapshot A, Snapshot B, CompareStatus).

    `start`: a saved epoch both arms go on from (see the module note), checked against both
    configs at once (CompareError); None: both start from fresh weights of the same seed.
    `seeds` per arm: 1 (a plain comparison) or CAREFUL_SEEDS (run.seed s, s+1, s+2 for both
    arms; not with a `start`, whose weights are one seed's). Raises CompareError (one line) for
    a pair that cannot be compared fairly."""

    def __init__(
        self,
        cfg_a: TrainConfig,
        cfg_b: TrainConfig,
        data: ImageSet | None = None,
        turn=None,
        start: BranchPoint | None = None,
        seeds: int = 1,
    ):
        if start is not None and seeds != 1:
            raise CompareError(CAREFUL_FROM_EPOCH)
        self._pairs = seeded_pairs(cfg_a, cfg_b, seeds)
        self.cfg_a, self.cfg_b = self._pairs[0]
        self.seeds = tuple(pair[0].run.seed for pair in self._pairs)
        self.start_point = start
        if start is not None:
            check_start(start, self.cfg_a, self.cfg_b)
        self._turn = turn  # its place (two slots) in the server's line (gan_core.jobs.job.Turn), or None
        self._data = data
        # A and B of the first seed, then of the next ...: boards[0] and boards[1] are always
        # the first seed's pair (what `snapshot()` shows).
        self.boards = tuple(Board() for _ in range(2 * len(self.seeds)))
        for board, cfg in zip(self.boards, (cfg for pair in self._pairs for cfg in pair)):
            board.update(
                state="idle", hacks=live_values(cfg), config_json=cfg.to_json(), max_seconds=cfg.run.max_seconds
            )
        self._lock = threading.Lock()
        self._status = CompareStatus(max_seconds=self.cfg_a.run.max_seconds)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.arms: tuple[Arm, ...] = ()  # for diagnostics and tests; the page never reads it

    # -- commands (any thread) ---------------------------------------------------
    def start(self) -> None:
        """Start the comparison thread (loads data, builds both arms, trains).

        Raises RuntimeError when this job was already started; a job runs once.
        """
        if self._thread is not None:
            raise RuntimeError("this comparison was already started")
        if self._turn is not None:
            self._set(state="queued", message="Waiting for two training slots…")
        else:
            self._set(state="starting", message=messages.building_message(self.careful, len(self.boards)))
        self._thread = threading.Thread(target=self._run, name="gan-compare", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the thread to stop; True if it ended within `timeout` seconds."""
        self._stop.set()
        if self._thread is None:
            self._set(state="stopped", message="Stopped before it started.")
            return True
        if self.status().active:
            self._set(state="stopping", message="Stopping…")
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end, at most `timeout` seconds (None: no limit)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def is_active(self) -> bool:
        """Whether the comparison is starting, running or stopping."""
        return self.status().active

    def status(self) -> CompareStatus:
        """The latest CompareStatus (an immutable copy; safe from any thread)."""
        with self._lock:
            return self._status

    def snapshot(self) -> tuple[Snapshot, Snapshot, CompareStatus]:
        """(Snapshot of A, Snapshot of B, CompareStatus) of the first seed: copies the page can
        read from any thread."""
        return self.boards[0].snapshot(), self.boards[1].snapshot(), self.status()

    @property
    def careful(self) -> bool:
        """Whether each arm trains from several seeds."""
        return len(self.seeds) > 1

    def arm_boards(self, arm: str) -> tuple[Board, ...]:
        """The boards of arm "A" or "B", one per seed in `seeds` order."""
        return self.boards[("A", "B").index(arm) :: 2]

    def snapshots(self) -> tuple[tuple[Snapshot, ...], tuple[Snapshot, ...], CompareStatus]:
        """(A's snapshots, B's snapshots, CompareStatus), one snapshot per seed in `seeds` order."""
        return (
            tuple(b.snapshot() for b in self.arm_boards("A")),
            tuple(b.snapshot() for b in self.arm_boards("B")),
            self.status(),
        )

    @property
    def alive(self) -> bool:
        """Whether the comparison thread is running now."""
        return self._thread is not None and self._thread.is_alive()

    # -- the thread ----------------------------------------------------------------
    def _set(self, **values) -> None:
        with self._lock:
            self._status = replace(self._status, **values)
        shown = {k: values[k] for k in ("state", "message") if k in values}
        for arm_board in self.boards:
            # An arm stopped by NaN keeps its own state and message, unless the whole job failed.
            if shown and (arm_board.get("state") != "stopped" or values.get("state") == "failed"):
                arm_board.update(**shown)

    def _run(self) -> None:
        try:
            if not wait_for_turn(self._turn, self._stop, lambda text: self._set(message=text)):
                self._set(state="stopped", message=LEFT_THE_LINE)
                return
            self._set(state="starting", message=messages.building_message(self.careful, len(self.boards)))
            self._train()
        except Exception as e:  # surfaced to the UI; the thread ends cleanly
            log.exception("the comparison failed")  # the UI shows one line; the log keeps the trace
            first = str(e).strip().splitlines()[0] if str(e).strip() else ""
            self._set(state="failed", message=f"{type(e).__name__}: {first}")
        finally:
            self._release()

    def _release(self) -> None:
        # A finished job stays in the pool for an hour so its page can show it; the boards
        # are all that needs, so the steps go back to the step cache and the data set goes.
        for arm in self.arms:
            arm.release()
        self._data = None
        release_free_memory()
        if self._turn is not None:
            self._turn.done()  # the next in line starts

    def _build_arms(self, data: ImageSet) -> bool:
        """The arms, A then B for each seed in turn (each takes its step from the step cache;
        `self.arms` holds each at once, so a stop or failure meanwhile still gives its step
        back). False when a stop came first."""
        cfgs = [cfg for pair in self._pairs for cfg in pair]
        for i, (cfg, board) in enumerate(zip(cfgs, self.boards)):
            if self._stop.is_set():
                return False
            name = "AB"[i % 2] + (f" (seed {cfg.run.seed})" if self.careful else "")
            self.arms = (*self.arms, Arm(name, cfg, data, board))
            if self.start_point is not None:
                self.arms[-1].start_from(self.start_point)
        return True

    def _load_data(self) -> ImageSet:
        """The images handed in, the start's run's own (its kept upload), or the source loaded."""
        if self._data is not None:
            return self._data
        if self.start_point is not None:
            return load_run_data(self.start_point.run, self.cfg_a.data.source)
        return load_images(self.cfg_a.data.source)

    def _train(self) -> None:
        data = self._load_data()
        if not self._build_arms(data):
            return self._end_stopped()
        run = self.cfg_a.run
        # Equal steps for both arms; with different D steps per G step, enough for the arm
        # that needs the most steps per pass over the data to make `epochs` passes.
        spe = max(arm.steps_per_epoch for arm in self.arms)
        total = run.epochs * spe
        for board, arm in zip(self.boards, self.arms):
            board.update(steps_per_epoch=arm.steps_per_epoch, total_steps=total)
        steps = "both training steps" if not self.careful else "the training steps"
        compiling = "" if all(arm.compiled for arm in self.arms) else f"Compiling {steps} (a few seconds, once)…"
        self._set(state="running", total_steps=total, message=compiling)

        last_flush = time.perf_counter()
        while not self._stop.is_set():
            live = [arm for arm in self.arms if arm.alive]
            for arm in live:
                if not arm.compiled and self._stop.is_set():
                    break  # skip the other arm's one-off compile; equal steps matter only after it
                arm.train_one()
            # Each arm ends its epoch after its own pass over the data (units.py): with
            # different D steps per G step, the arms' epochs are different numbers of steps.
            ending = [arm for arm in self.arms if arm.alive and arm.epoch_done]
            now = time.perf_counter()
            if now - last_flush >= FLUSH_SECONDS or ending:
                self._flush_all(spe)
                last_flush = now
            for arm in ending:
                arm.finish_epoch()
            if ending:
                self._set(
                    epoch=min(arm.counters["epoch"] for arm in self.arms if arm.alive), elapsed=self._mean_elapsed()
                )
            if self._budget_spent(total):
                self._flush_all(spe)
                ungraded = [arm for arm in self.arms if arm.alive and arm.graded_step != arm.steps]
                if ungraded:
                    # A short budget may end mid-epoch: grade where the arms stand, so the
                    # verdict never rests on an older picture (or on none at all).
                    self._set(message="Drawing the final grids…")
                    for arm in ungraded:
                        arm.finish_epoch()
                self._set(state="finished", message=self._finished_message())
                return
        self._end_stopped()

    def _end_stopped(self) -> None:
        if self.arms:
            self._flush_all(max(1, self.boards[0].get("steps_per_epoch", 1)))
        step = self.arms[0].steps if self.arms else 0
        self._set(state="stopped", message=f"Stopped at step {step}.")

    def _flush_all(self, spe: int) -> None:
        live = [arm for arm in self.arms if arm.alive]
        progress_step = live[0].steps if live else self.arms[0].steps
        elapsed = self._mean_elapsed()
        # One schedule for both arms, driven by the shared progress, so at any step both
        # use the same learning-rate factor; held through the first epoch as a training's.
        first_done = min(arm.counters["epoch"] for arm in (live or self.arms))
        factor, progress = schedule(self.cfg_a.optimizer, self.cfg_a.run, elapsed, progress_step, spe, first_done)
        for arm in live:
            arm.flush_shared(factor, progress)
        message = self.status().message
        if message.startswith("Compiling") and all(arm.compiled for arm in self.arms):
            message = ""
        message = messages.stopped_arms_message(self.arms, self.careful) or message
        self._set(step=progress_step, elapsed=elapsed, message=message)

    def _mean_elapsed(self) -> float:
        live = [arm for arm in self.arms if arm.alive] or list(self.arms)
        return sum(arm.elapsed for arm in live) / len(live)

    def _budget_spent(self, total_steps: int) -> bool:
        live = [arm for arm in self.arms if arm.alive]
        max_seconds = self.cfg_a.run.max_seconds
        steps_done = bool(total_steps) and bool(live) and live[0].steps >= total_steps
        return not live or steps_done or (bool(max_seconds) and self._mean_elapsed() >= max_seconds)

    def _finished_message(self) -> str:
        if self.careful:
            return messages.careful_finished_message(self.arms, self.seeds)
        return messages.finished_message(self.arms, self.start_point)
