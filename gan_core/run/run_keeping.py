"""The trainer's run keeping: opening the run folder, the final checkpoint, resume and roll-back.

A mixin of `Trainer` (trainer.py), split out so each file holds one idea: these methods
run on the trainer thread between steps (except the two commands at the top) and use the
trainer's board, counters and live config.
"""

from __future__ import annotations

import logging

import numpy as np

from gan_core.config.tree import TrainConfig
from gan_core.data import ImageSet, load_images
from gan_core.hacks.live import LIVE_KEYS, live_values
from gan_core.run import epoch_end
from gan_core.run.saver import RunSaver
from gan_core.step.gan_step import METRIC_NAMES
from gan_core.store import run_status
from gan_core.store.lineage import read_lineage
from gan_core.store.runs import RunFolder, keeps_its_data, load_run_data


class RunKeeping:
    """Checkpoint commands and their work on the trainer thread (mixed into Trainer)."""

    # -- commands (any thread) ---------------------------------------------------
    def roll_back(self, timeout: float = 30.0) -> TrainConfig:
        """Go back to the last good checkpoint while paused (after a NaN/inf): weights,
        optimizers, data order, random streams, the per-step rows and the live hacks as they
        were at that step. Returns the config with those hacks; RuntimeError (one line) when
        there is no checkpoint, the run is not paused, or the thread did not answer in time."""
        if self.board.get("state") != "paused":
            raise RuntimeError("roll back works on a paused run")
        if self.last_good_step() is None:
            raise RuntimeError("this run has no saved checkpoint to go back to")
        self._rollback_done.clear()
        self._rollback_asked.set()
        if not self._rollback_done.wait(timeout):
            raise RuntimeError("the trainer did not roll back in time")
        if isinstance(self._rollback_result, Exception):
            raise RuntimeError(str(self._rollback_result))
        return self._rollback_result

    def last_good_step(self) -> int | None:
        """The step of the checkpoint a roll-back would return to, or None when there is none."""
        saver = self.saver
        if saver is None or saver.run is None or saver.saved_step <= 0:
            return None
        return saver.saved_step

    # -- on the trainer thread ----------------------------------------------------
    def _open_run_folder(self, saver: RunSaver, data: ImageSet) -> RunFolder | None:
        """The run folder, created (with an upload's images kept in it) or opened for a
        resume; None without one. A disk that refuses turns saving off with a warning."""
        if self.run_dir is None:
            return None
        try:
            if self.resume_from:
                run = RunFolder.open(self.run_dir)
            else:
                run = RunFolder.create(self.run_dir, self.cfg)
                if keeps_its_data(self.cfg.data.source):
                    run.save_data(data.images, data.labels)
            run_status.write_running(run.path)  # the Runs page and a delete read it
            return run
        except OSError as e:
            saver.disable(e)
            return None

    def _record_end(self) -> None:
        """Write how the run ended into its status record (finished, stopped or failed), so
        the Runs page tells it from a run whose process died. Never raises: the thread is
        ending, and a disk that refuses was already reported."""
        saver = self.saver
        state = self.board.get("state")
        if saver is None or saver.run is None or state not in run_status.ENDED:
            return
        try:
            run_status.write_ended(saver.run.path, state, self.board.get("message", ""), self.counters["step"])
        except OSError:
            pass

    def _final_save(self, saver: RunSaver) -> None:
        """Checkpoint where training ends (a stop or the budget, mid-epoch too) unless the
        epoch's end just did, or the weights went bad."""
        if saver.saving and self._healthy and saver.saved_step != self.counters["step"]:
            self.board.update(message="Saving…")
            saver.save(self.counters, self._live_cfg)

    def _restore(self, saver: RunSaver) -> None:
        """Continue from the newest checkpoint: weights, optimizers, streams, counters, the
        per-step rows and grids up to its step, and the live hacks of that moment."""
        state = saver.restore()
        self._set_counters(state)
        rows = saver.run.read_jsonl("metrics.jsonl")
        if rows:
            # A run saved before a metric existed reads NaN there (the health figures).
            self.board.extend_series(
                np.array([[r.get(n, np.nan) for n in METRIC_NAMES] for r in rows], dtype=np.float64)
            )
        epoch_end.reload_epochs(saver.run, self.board, self.counters["epoch"])
        self._set_hacks_quietly(state.get("hacks", {}))
        self._loop.own_schedule(self._live_cfg.optimizer)  # the decayed rates from the first step on
        saver.mark_written(self.counters["step"])
        self._start_branch(saver.run.path, int(state["step"]))

    def _start_branch(self, run_path, step: int) -> None:
        """For a branch (gan_core/store/branch.py): publish where it branched (the curves'
        marker), and when it starts from the parent's checkpoint (its first start, or a resume
        before its own first save) queue its changed live settings, so each takes effect at the
        branch step with its own marker and row in changes.jsonl."""
        lineage = read_lineage(run_path)
        if lineage is None:
            return
        self.board.update(branch={"parent": lineage.parent, "epoch": lineage.epoch, "step": lineage.step})
        if step != lineage.step:
            return
        now = live_values(self._live_cfg)
        for key, value in live_values(self.cfg).items():
            if list(np.ravel(now[key])) != list(np.ravel(value)):
                self.set_hack(key, value)

    def _set_counters(self, state: dict) -> None:
        self.counters.update(step=int(state["step"]), epoch=int(state["epoch"]), elapsed=float(state["elapsed"]))
        self.board.update(step=self.counters["step"], epoch=self.counters["epoch"], elapsed=self.counters["elapsed"])

    def _set_hacks_quietly(self, hacks: dict) -> None:
        """Live hacks as a checkpoint recorded them, without change markers (they are in
        changes.jsonl already)."""
        with self._lock:
            cfg = self._live_cfg
            for key, value in hacks.items():
                if key in LIVE_KEYS:
                    cfg = cfg.with_value(key, value)
            self._live_cfg = cfg.validated()
        self._gan_step.apply_live(self._live_cfg)
        self.board.update(hacks=live_values(self._live_cfg))

    def _do_roll_back(self, saver: RunSaver) -> None:
        """On the trainer thread, while paused: back to the newest checkpoint."""
        try:
            state = saver.restore()
            self._set_counters(state)
            self.board.truncate(self.counters["step"])
            self._loop.recent.clear()
            saved = state.get("hacks", {})
            now = live_values(self._live_cfg)
            for key, value in saved.items():
                if key in LIVE_KEYS and list(np.ravel(now[key])) != list(np.ravel(value)):
                    self.set_hack(key, value)  # marked on the chart at the roll-back step
            self._apply_changes()
            saver.mark_written(self.counters["step"])
            self._healthy = True
            self._pause_reason = (
                f"Rolled back to step {self.counters['step']} with the settings of then. "
                "Change what diverged (e.g. lower the learning rates), then resume."
            )
            self._rollback_result = self._live_cfg
        except Exception as e:  # surfaced to the caller as one line; the run stays paused
            logging.getLogger("gan_core.run.trainer").exception("roll back failed")
            self._rollback_result = RuntimeError(f"roll back failed: {str(e).splitlines()[0] if str(e) else e}")
        finally:
            self._rollback_asked.clear()
            self._rollback_done.set()

    def _load_data(self) -> ImageSet:
        """The images to train on: those handed in, a resumed run's own copy, or the source loaded."""
        if self._data is not None:
            return self._data
        if self.resume_from and self.run_dir is not None:
            return load_run_data(self.run_dir, self.cfg.data.source)
        return load_images(self.cfg.data.source)

    def _end(self, state: str, message: str) -> None:
        """The run's end ("finished" or "stopped"): last flush, final checkpoint, the event."""
        self._flush()
        self._final_save(self.saver)
        self.board.update(state=state, step=self.counters["step"], elapsed=self.counters["elapsed"], message=message)
        self._on_event(state, None)
