"""What a polling page reads: scalars every second, and only the new rows of the curves."""

from __future__ import annotations

import numpy as np

from gan_core.run.snapshot import Board, SeriesFollower, Status
from gan_core.step.gan_step import METRIC_NAMES


def rows(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.float64)[:, None] * np.ones(len(METRIC_NAMES))


def test_status_carries_the_scalars_and_warnings_but_no_history():
    board = Board()
    board.extend_series(rows(0, 1000))
    board.update(state="running", step=1000, epoch=3, elapsed=12.5, max_seconds=60.0, steps_per_s=80.0)
    board.warn("D wins")
    status = board.status()
    assert isinstance(status, Status) and not hasattr(status, "series")
    assert (status.state, status.step, status.epoch, status.active) == ("running", 1000, 3, True)
    assert status.progress == 12.5 / 60.0 and status.warnings == ("D wins",)


def test_a_follower_ends_with_every_row_while_copying_only_the_new_ones():
    board, follower = Board(), SeriesFollower()
    board.extend_series(rows(0, 5))
    first = follower.update(board)
    assert list(first["g_loss"]) == [0, 1, 2, 3, 4]
    assert board.series_since(follower.rows)["g_loss"] == []  # nothing new: nothing copied
    board.extend_series(rows(5, 3))
    assert len(board.series_since(follower.rows)["g_loss"]) == 3  # the next update copies 3 rows
    second = follower.update(board)
    assert list(second["g_loss"]) == list(range(8)) == board.snapshot().series["g_loss"]
    assert list(first["g_loss"]) == [0, 1, 2, 3, 4]  # an earlier draw's data is untouched


def test_a_snapshot_without_series_leaves_them_to_the_follower():
    board = Board()
    board.extend_series(rows(0, 4))
    snap = board.snapshot(series=False)
    assert all(values == [] for values in snap.series.values()) and set(snap.series) == set(METRIC_NAMES)
    assert board.rows() == 4
