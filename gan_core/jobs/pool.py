"""The server's training jobs: who started each, N training at once with the rest in line,
found again by id, stopped when abandoned.

A job is anything that satisfies the `Job` protocol: a `Trainer` (gan_core.run.trainer) or a
`CompareJob` (gan_core.compare.job). `is_active()` is a scalar read: the pool asks it often,
and never copies a job's histories.

Trainings and comparisons a browser starts wait in one first-come, first-served line for the
server's slots (gan_core.jobs.gate; a comparison takes two): `start_training` and `enqueue`
return at once, and the job's own thread waits for its turn, showing its place. Short work a
page does (a burst of the 2-D playground, decoding an upload) takes one of a few short-work
places instead (`slot()`), never a training's, and never waits.

Every job records its owner, a seat id (gan_core.jobs.seats): only the owner or the teacher
may control it, which the pages ask through `may_control`. A viewer link (gan_core.jobs.sharing)
shows a job read-only to anyone who holds it.

One pool per server process (a module global of gan_core.jobs.server, shared by every browser
session), so its own tables are guarded by a lock. A page calls `touch(id)` (or
`touch_run(folder)`) whenever it shows a job; a job no page has shown for `idle_seconds` is
stopped (Streamlit does not clean up threads that outlive their session).

Two backends share this pool: trainer threads in this process (the default), or Ray actors
(gan_core.jobs.ray_backend), passed in by whoever makes the pool (gan_core.jobs.server): the
backend decides how a trainer is made (`make_trainer`) and, with an `admission`, when the
cluster is full; pages see the same `Job`s either way.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gan_core.jobs.gate import SlotGate
from gan_core.jobs.job import Admission, Job, PoolBusy, Turn
from gan_core.jobs.seats import Seat, may_control
from gan_core.jobs.sharing import Access, ReadOnlyJob, ShareBook

if TYPE_CHECKING:  # pages that only watch jobs need not import TensorFlow
    from gan_core.run.snapshot import BudgetView

MAX_PER_SEAT = 2  # trainings and comparisons one browser may have running or waiting
MAX_WAITING = 60  # the longest line: two per student of a class of thirty


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


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


class TrainerPool:
    """The server's jobs: `max_active` training slots shared first come, first served, found
    again by id, stopped when no page has shown them for `idle_seconds` (default
    `GAN_LAB_IDLE_SECONDS`, 300 s); finished jobs are forgotten after `keep_finished_seconds`
    nobody looked at them. Thread-safe.

    `make_trainer(cfg, run_dir=..., data=..., turn=...)` builds what `start_training` starts
    (default: an in-process Trainer). With an `admission` (a cluster's), trainings are admitted
    by it and run elsewhere (jobs with `remote = True`), so the slots then hold only what runs
    here. `short_work` places (default: the machine's cores) serve `slot()`.
    """

    def __init__(
        self,
        max_active: int | None = None,
        idle_seconds: float | None = None,
        keep_finished_seconds: float = 3600.0,
        make_trainer: Callable[..., Job] | None = None,
        admission: Admission | None = None,
        short_work: int | None = None,
    ):
        self.gate = SlotGate(int(max_active if max_active is not None else _env_number("GAN_LAB_MAX_TRAININGS", 1)))
        self.idle_seconds = float(
            idle_seconds if idle_seconds is not None else _env_number("GAN_LAB_IDLE_SECONDS", 300)
        )
        self.keep_finished_seconds = keep_finished_seconds
        self.short_work = int(short_work if short_work is not None else max(1, os.cpu_count() or 1))
        self._entries: dict[str, _Entry] = {}
        self._held = 0  # places held by `slot()` blocks right now
        self._lock = threading.Lock()
        self._janitor: threading.Thread | None = None
        self.shares = ShareBook()
        self.make_trainer = make_trainer or _in_process_trainer
        self.admission = admission

    @property
    def max_active(self) -> int:
        """Training slots (a comparison takes two); the teacher can change it while jobs run."""
        return self.gate.capacity

    @max_active.setter
    def max_active(self, value: int) -> None:
        self.gate.set_capacity(value)

    # -- starting ------------------------------------------------------------------------------
    def _admit_locked(self, owner: str | None) -> None:
        """Raise PoolBusy when the line is full or `owner` already has MAX_PER_SEAT jobs going."""
        if self.gate.waiting() >= MAX_WAITING:
            raise PoolBusy(f"The line for training is full ({MAX_WAITING} waiting): try again in a minute.")
        if owner is not None:
            going = sum(1 for e in self._entries.values() if e.owner == owner and e.job.is_active())
            if going >= MAX_PER_SEAT:
                raise PoolBusy(
                    f"You already have {going} trainings or comparisons going: stop one before starting another."
                )

    def _register_locked(self, job: Job, owner: str | None, kind: str, job_id: str) -> str:
        self._entries[job_id] = _Entry(job, owner, kind)
        self.shares.issue(job_id)
        return job_id

    def enqueue(
        self, make_job: Callable[[Turn], Job], owner: str | None = None, slots: int = 1, kind: str = "training"
    ) -> str:
        """Create a job with `make_job(turn)` and start its thread, which waits for its `turn`
        (`slots` slots) in the server's line; returns its id (12 hex characters) at once.
        PoolBusy (nothing is created) when the line is full or `owner` has MAX_PER_SEAT jobs going."""
        with self._lock:
            self._admit_locked(owner)
            job_id = uuid.uuid4().hex[:12]
            job = make_job(Turn(self.gate, job_id, slots))
            self._register_locked(job, owner, kind, job_id)
            job.start()
        self._ensure_janitor()
        return job_id

    def start(self, make_job: Callable[[], Job], owner: str | None = None) -> str:
        """Create a job with `make_job()` (one that waits for no turn: a script's Trainer, a test's)
        and start it if a slot is free now; returns its id. PoolBusy (nothing is created) when
        every slot is taken or someone waits. Its slot is given back once it is no longer active."""
        with self._lock:
            self._reap_locked()
            self._admit_locked(owner)
            job_id = uuid.uuid4().hex[:12]
            if not self.gate.try_enter(job_id):
                raise PoolBusy(self._full_text())
            try:
                job = make_job()
            except BaseException:
                self.gate.leave(job_id)
                raise
            self._register_locked(job, owner, "training", job_id)
            job.start()
        self._ensure_janitor()
        return job_id

    def start_training(self, cfg, run_dir=None, data=None, owner: str | None = None, resume: bool = False) -> str:
        """Start a training of `cfg` (a TrainConfig) writing `run_dir`, on `data` (an ImageSet, or
        None to load cfg.data.source), owned by seat id `owner`, with this pool's backend: in the
        line for this machine's slots, or admitted by the cluster's room on Ray (PoolBusy when
        it has none). With `resume`, it continues `run_dir`'s newest checkpoint (a branch,
        gan_core/store/branch.py). Returns the job's id."""
        extra = {"resume": True} if resume else {}  # a backend that never resumes need not take it
        if self.admission is None:
            return self.enqueue(
                lambda turn: self.make_trainer(cfg, run_dir=run_dir, data=data, turn=turn, **extra), owner
            )
        with self._lock:
            self._admit_locked(owner)
            busy = self.admission.busy_text([e.job for e in self._entries.values()])
            if busy:
                raise PoolBusy(busy)
            job_id = uuid.uuid4().hex[:12]
            job = self.make_trainer(cfg, run_dir=run_dir, data=data, **extra)
            self._register_locked(job, owner, "training", job_id)
            self._entries[job_id].job.start()
        self._ensure_janitor()
        return job_id

    def _full_text(self) -> str:
        held, capacity = self.gate.held(), self.gate.capacity
        return (
            f"The machine is busy: {held} training slot{'s' if held != 1 else ''} taken "
            f"(this server allows {capacity} at a time). Try again when one finishes."
        )

    def busy_message(self) -> str | None:
        """What a new Start meets, in one line: the cluster's busy text on Ray, the line it
        would join here when every slot is taken, else None."""
        with self._lock:
            if self.admission is not None:
                return self.admission.busy_text([e.job for e in self._entries.values()])
            self._reap_locked()
        waiting, held, capacity = self.gate.waiting(), self.gate.held(), self.gate.capacity
        if held < capacity and not waiting:
            return None
        return (
            f"All {capacity} training slot{'s' if capacity != 1 else ''} are taken: a new run waits in line "
            f"({_ordinal(waiting + 1)}) and starts by itself when one finishes."
        )

    def active_count(self) -> int:
        """Jobs active now (running, paused or waiting in line) plus short work holding a place."""
        with self._lock:
            jobs, held = [e.job for e in self._entries.values()], self._held
        return held + sum(1 for job in jobs if job.is_active())

    def place(self, job_id: str | None) -> int | None:
        """The job's place in the line (1 = next), or None when it is not waiting."""
        return self.gate.place(job_id) if job_id else None

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one short-work place while the `with` block runs (work a browser started that is
        not a job: a burst of the 2-D playground, decoding an uploaded image set).

        Raises PoolBusy at once when every short-work place is taken; it never waits. The place
        is given back when the block ends, by return or by raise. Keep the block short: pages
        block on it, and the idle janitor does not see it.
        """
        with self._lock:
            if self._held >= self.short_work:
                raise PoolBusy(
                    f"The machine is busy: {self._held} other pages are computing right now. Try again in a moment."
                )
            self._held += 1
        try:
            yield
        finally:
            with self._lock:
                self._held -= 1

    def adopt(self, job: Job, owner: str | None = None) -> str:
        """Register a job started elsewhere (a script, a test) so pages can show it."""
        with self._lock:
            return self._register_locked(job, owner, "training", uuid.uuid4().hex[:12])

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


def _in_process_trainer(cfg, run_dir=None, data=None, turn: Turn | None = None, resume: bool = False) -> Job:
    from gan_core.run.trainer import Trainer  # TensorFlow only once a training starts

    return Trainer(cfg, run_dir=run_dir, resume=resume, data=data, turn=turn)
