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
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from gan_core.jobs.gate import SlotGate
from gan_core.jobs.job import Admission, Job, PoolBusy, Turn
from gan_core.jobs.job_table import JobRow, JobTable

__all__ = ["MAX_PER_SEAT", "MAX_WAITING", "JobRow", "TrainerPool"]

MAX_PER_SEAT = 2  # trainings and comparisons one browser may have running or waiting
MAX_WAITING = 60  # the longest line: two per student of a class of thirty


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


class TrainerPool(JobTable):
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
        super().__init__(
            idle_seconds if idle_seconds is not None else _env_number("GAN_LAB_IDLE_SECONDS", 300),
            keep_finished_seconds,
            SlotGate(int(max_active if max_active is not None else _env_number("GAN_LAB_MAX_TRAININGS", 1))),
        )
        self.short_work = int(short_work if short_work is not None else max(1, os.cpu_count() or 1))
        self._held = 0  # places held by `slot()` blocks right now
        self.make_trainer = make_trainer or _in_process_trainer
        self.admission = admission

    @property
    def max_active(self) -> int:
        """Training slots (a comparison takes two); the teacher can change it while jobs run."""
        return self.gate.capacity

    @max_active.setter
    def max_active(self, value: int) -> None:
        """Change how many jobs train at once (the teacher's limit); the line moves up at once."""
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


def _in_process_trainer(cfg, run_dir=None, data=None, turn: Turn | None = None, resume: bool = False) -> Job:
    from gan_core.run.trainer import Trainer  # TensorFlow only once a training starts

    return Trainer(cfg, run_dir=run_dir, resume=resume, data=data, turn=turn)
