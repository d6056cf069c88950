"""The server's training jobs: at most N at once, reattach by id, stop the abandoned.

A job is a Trainer or a CompareJob: anything with start(), stop(timeout) and is_active().

One pool per server process (the app keeps it in st.cache_resource, shared by every
browser session), so everything here is guarded by a lock. A page calls `touch(id)`
whenever it draws; a trainer whose page has not drawn for `idle_seconds` is stopped
(Streamlit does not clean up threads that outlive their session).
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Optional

from .trainer import Trainer


class PoolBusy(RuntimeError):
    """No free training slot; the message says so plainly."""


@dataclass
class _Entry:
    trainer: Trainer          # or a CompareJob: both train on the same two cores
    last_seen: float = field(default_factory=time.monotonic)


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class TrainerPool:
    def __init__(self, max_active: Optional[int] = None, idle_seconds: Optional[float] = None,
                 keep_finished_seconds: float = 3600.0):
        # One training saturates two cores; a second one would halve both.
        self.max_active = int(max_active if max_active is not None else _env_number("GAN_LAB_MAX_TRAININGS", 1))
        self.idle_seconds = float(idle_seconds if idle_seconds is not None
                                  else _env_number("GAN_LAB_IDLE_SECONDS", 300))
        self.keep_finished_seconds = keep_finished_seconds
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._janitor: Optional[threading.Thread] = None

    def active_count(self) -> int:
        with self._lock:
            return sum(1 for e in self._entries.values() if e.trainer.is_active())

    def busy_message(self) -> Optional[str]:
        return self._busy_text(self.active_count())

    def _busy_text(self, active: int) -> Optional[str]:
        if active < self.max_active:
            return None
        return (f"The machine is busy: {active} training{'s' if active != 1 else ''} already running "
                f"(this server allows {self.max_active} at a time). Try again when one finishes.")

    def start(self, make_trainer: Callable[[], Trainer]) -> str:
        """Create and start a trainer if a slot is free; returns its id."""
        with self._lock:
            busy = self._busy_text(sum(1 for e in self._entries.values() if e.trainer.is_active()))
            if busy:
                raise PoolBusy(busy)
            trainer = make_trainer()
            trainer_id = uuid.uuid4().hex[:12]
            self._entries[trainer_id] = _Entry(trainer)
            trainer.start()
        self._ensure_janitor()
        return trainer_id

    def adopt(self, job) -> str:
        """Register a job started elsewhere (a script, a test) so pages can show it."""
        trainer_id = uuid.uuid4().hex[:12]
        with self._lock:
            self._entries[trainer_id] = _Entry(job)
        return trainer_id

    def get(self, trainer_id: Optional[str]) -> Optional[Trainer]:
        if not trainer_id:
            return None
        with self._lock:
            entry = self._entries.get(trainer_id)
            return entry.trainer if entry else None

    def touch(self, trainer_id: Optional[str]) -> None:
        with self._lock:
            entry = self._entries.get(trainer_id or "")
            if entry:
                entry.last_seen = time.monotonic()

    def sweep(self) -> list[str]:
        """Stop trainers nobody has looked at for idle_seconds; forget old finished ones."""
        now = time.monotonic()
        stopped, forget = [], []
        with self._lock:
            items = list(self._entries.items())
        for trainer_id, entry in items:
            idle = now - entry.last_seen
            if entry.trainer.is_active() and idle > self.idle_seconds:
                entry.trainer.stop(timeout=0.1)
                stopped.append(trainer_id)
            elif not entry.trainer.is_active() and idle > self.keep_finished_seconds:
                forget.append(trainer_id)
        with self._lock:
            for trainer_id in forget:
                self._entries.pop(trainer_id, None)
        return stopped

    def stop_all(self) -> None:
        with self._lock:
            trainers = [e.trainer for e in self._entries.values()]
        for t in trainers:
            t.stop(timeout=2.0)

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


_SHARED: Optional[TrainerPool] = None
_SHARED_LOCK = threading.Lock()


def shared_pool() -> TrainerPool:
    """The one pool of this server process, shared by every browser session."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = TrainerPool()
        return _SHARED
