"""Saving a training run as it goes, and going back to its last checkpoint.

Called between steps only (epoch end, stop, end of the budget), never inside the compiled
step. A save writes the per-step rows not yet on disk, the live changes, the epoch's row and
grid, then commits one checkpoint (checkpoint.py). A disk that refuses (full, read-only,
file too large) turns saving off with one warning on the board that says so; training goes
on. A save is skipped while the weights are not finite, so the last checkpoint is always a
good one to roll back to.
"""

from __future__ import annotations

import numpy as np

from gan_core.config.tree import TrainConfig
from gan_core.generators.meta import training_meta
from gan_core.hacks.live import live_values
from gan_core.run.snapshot import Board, EpochRecord
from gan_core.step.gan_step import METRIC_NAMES, GanStep
from gan_core.store.runs import RunFolder


def _plain(value):
    """JSON-friendly value (tuples become lists)."""
    return list(value) if isinstance(value, tuple) else value


def weights_finite(step: GanStep) -> bool:
    """True when every weight of G and D is a finite number."""
    return all(np.isfinite(w).all() for model in (step.generator, step.discriminator) for w in model.get_weights())


def save_failed_message(path, error: OSError, saved_step: int) -> str:
    """One line: what failed, what training does now, what is on disk."""
    reason = error.strerror or str(error) or type(error).__name__
    kept = f"the run on disk stops at step {saved_step}" if saved_step > 0 else "nothing of this run is on disk"
    return f"Cannot save to {path}: {reason}. Training goes on without saving; {kept}."


class RunSaver:
    """Writes one run's files for a trainer (or nothing, with `run=None`)."""

    def __init__(self, run: RunFolder | None, step: GanStep, board: Board):
        self.run = run
        self.step = step
        self.board = board
        self.problem = ""  # set when the disk refused: saving is off from then on
        self.saved_step = 0
        self._rows_written = 0
        self._changes_written = 0
        self._events_written = 0

    @property
    def saving(self) -> bool:
        """Whether this run still writes to disk: it has a folder and the disk has not refused."""
        return self.run is not None and not self.problem

    def disable(self, error: OSError) -> None:
        """Stop saving after an OSError, with one warning on the board."""
        where = self.run.path if self.run is not None else "the runs folder"
        self.problem = save_failed_message(where, error, self.saved_step)
        self.board.warn(self.problem)

    def mark_written(self, saved_step: int) -> None:
        """What the board holds now is on disk already (after a resume or a roll-back)."""
        self.saved_step = saved_step
        self._rows_written = len(self.board.series_since(0)[METRIC_NAMES[0]])
        self._changes_written = len(self.board.changes())
        self._events_written = len(self.board.get("health_events", ()))

    def save(self, counters: dict, live: TrainConfig, record: EpochRecord | None = None, order: str = "") -> bool:
        """Write everything up to counters["step"] and commit a checkpoint; True when saved.

        `record` and `order` (the fingerprint of the data order the epoch trained on) come
        with an epoch's end; a stop mid-epoch passes neither."""
        if not self.saving:
            return False
        if not weights_finite(self.step):
            self.board.warn(
                f"Not saved at step {counters['step']}: the weights are not finite; "
                f"the last good checkpoint is step {self.saved_step}."
            )
            return False
        try:
            self._write(counters, live, record, order)
        except OSError as e:
            self.disable(e)
            return False
        return True

    def _write(self, counters: dict, live: TrainConfig, record: EpochRecord | None, order: str) -> None:
        run = self.run
        if record is not None:
            run.save_grid_png(record.epoch, record.grid_png)
        new = self.board.series_since(self._rows_written)
        count = len(new[METRIC_NAMES[0]])
        rows = [
            {"step": self._rows_written + i + 1, **{name: new[name][i] for name in METRIC_NAMES}} for i in range(count)
        ]
        run.append_jsonl("metrics.jsonl", rows)
        self._rows_written += count
        changes = self.board.changes()
        run.append_jsonl(
            "changes.jsonl",
            [
                {"step": c.step, "key": c.key, "old": _plain(c.old), "new": _plain(c.new), "label": c.label}
                for c in changes[self._changes_written :]
            ],
        )
        self._changes_written = len(changes)
        events = tuple(self.board.get("health_events", ()))  # the named health warnings (dicts)
        run.append_jsonl("health.jsonl", list(events[self._events_written :]))
        self._events_written = len(events)
        if record is not None:
            run.append_jsonl(
                "epochs.jsonl",
                [
                    {
                        "epoch": record.epoch,
                        "step": record.step,
                        "seconds": round(record.seconds, 3),
                        "quality": record.quality,
                        "order": order,
                    }
                ],
            )
        hacks = {k: _plain(v) for k, v in live_values(live).items()}
        # "changes": how many change rows belong to this checkpoint (a change at the very step of a
        # save may come after it, so the step alone cannot tell).
        state = {
            "epoch": counters["epoch"],
            "step": counters["step"],
            "elapsed": counters["elapsed"],
            "hacks": hacks,
            "changes": self._changes_written,
            "epoch_end": record is not None,  # kept for branching (checkpoint.py)
        }
        meta = training_meta(hacks, counters["step"], live.model.tanh_output, live.model.latent_dim)
        run.save_checkpoint(self.step, state, meta)
        self.saved_step = counters["step"]

    def restore(self) -> dict:
        """Load the newest checkpoint into the step and cut the run's files back to it;
        returns its state (step, epoch, elapsed, hacks). RunError when there is none."""
        state = self.run.restore(self.step)
        self.run.trim_to_step(int(state["step"]), state.get("changes"))
        return state
