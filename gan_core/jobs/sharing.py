"""Shared runs: an owner link that controls a job, a viewer link that only watches it.

Every job in the pool gets two unguessable tokens (`secrets.token_urlsafe`, 256 bits each):
whoever holds the owner token may pause, resume, stop and change the hacks; whoever holds the
viewer token gets a `ReadOnlyJob`, which offers what the job publishes and none of its
controls. A job id (12 hex characters, in logs and run lists) is neither: it opens nothing.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

OWNER = "owner"
VIEWER = "viewer"
TOKEN_BYTES = 32  # the secrets module's default: "32 bytes (256 bits) of randomness is sufficient" (its docs)


@dataclass(frozen=True)
class ShareTokens:
    """A job's two link tokens: `owner` controls it, `viewer` only watches it (URL-safe text)."""

    owner: str
    viewer: str


@dataclass(frozen=True)
class Access:
    """What one link token opens: the job's id and the role (OWNER or VIEWER)."""

    job_id: str
    role: str

    @property
    def can_control(self) -> bool:
        """Whether this link may change the job (pause, resume, stop, hacks, roll-back)."""
        return self.role == OWNER


class ShareBook:
    """The tokens of every job of one pool, both ways (job id -> tokens, token -> access). Thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens: dict[str, ShareTokens] = {}
        self._by_token: dict[str, Access] = {}

    def issue(self, job_id: str) -> ShareTokens:
        """Make fresh owner and viewer tokens for `job_id` (replacing any it had) and return them."""
        tokens = ShareTokens(secrets.token_urlsafe(TOKEN_BYTES), secrets.token_urlsafe(TOKEN_BYTES))
        with self._lock:
            self._drop_locked(job_id)
            self._tokens[job_id] = tokens
            self._by_token[tokens.owner] = Access(job_id, OWNER)
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
        """Invalidate both links of `job_id` (the pool forgets the job)."""
        with self._lock:
            self._drop_locked(job_id)

    def _drop_locked(self, job_id: str) -> None:
        old = self._tokens.pop(job_id, None)
        if old is not None:
            self._by_token.pop(old.owner, None)
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
