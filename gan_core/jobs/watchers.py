"""How many browsers watch each run through its viewer link now.

A lecture hall: a hundred viewer pages of one run, each rerunning its status and panels every
few seconds, are a hundred Python page runs a second on the server's cores, and they slowed the
run itself and stalled its owner's page for more than 30 s (measured on two cores). Knowing how
many watch, the viewer pages refresh less often as their number grows (ui/refresh.py), so the
server's page work stays about what twenty viewers cost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WINDOW_SECONDS = 30.0  # a viewer page unseen for this long has gone (pages refresh every few seconds)
MAX_WATCHERS = 10_000  # a bound on what one run keeps: beyond it the oldest are forgotten


class Watchers:
    """Per job id, the viewer sessions seen within WINDOW_SECONDS. Thread-safe; `clock` in seconds."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._seen: dict[str, dict[str, float]] = {}
        self._lock = threading.Lock()

    def seen(self, job_id: str, session: str) -> int:
        """Note that viewer `session` (any stable text of one browser session) shows `job_id`
        now; returns how many viewer sessions have shown it within the window, this one included."""
        now = self._clock()
        with self._lock:
            for other in [j for j, sessions in self._seen.items() if j != job_id and sessions]:
                self._forget_old(other, now)
            sessions = self._seen.setdefault(job_id, {})
            sessions[session] = now
            self._forget_old(job_id, now)
            while len(sessions) > MAX_WATCHERS:
                sessions.pop(next(iter(sessions)))
            return len(sessions)

    def _forget_old(self, job_id: str, now: float) -> None:
        sessions = self._seen[job_id]
        for key in [k for k, t in sessions.items() if now - t > WINDOW_SECONDS]:
            del sessions[key]
        if not sessions:
            del self._seen[job_id]


_WATCHERS = Watchers()


def shared_watchers() -> Watchers:
    """The server's one Watchers, shared by every session's pages."""
    return _WATCHERS
