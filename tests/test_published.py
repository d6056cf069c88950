"""Every session that shows a run draws the same published snapshot, each figure built once."""

import threading
import time

import numpy as np

from gan_core.run.snapshot import Board, HackChange
from gan_core.step.gan_step import METRIC_NAMES
from ui import published
from ui.figures import train as charts


def rows(n, start=0.0):
    return np.full((n, len(METRIC_NAMES)), start, dtype=np.float32)


def test_many_sessions_share_one_snapshot_and_one_build_of_each_figure(monkeypatch):
    monkeypatch.setattr(published, "REPUBLISH_SECONDS", 0.5)
    board = Board()
    board.update(state="running", step=10)
    board.extend_series(rows(10))
    run = published.published_run(board)
    assert published.published_run(board) is run  # one per run, server-wide
    builds = []

    def build(snap):
        builds.append(snap)
        return charts.loss_figure(snap)

    drawn = []

    def session():
        snap = run.snapshot(board)
        drawn.append((snap, run.figure(snap, "loss:False", build)))

    threads = [threading.Thread(target=session) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(s) for s, _ in drawn}) == 1 and len({id(f) for _, f in drawn}) == 1
    assert len(builds) == 1 and len(builds[0].series["g_loss"]) == 10

    # New rows only: the same snapshot is served until REPUBLISH_SECONDS have passed ...
    board.extend_series(rows(5, 1.0))
    assert run.snapshot(board) is builds[0]
    time.sleep(0.6)
    fresh = run.snapshot(board)
    assert fresh is not builds[0] and list(fresh.series["g_loss"][-6:]) == [0, 1, 1, 1, 1, 1]
    # ... but a hack change (a marker on the curves) or a new state is published at once.
    board.add_change(HackChange(15, "hacks.flip_probability", 0.05, 0.3, "flip 0.05 → 0.30"))
    marked = run.snapshot(board)
    assert marked is not fresh and len(marked.changes) == 1
    board.update(state="paused")
    assert run.snapshot(board).state == "paused"


def test_a_superseded_snapshot_still_gets_its_own_figure_without_replacing_the_shared_one():
    board = Board()
    board.update(state="running")
    board.extend_series(rows(3))
    run = published.published_run(board)
    old = run.snapshot(board)
    board.update(state="paused")
    new = run.snapshot(board)
    shared = run.figure(new, "loss:False", charts.loss_figure)
    assert run.figure(old, "loss:False", charts.loss_figure) is not shared
    assert run.figure(new, "loss:False", charts.loss_figure) is shared
