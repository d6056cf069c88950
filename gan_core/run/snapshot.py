"""What a trainer publishes: a lock-guarded board the training thread writes and readers copy.

Readers (the Streamlit page, the CLI) get an immutable `Snapshot`; they never touch
Keras objects or the thread. A page that polls reads a `Status` (scalars only, no
history), and follows the per-step series with a `SeriesFollower`, which copies only the
rows added since its last read: a long run's history is never copied once per refresh.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, fields

import numpy as np

from gan_core.step.gan_step import METRIC_NAMES

# Trainer states, in the order a run usually passes through them.
STATES = ("idle", "queued", "starting", "running", "paused", "stopping", "stopped", "finished", "failed")
# "queued": waiting in the server's line for a training slot (gan_core.jobs.gate); active, so it can be
# stopped (it leaves the line) and its page refreshes until it starts.
ACTIVE_STATES = ("queued", "starting", "running", "paused", "stopping")


def budget_progress(step: int, total_steps: int, elapsed: float, max_seconds: float) -> float:
    """0..1 by whichever budget (steps or seconds) ends first; 0 with no budget."""
    parts = []
    if total_steps:
        parts.append(step / total_steps)
    if max_seconds:
        parts.append(elapsed / max_seconds)
    return min(1.0, max(parts)) if parts else 0.0


class BudgetView:
    """`progress` and `active` of anything with a state and the budget fields
    (step, total_steps, elapsed, max_seconds): a run's snapshot, a comparison's status."""

    @property
    def progress(self) -> float:
        """Share of the budget used, 0..1 (see budget_progress)."""
        return budget_progress(self.step, self.total_steps, self.elapsed, self.max_seconds)

    @property
    def active(self) -> bool:
        """Whether the state is one of ACTIVE_STATES (queued, starting, running, paused, stopping)."""
        return self.state in ACTIVE_STATES


@dataclass(frozen=True)
class HackChange:
    """One live hack change: the step it took effect at, the dotted config key, the old and new
    value, and the short label the curves show at that step.
    """

    step: int
    key: str
    old: object
    new: object
    label: str  # e.g. "flip 0.05 → 0.30"


@dataclass(frozen=True)
class EpochRecord:
    """One finished epoch: its number, the step and training seconds at its end, the
    fixed-latent grid as PNG bytes, and the quality report (None when not measured).
    """

    epoch: int
    step: int
    seconds: float
    grid_png: bytes
    quality: dict | None  # the quality meter's report (gan_core.metrics), None when not measured


@dataclass(frozen=True)
class Snapshot(BudgetView):
    """An immutable copy of everything a trainer published: state and message, step, epochs
    done, steps per epoch, budget (total steps, 0 for a time budget; elapsed and max seconds),
    speed (steps/s), compile seconds, classes (> 0: conditional G) and whether they are clusters
    (self_conditioned), per-step `series` (metric name -> floats), live `hacks`, `changes`,
    `epochs`, `warnings`, run folder and config JSON, the first epoch's early grid
    (`preview`, drawn at step `preview_step`), and where a branch started (`branch`).
    """

    state: str = "idle"
    message: str = ""  # why it paused/failed/finished, or what it is doing
    step: int = 0
    epoch: int = 0  # completed epochs
    steps_per_epoch: int = 0
    total_steps: int = 0  # 0 when only a time budget applies
    elapsed: float = 0.0  # seconds of training (pauses excluded)
    max_seconds: float = 0.0
    steps_per_s: float = 0.0
    compile_seconds: float = 0.0  # the one-off trace of the train step (not in `elapsed`)
    classes: int = 0  # > 0: G is conditional, grid cells ask for classes in turn
    # True when those classes are k-means clusters of the images (model.self_conditioning),
    # not the data set's labels: the page must not call them labels.
    self_conditioned: bool = False
    series: dict = field(default_factory=dict)  # metric name -> list of per-step floats
    hacks: dict = field(default_factory=dict)  # live key -> current value
    changes: tuple = ()  # HackChange, oldest first
    epochs: tuple = ()  # EpochRecord, oldest first
    warnings: tuple = ()  # collapse / NaN warnings, oldest first
    health_events: tuple = ()  # named health warnings (dicts), oldest first
    run_dir: str = ""
    config_json: str = ""
    # The fixed-latent grid drawn during the first epoch, before any epoch's grid exists
    # (epoch 0, the step it was drawn at; not part of `epochs`, not saved), or None.
    preview: EpochRecord | None = None
    preview_step: int = 0  # the step `preview` was drawn at; 0: none yet
    # A branch's start (gan_core/store/lineage.py): {"parent": run id, "epoch": N, "step": its
    # last step}, where the curves mark it; None for a run that is no branch.
    branch: dict | None = None


@dataclass(frozen=True)
class Status(BudgetView):
    """The scalar part of a Snapshot (same names, same meaning), cheap to read every second."""

    state: str = "idle"
    message: str = ""
    step: int = 0
    epoch: int = 0
    steps_per_epoch: int = 0
    total_steps: int = 0
    elapsed: float = 0.0
    max_seconds: float = 0.0
    steps_per_s: float = 0.0
    compile_seconds: float = 0.0
    preview_step: int = 0
    warnings: tuple = ()


_STATUS_FIELDS = tuple(f.name for f in fields(Status) if f.name != "warnings")


class Board:
    """The shared, lock-guarded state behind snapshots."""

    def __init__(self):
        self._lock = threading.Lock()
        self._fields: dict = {"series": {name: [] for name in METRIC_NAMES}}
        self._changes: list = []
        self._epochs: list = []
        self._warnings: list = []

    def update(self, **values) -> None:
        """Set scalar fields (state, message, step, ...) under the lock."""
        with self._lock:
            self._fields.update(values)

    def extend_series(self, rows) -> None:
        """rows: an (n, len(METRIC_NAMES)) array of per-step metrics in METRIC_NAMES order."""
        with self._lock:
            series = self._fields["series"]
            for i, name in enumerate(METRIC_NAMES):
                series[name].extend(float(v) for v in rows[:, i])

    def series_since(self, start: int) -> dict:
        """The per-step rows from index `start` on: a reader that keeps its place copies only what is new."""
        with self._lock:
            return {name: values[start:] for name, values in self._fields["series"].items()}

    def truncate(self, steps: int) -> None:
        """Keep the first `steps` per-step rows and the changes up to step `steps` (a roll-back)."""
        with self._lock:
            for values in self._fields["series"].values():
                del values[steps:]
            self._changes = [c for c in self._changes if c.step <= steps]

    def changes(self) -> tuple:
        """The live hack changes so far (HackChange), oldest first."""
        with self._lock:
            return tuple(self._changes)

    def add_change(self, change: HackChange) -> None:
        """Record a live hack change."""
        with self._lock:
            self._changes.append(change)

    def last_change(self) -> HackChange | None:
        """The newest HackChange, or None."""
        with self._lock:
            return self._changes[-1] if self._changes else None

    def drop_last_change(self) -> None:
        """Forget the newest change: the trainer replaces it by one merged change when the same hack
        changes again within a few steps (one slider drag, one marker)."""
        with self._lock:
            if self._changes:
                self._changes.pop()

    def add_epoch(self, record: EpochRecord) -> None:
        """Record a finished epoch."""
        with self._lock:
            self._epochs.append(record)

    def warn(self, text: str) -> None:
        """Add a warning (collapse, NaN, disk); the same text twice in a row is kept once."""
        with self._lock:
            if not self._warnings or self._warnings[-1] != text:
                self._warnings.append(text)

    def rows(self) -> int:
        """How many per-step rows the series hold."""
        with self._lock:
            return len(self._fields["series"][METRIC_NAMES[0]])

    def status(self) -> Status:
        """The scalars and the (few) warnings; no series, changes or grids are copied."""
        with self._lock:
            values = {name: self._fields[name] for name in _STATUS_FIELDS if name in self._fields}
            return Status(warnings=tuple(self._warnings), **values)

    def get(self, name, default=None):
        """One field's current value (state, message, ...), or `default`."""
        with self._lock:
            return self._fields.get(name, default)

    def snapshot(self, series: bool = True) -> Snapshot:
        """Everything, copied; with series=False the per-step series are left out (empty), for
        a reader that follows them with a SeriesFollower."""
        with self._lock:
            values = dict(self._fields)
            values["series"] = {k: list(v) if series else [] for k, v in self._fields["series"].items()}
            values["hacks"] = dict(self._fields.get("hacks", {}))
            return Snapshot(
                changes=tuple(self._changes), epochs=tuple(self._epochs), warnings=tuple(self._warnings), **values
            )


class SeriesFollower:
    """A reader's own copy of a board's per-step series, topped up with only the new rows.

    `update(board)` returns {metric name: float64 array of every row so far}; each call
    copies from the board (under its lock) only the rows added since the previous call.
    One follower follows one board: a new run needs a new follower.
    """

    def __init__(self):
        self._arrays = {name: np.zeros(0, dtype=np.float64) for name in METRIC_NAMES}

    @property
    def rows(self) -> int:
        """How many per-step rows this follower holds."""
        return len(self._arrays[METRIC_NAMES[0]])

    def update(self, board: Board) -> dict:
        """{metric name: float64 array (rows,) of every row so far}, copying from `board` only the
        rows added since the last call.
        """
        new = board.series_since(self.rows)
        if new[METRIC_NAMES[0]]:
            self._arrays = {
                name: np.concatenate([self._arrays[name], np.asarray(new[name], dtype=np.float64)])
                for name in METRIC_NAMES
            }
        return dict(self._arrays)
