"""The server's training jobs: at most N at once, reattach by id, stop the abandoned.

A job is anything that satisfies the `Job` protocol: a `Trainer` (gan_core.run.trainer)
or a `CompareJob` (gan_core.compare.job). `is_active()` is a scalar read: the pool asks it
often, and never copies a job's histories.

Shorter work started from a browser (a burst of the 2-D playground, decoding an uploaded
image set) holds a slot too, for as long as it runs: `with pool.slot(): ...`. So "at most
N at once" holds whoever clicks what.

One pool per server process (a module global of gan_core.jobs.server, shared by every
browser session), so its own tables are guarded by a lock. A page calls `touch(id)` (or
`touch_run(folder)`) whenever it shows a job; a job no page has shown for `idle_seconds` is
stopped (Streamlit does not clean up threads that outlive their session).

Each job also gets an owner link and a viewer link (gan_core.jobs.sharing): `control(token)`
gives the job only for its owner token, `watch(token)` a read-only view for either.

Two backends share this pool: trainer threads in this process (the default), or Ray actors
(gan_core.jobs.ray_backend), passed in by whoever makes the pool (gan_core.jobs.server): the
backend decides how a trainer is made (`make_trainer`) and, with an `admission`, when the
pool is full; pages see the same `Job`s either way.
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

from gan_core.jobs.job import Admission, Job, PoolBusy
from gan_core.jobs.sharing import Access, ReadOnlyJob, ShareBook, ShareTokens

if TYPE_CHECKING:  # pages that only watch jobs need not import TensorFlow
    from gan_core.run.snapshot import BudgetView


@dataclass
class _Entry:
    job: Job
    last_seen: float = field(default_factory=time.monotonic)


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class TrainerPool:
    """The server's training jobs: at most `max_active` at once (slots), found again by id,
    stopped when no page has shown them for `idle_seconds`.

    `max_active` defaults to `GAN_LAB_MAX_TRAININGS` (1: one training saturates two cores),
    `idle_seconds` to `GAN_LAB_IDLE_SECONDS` (300 s); finished jobs are forgotten after
    `keep_finished_seconds` (seconds) nobody looked at them. Thread-safe.

    `make_trainer(cfg, run_dir=..., data=...)` builds what `start_training` starts (default:
    an in-process Trainer). With an `admission` (a cluster's), trainings are admitted by it
    and run elsewhere (jobs with `remote = True`), so `max_active` then limits only what runs
    here: comparisons and the short work of `slot()`.
    """

    def __init__(
        self,
        max_active: int | None = None,
        idle_seconds: float | None = None,
        keep_finished_seconds: float = 3600.0,
        make_trainer: Callable[..., Job] | None = None,
        admission: Admission | None = None,
    ):
        # One training saturates two cores; a second one would halve both.
        self.max_active = int(max_active if max_active is not None else _env_number("GAN_LAB_MAX_TRAININGS", 1))
        self.idle_seconds = float(
            idle_seconds if idle_seconds is not None else _env_number("GAN_LAB_IDLE_SECONDS", 300)
        )
        self.keep_finished_seconds = keep_finished_seconds
        self._entries: dict[str, _Entry] = {}
        self._held = 0  # slots held by `slot()` blocks right now
        self._lock = threading.Lock()
        self._janitor: threading.Thread | None = None
        self.shares = ShareBook()
        self.make_trainer = make_trainer or _in_process_trainer
        self.admission = admission

    def active_count(self) -> int:
        """Jobs running now plus short pieces of work holding a slot (polled by pages)."""
        with self._lock:
            jobs, held = [e.job for e in self._entries.values()], self._held
        return held + sum(1 for job in jobs if job.is_active())

    def _active_locked(self) -> int:
        # Admission must count and claim in one step, so this one runs under the lock;
        # is_active() reads one scalar, nothing more. Jobs on a cluster (`remote`) take no
        # slot of this machine.
        local = (e.job for e in self._entries.values() if not getattr(e.job, "remote", False))
        return self._held + sum(1 for job in local if job.is_active())

    def _training_busy_locked(self) -> str | None:
        if self.admission is not None:
            return self.admission.busy_text([e.job for e in self._entries.values()])
        return self._busy_text(self._active_locked())

    def busy_message(self) -> str | None:
        """The one-line "busy" text when a new training would be refused (no slot here, or no
        room on the cluster), else None."""
        with self._lock:
            return self._training_busy_locked()

    def _busy_text(self, active: int) -> str | None:
        if active < self.max_active:
            return None
        return (
            f"The machine is busy: {active} training{'s' if active != 1 else ''} already running "
            f"(this server allows {self.max_active} at a time). Try again when one finishes."
        )

    def start(self, make_job: Callable[[], Job]) -> str:
        """Create a job with `make_job()` and start it if a slot is free; returns its id
        (12 hex characters). Raises PoolBusy (nothing is created) when every slot is taken.
        The job runs in this process (a comparison, a script's Trainer): trainings that may
        go to a cluster start with `start_training`."""
        return self._start(make_job, self._busy_text_locked)

    def _busy_text_locked(self) -> str | None:
        return self._busy_text(self._active_locked())

    def _start(self, make_job: Callable[[], Job], busy_locked: Callable[[], str | None]) -> str:
        with self._lock:
            busy = busy_locked()
            if busy:
                raise PoolBusy(busy)
            job = make_job()
            job_id = uuid.uuid4().hex[:12]
            self._entries[job_id] = _Entry(job)
            self.shares.issue(job_id)
            job.start()
        self._ensure_janitor()
        return job_id

    def start_training(self, cfg, run_dir=None, data=None) -> str:
        """Start a training of `cfg` (a TrainConfig) writing `run_dir`, on `data` (an ImageSet, or
        None to load cfg.data.source), with this pool's backend: admitted by the cluster's room
        on Ray, by this machine's slots otherwise; as `start`."""
        return self._start(lambda: self.make_trainer(cfg, run_dir=run_dir, data=data), self._training_busy_locked)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one training slot while the `with` block runs (work a browser started that is
        not a job: a burst of the 2-D playground, decoding an uploaded image set).

        Raises PoolBusy (the same plain message as `start`) at once when no slot is free;
        it never waits. The slot is given back when the block ends, by return or by raise.
        Keep the block short: pages block on it, and the idle janitor does not see it.
        """
        with self._lock:
            busy = self._busy_text(self._active_locked())
            if busy:
                raise PoolBusy(busy)
            self._held += 1
        try:
            yield
        finally:
            with self._lock:
                self._held -= 1

    def adopt(self, job: Job) -> str:
        """Register a job started elsewhere (a script, a test) so pages can show it."""
        trainer_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._entries[trainer_id] = _Entry(job)
        self.shares.issue(trainer_id)
        return trainer_id

    def get(self, trainer_id: str | None) -> Job | None:
        """The job with this id, or None (no id, an unknown one, or one forgotten)."""
        if not trainer_id:
            return None
        with self._lock:
            entry = self._entries.get(trainer_id)
            return entry.job if entry else None

    def touch(self, trainer_id: str | None) -> None:
        """Mark the job with this id as shown now (the idle janitor spares it); unknown ids
        and None are ignored."""
        with self._lock:
            entry = self._entries.get(trainer_id or "")
            if entry:
                entry.last_seen = time.monotonic()

    def touch_run(self, run_dir) -> bool:
        """Mark the jobs that write into folder `run_dir` as watched (a page showing that run's
        files, such as the Latent explorer on a run that is still training); True when one
        of them is still active."""
        wanted = Path(run_dir).resolve()
        with self._lock:
            entries = list(self._entries.values())
        watched = [
            e
            for e in entries
            if getattr(e.job, "run_dir", None) is not None and Path(e.job.run_dir).resolve() == wanted
        ]
        with self._lock:
            for entry in watched:
                entry.last_seen = time.monotonic()
        return any(entry.job.is_active() for entry in watched)

    def run_states(self) -> dict[str, BudgetView]:
        """The status (state, step, ...) of every active job that writes a run folder, keyed
        by the folder's resolved path (str): what the Runs page shows and what a delete must
        spare. Looking does not mark a job as watched."""
        with self._lock:
            jobs = [e.job for e in self._entries.values()]
        found = {}
        for job in jobs:
            folder = getattr(job, "run_dir", None)
            if folder is not None and job.is_active():
                found[str(Path(folder).resolve())] = job.status()
        return found

    def sweep(self) -> list[str]:
        """Stop jobs nobody has looked at for idle_seconds; forget old finished ones.
        Returns the ids of the jobs it stopped."""
        now = time.monotonic()
        stopped, forget = [], []
        with self._lock:
            items = list(self._entries.items())
        for trainer_id, entry in items:
            idle = now - entry.last_seen
            if entry.job.is_active() and idle > self.idle_seconds:
                entry.job.stop(timeout=0.1)
                stopped.append(trainer_id)
            elif not entry.job.is_active() and idle > self.keep_finished_seconds:
                forget.append(trainer_id)
        with self._lock:
            for trainer_id in forget:
                self._entries.pop(trainer_id, None)
        for trainer_id in forget:
            self.shares.forget(trainer_id)  # its links open nothing from now on
        return stopped

    # -- shared runs: owner and viewer links ----------------------------------------------------
    def share_tokens(self, job_id: str | None) -> ShareTokens | None:
        """The owner and viewer tokens of the job `job_id`, or None when the pool does not hold it."""
        return self.shares.tokens(job_id) if self.get(job_id) is not None else None

    def open_link(self, token: str | None) -> Access | None:
        """What a link token opens (job id and role) while the pool still holds that job, else None."""
        access = self.shares.resolve(token)
        return access if access is not None and self.get(access.job_id) is not None else None

    def control(self, token: str | None) -> Job | None:
        """The job itself, for its owner token only; None for a viewer token or an unknown one."""
        access = self.open_link(token)
        return self.get(access.job_id) if access is not None and access.can_control else None

    def watch(self, token: str | None) -> ReadOnlyJob | None:
        """A read-only view of the job (status, snapshot, board) for its owner or viewer token, else None."""
        access = self.open_link(token)
        job = self.get(access.job_id) if access is not None else None
        return ReadOnlyJob(job) if job is not None else None

    def stop_all(self) -> None:
        """Stop every job, waiting up to 2 s for each (server shutdown, tests)."""
        with self._lock:
            jobs = [e.job for e in self._entries.values()]
        for job in jobs:
            job.stop(timeout=2.0)

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


def _in_process_trainer(cfg, run_dir=None, data=None) -> Job:
    from gan_core.run.trainer import Trainer  # TensorFlow only once a training starts

    return Trainer(cfg, run_dir=run_dir, data=data)
