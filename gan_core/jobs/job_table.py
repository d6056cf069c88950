"""The server's table of jobs: who started each, found again by id, watched by pages, seen
through viewer links, forgotten when old, stopped when abandoned.

The base of the pool (gan_core.jobs.pool, which adds the slots and how jobs start). Its rows
are guarded by one lock: every browser session reads it from its own script thread.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gan_core.jobs.job import Job
from gan_core.jobs.seats import Seat, may_control
from gan_core.jobs.sharing import Access, ReadOnlyJob, ShareBook

if TYPE_CHECKING:  # pages that only watch jobs need not import TensorFlow
    from gan_core.jobs.gate import SlotGate
    from gan_core.run.snapshot import BudgetView


@dataclass
class _Entry:
    job: Job
    owner: str | None = None
    kind: str = "training"
    last_seen: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class JobRow:
    """One job as the Class page lists it: its id, owner (a seat id, or None), kind ("training"
    or "comparison") and the job itself."""

    job_id: str
    owner: str | None
    kind: str
    job: Job


class JobTable:
    """Jobs by id with their owners, kinds and last looks (thread-safe); `idle_seconds` and
    `keep_finished_seconds` as in TrainerPool. `gate` gets back the slots of jobs that ended."""

    def __init__(self, idle_seconds: float, keep_finished_seconds: float, gate: SlotGate):
        self.idle_seconds = float(idle_seconds)
        self.keep_finished_seconds = keep_finished_seconds
        self.gate = gate
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._janitor: threading.Thread | None = None
        self.shares = ShareBook()

    def _register_locked(self, job: Job, owner: str | None, kind: str, job_id: str) -> str:
        self._entries[job_id] = _Entry(job, owner, kind)
        self.shares.issue(job_id)
        return job_id

    # -- finding and watching --------------------------------------------------------------------
    def get(self, job_id: str | None) -> Job | None:
        """The job with this id, or None (no id, an unknown one, or one forgotten)."""
        if not job_id:
            return None
        with self._lock:
            entry = self._entries.get(job_id)
            return entry.job if entry else None

    def owner_of(self, job_id: str | None) -> str | None:
        """The seat id that started job `job_id`, or None (unknown job, or started by a script)."""
        with self._lock:
            entry = self._entries.get(job_id or "")
            return entry.owner if entry else None

    def may_control(self, job_id: str | None, seat: Seat | None) -> bool:
        """Whether `seat` may pause, stop or change job `job_id`: its owner or the teacher."""
        with self._lock:
            entry = self._entries.get(job_id or "")
        return entry is not None and may_control(seat, entry.owner)

    def control(self, job_id: str | None, seat: Seat | None) -> Job | None:
        """The job itself when `seat` may control it, else None."""
        return self.get(job_id) if self.may_control(job_id, seat) else None

    def jobs(self, owner: str | None = None, kind: str | None = None) -> list[JobRow]:
        """Every job (of seat `owner` and of `kind` when given), oldest first."""
        with self._lock:
            items = list(self._entries.items())
        return [
            JobRow(job_id, e.owner, e.kind, e.job)
            for job_id, e in items
            if (owner is None or e.owner == owner) and (kind is None or e.kind == kind)
        ]

    def latest(self, owner: str, kind: str = "training") -> str | None:
        """The id of seat `owner`'s newest job of `kind` (so a refresh finds its run again), or None."""
        rows = self.jobs(owner, kind)
        return rows[-1].job_id if rows else None

    def touch(self, job_id: str | None) -> None:
        """Mark the job with this id as shown now (the idle janitor spares it); unknown ids
        and None are ignored."""
        with self._lock:
            entry = self._entries.get(job_id or "")
            if entry:
                entry.last_seen = time.monotonic()

    def touch_run(self, run_dir) -> bool:
        """Mark the jobs that write into folder `run_dir` as watched (a page showing that run's
        files, such as the Latent explorer on a run that is still training); True when one
        of them is still active."""
        wanted = Path(run_dir).resolve()
        with self._lock:
            entries = list(self._entries.values())
        watched = [e for e in entries if getattr(e.job, "run_dir", None) and Path(e.job.run_dir).resolve() == wanted]
        with self._lock:
            for entry in watched:
                entry.last_seen = time.monotonic()
        return any(entry.job.is_active() for entry in watched)

    def run_states(self) -> dict[str, BudgetView]:
        """The status (state, step, ...) of every active job that writes a run folder, keyed
        by the folder's resolved path (str): what the Runs page shows and what a delete must
        spare. Looking does not mark a job as watched."""
        found = {}
        for row in self.jobs():
            folder = getattr(row.job, "run_dir", None)
            if folder is not None and row.job.is_active():
                found[str(Path(folder).resolve())] = row.job.status()
        return found

    # -- links ---------------------------------------------------------------------------------
    def viewer_token(self, job_id: str | None) -> str | None:
        """The viewer link token of job `job_id`, or None when the pool does not hold it."""
        tokens = self.shares.tokens(job_id) if self.get(job_id) is not None else None
        return tokens.viewer if tokens else None

    def renew_link(self, job_id: str, seat: Seat | None) -> str | None:
        """A fresh viewer token for job `job_id` (the old link opens nothing from now on), for its
        owner or the teacher; None for anyone else."""
        if not self.may_control(job_id, seat):
            return None
        return self.shares.issue(job_id).viewer

    def open_link(self, token: str | None) -> Access | None:
        """What a viewer token opens (job id and role) while the pool still holds that job, else None."""
        access = self.shares.resolve(token)
        return access if access is not None and self.get(access.job_id) is not None else None

    def watch(self, token: str | None) -> ReadOnlyJob | None:
        """A read-only view of the job (status, snapshot, board) for its viewer token, else None."""
        access = self.open_link(token)
        job = self.get(access.job_id) if access is not None else None
        return ReadOnlyJob(job) if job is not None else None

    # -- upkeep --------------------------------------------------------------------------------
    def _reap_locked(self) -> None:
        """Give back the slots of jobs that hold one and are no longer active (a job that never
        waited for a turn, or one whose thread ended without saying so)."""
        for job_id, entry in self._entries.items():
            if not entry.job.is_active():
                self.gate.leave(job_id)

    def sweep(self) -> list[str]:
        """Stop jobs nobody has looked at for idle_seconds; forget old finished ones; give back
        the slots of ended ones. Returns the ids of the jobs it stopped."""
        now = time.monotonic()
        stopped, forget = [], []
        with self._lock:
            self._reap_locked()
            items = list(self._entries.items())
        for job_id, entry in items:
            idle = now - entry.last_seen
            if entry.job.is_active() and idle > self.idle_seconds:
                entry.job.stop(timeout=0.1)
                stopped.append(job_id)
            elif not entry.job.is_active() and idle > self.keep_finished_seconds:
                forget.append(job_id)
        with self._lock:
            for job_id in forget:
                self._entries.pop(job_id, None)
        for job_id in forget:
            self.shares.forget(job_id)  # its links open nothing from now on
        return stopped

    def stop_all(self) -> None:
        """Stop every job, waiting up to 2 s for each (server shutdown, tests)."""
        for row in self.jobs():
            row.job.stop(timeout=2.0)

    def _ensure_janitor(self) -> None:
        with self._lock:
            if self._janitor is not None and self._janitor.is_alive():
                return
            self._janitor = threading.Thread(target=self._janitor_loop, name="trainer-janitor", daemon=True)
            self._janitor.start()

    def _janitor_loop(self) -> None:
        while True:
            time.sleep(min(5.0, max(0.2, self.idle_seconds / 4)))
            self.sweep()
