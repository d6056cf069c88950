"""One published view of a run's panels for every session that shows it (owner and viewers).

Building a plotly figure costs tens of milliseconds of the server's Python (on two cores,
under the GIL the trainer thread needs too); thirty sessions each building three figures per
refresh would cost the trainer more than the figures are worth. So the server keeps, per
run, one snapshot whose series follow the run with one SeriesFollower (only new rows are
copied), republished at most every REPUBLISH_SECONDS while only the curves grow (at once when
the state, the epoch, the early grid or a hack changes), and each figure of it is built once, on first ask,
and then handed to every session. Identical figures also give identical messages, which
browsers keep in Streamlit's message cache instead of receiving again.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import replace

from gan_core.run.snapshot import Board, SeriesFollower, Snapshot

REPUBLISH_SECONDS = 2.0  # half the panels' refresh: a session sees curves at most this much older


class PublishedRun:
    """The shared panels of one run (one Board): its latest published Snapshot and the figures
    built from it. Thread-safe: sessions draw from their own script threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._follower = SeriesFollower()
        self._key: tuple | None = None
        self._published_at = float("-inf")
        self._snapshot: Snapshot | None = None
        self._figures: dict = {}

    def snapshot(self, board: Board) -> Snapshot:
        """The published snapshot of `board`, first republished when it is due (see the module)."""
        with self._lock:
            status = board.status()
            key = (status.state, status.epoch, status.preview_step, len(board.changes()), status.message, board.rows())
            now = time.monotonic()
            changed = self._key is None or key[:-1] != self._key[:-1]
            if key != self._key and (changed or now - self._published_at >= REPUBLISH_SECONDS):
                series = self._follower.update(board)
                self._snapshot = replace(board.snapshot(series=False), series=series)
                self._key, self._published_at, self._figures = key, now, {}
            return self._snapshot

    def figure(self, snapshot: Snapshot, name: str, build: Callable[[Snapshot], object]):
        """The figure `name` of `snapshot`, built by `build(snapshot)` once and then shared; a
        snapshot that is no longer the published one gets a figure of its own (not kept)."""
        with self._lock:
            if snapshot is not self._snapshot:
                return build(snapshot)
            if name not in self._figures:
                self._figures[name] = build(snapshot)
            return self._figures[name]


_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Board -> PublishedRun, gone with the run
_RUNS_LOCK = threading.Lock()


def published_run(board: Board) -> PublishedRun:
    """The server-wide PublishedRun of `board` (made on first ask, forgotten with the board)."""
    with _RUNS_LOCK:
        run = _RUNS.get(board)
        if run is None:
            run = _RUNS[board] = PublishedRun()
        return run
