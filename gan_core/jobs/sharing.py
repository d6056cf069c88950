"""Shared runs: a viewer link that only watches a job.

Every job in the pool gets an unguessable viewer token (`secrets.token_urlsafe`, 256 bits):
whoever holds it gets a `ReadOnlyJob`, which offers what the job publishes and none of its
controls. Control is never in a link: it belongs to the browser that started the job and to
the teacher (gan_core.jobs.seats), so a projected address bar hands nobody the run. The owner
can renew the link (`ShareBook.issue` again), which closes the old one. A job id (12 hex
characters, in logs and run lists) opens nothing.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

VIEWER = "viewer"
TOKEN_BYTES = 32  # the secrets module's default: "32 bytes (256 bits) of randomness is sufficient" (its docs)


@dataclass(frozen=True)
class ShareTokens:
    """A job's link token: `viewer` watches it read-only (URL-safe text)."""

    viewer: str


@dataclass(frozen=True)
class Access:
    """What one link token opens: the job's id and the role (always VIEWER: no link controls a job)."""

    job_id: str
    role: str = VIEWER


class ShareBook:
    """The link tokens of every job of one pool, both ways (job id -> tokens, token -> access). Thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, ShareTokens] = {}
        self._by_token: dict[str, Access] = {}

    def issue(self, job_id: str) -> ShareTokens:
        """Make a fresh viewer token for `job_id` (replacing, and so closing, any it had) and return it."""
        tokens = ShareTokens(secrets.token_urlsafe(TOKEN_BYTES))
        with self._lock:
            self._drop_locked(job_id)
            self._tokens[job_id] = tokens
            self._by_token[tokens.viewer] = Access(job_id, VIEWER)
        return tokens

    def tokens(self, job_id: str | None) -> ShareTokens | None:
        """The tokens of `job_id`, or None for an unknown (or forgotten) job."""
        with self._lock:
            return self._tokens.get(job_id or "")

    def resolve(self, token: str | None) -> Access | None:
        """What `token` opens, or None (no token, a mistyped one, one of a forgotten job)."""
        if not token:
            return None
        with self._lock:
            return self._by_token.get(token)

    def forget(self, job_id: str) -> None:
        """Invalidate the link of `job_id` (the pool forgets the job)."""
        with self._lock:
            self._drop_locked(job_id)

    def _drop_locked(self, job_id: str) -> None:
        old = self._tokens.pop(job_id, None)
        if old is not None:
            self._by_token.pop(old.viewer, None)


class ReadOnlyJob:
    """A job seen through a viewer link: its status, snapshot and board, none of its controls.

    It has no `pause`, `resume`, `stop`, `set_hack` or `roll_back`, so a page drawn for a
    viewer has nothing to call them on.
    """

    __slots__ = ("_job",)

    def __init__(self, job):
        self._job = job

    @property
    def board(self):
        """The job's published board (read it with `snapshot()`/`status()`; the page never writes it)."""
        return self._job.board

    @property
    def run_dir(self):
        """The folder the job writes (a Path), or None."""
        return getattr(self._job, "run_dir", None)

    def status(self):
        """The job's latest Status (scalars only)."""
        return self._job.status()

    def snapshot(self):
        """The job's latest Snapshot (a copy)."""
        return self._job.snapshot()

    def is_active(self) -> bool:
        """Whether the job is starting, running, paused or stopping."""
        return self._job.is_active()
