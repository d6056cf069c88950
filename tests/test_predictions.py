"""Predict, then run: the verdict's machine-readable outcome, and the book of predictions the
Class page sums up per exercise (seat ids only, bounded)."""

from __future__ import annotations

import pytest

from gan_core.compare.verdict import A_BETTER, ABOUT_SAME, B_BETTER, outcome, verdict
from gan_core.config.tree import ConfigError
from gan_core.jobs.predictions import PredictionBook, prediction
from gan_core.jobs.settle import settle_ended
from gan_core.run.snapshot import Board, EpochRecord, Snapshot

NAN = "g_loss became nan at step 37: training paused. Lower the learning rates."


def arm(share=None, classes=10, warnings=()):
    epochs = ()
    if share is not None:
        quality = {"recognized_share": share, "classes_present": classes}
        epochs = (EpochRecord(epoch=1, step=20, seconds=2.0, grid_png=b"", quality=quality),)
    return Snapshot(state="finished", epochs=epochs, warnings=tuple(warnings))


@pytest.mark.parametrize(
    ("a", "b", "came_out", "said"),
    [
        (arm(0.91), arm(0.12, 3), A_BETTER, "A is clearly ahead."),
        (arm(0.30), arm(0.95), B_BETTER, "B is clearly ahead."),
        (arm(0.40), arm(0.44), ABOUT_SAME, "Too close to call."),
        (arm(0.6), arm(0.0, 0, [NAN]), A_BETTER, "A is ahead."),
        (arm(0.0, 0, [NAN]), arm(0.2), B_BETTER, "B is ahead."),
        (arm(), arm(), None, "no finished epoch yet."),
        (arm(0.5, 5, [NAN]), arm(0.5, 5, [NAN]), None, "broke down."),
    ],
)
def test_the_outcome_is_what_the_verdict_says(a, b, came_out, said):
    assert outcome(a, b) == came_out
    assert verdict(a, b).endswith(said)


def test_a_prediction_is_one_of_the_offered_answers():
    assert prediction("B better", "G's loss").curve == "G's loss"
    for bad in (("A wins",), ("A better", "the moon")):
        with pytest.raises(ConfigError) as e:
            prediction(*bad)
        assert "\n" not in str(e.value)


def test_the_class_summary_counts_each_seat_once_and_every_finished_run():
    book = PredictionBook()
    book.record("j1", "ex", "Non-saturating", "seat-a", prediction("B better"))
    book.record("j2", "ex", "Non-saturating", "seat-b", prediction("A better"))
    book.record("j3", "ex", "Non-saturating", "seat-a", prediction("A better"))  # seat a changed its mind
    book.record("j4", "other", "Batch norm", "seat-c", prediction("about the same"))
    book.settle("j1", "finished", "A better")
    book.settle("j3", "finished", "A better")
    book.settle("j3", "finished", "B better")  # once only
    book.settle("j2", "stopped", "A better")  # a stopped run has no outcome
    newest, oldest = book.summary()
    assert newest.exercise_id == "other" and newest.predicted["about the same"] == 1
    assert oldest.predicted == {"A better": 2, "B better": 0, "about the same": 0}
    assert oldest.came_out == {"A better": 2, "B better": 0, "about the same": 0, "no call": 0}
    assert (oldest.finished, oldest.right) == (2, 1)  # j1 predicted B, j3 predicted A
    assert book.get("j2").ended == "stopped" and book.get("j2").outcome is None
    assert book.unsettled() == ["j4"]


def test_the_book_keeps_at_most_its_bound_dropping_the_oldest():
    book = PredictionBook(max_records=3)
    for i in range(5):
        book.record(f"j{i}", f"ex{i}", "t" * 500, "seat", prediction("A better"))
    assert [s.exercise_id for s in book.summary()] == ["ex4", "ex3", "ex2"]
    assert book.get("j0") is None and len(book.get("j4").title) == 120


class _Ended:
    """A comparison that ended: its boards laid out like a CompareJob's (A and B of the first
    seed, then of the next: `a` and `b` are one snapshot or one per seed), and its state."""

    def __init__(self, state, a, b):
        a, b = (a,) if isinstance(a, Snapshot) else a, (b,) if isinstance(b, Snapshot) else b
        self.boards = tuple(Board() for _ in range(2 * len(a)))
        for board, snap in zip(self.boards, (s for pair in zip(a, b) for s in pair)):
            for record in snap.epochs:
                board.add_epoch(record)
        self._state = state
        self.careful = len(a) > 1

    def arm_boards(self, arm):
        return self.boards[("A", "B").index(arm) :: 2]

    def status(self):
        return Snapshot(state=self._state)


def test_ended_comparisons_are_settled_from_their_boards():
    book = PredictionBook()
    jobs = {"done": _Ended("finished", arm(0.2), arm(0.9)), "halted": _Ended("stopped", arm(0.9), arm(0.1))}
    for job_id in ("done", "halted", "gone"):
        book.record(job_id, "ex", "t", f"seat-{job_id}", prediction("B better"))
    settle_ended(book, jobs.get)
    assert book.get("done").outcome == B_BETTER and book.get("done").right
    assert book.get("halted").ended == "stopped" and not book.get("halted").right
    assert book.unsettled() == ["gone"]  # the pool forgot it: nothing to say


def test_a_careful_comparison_comes_out_against_its_seeds_spread_not_its_first_seed():
    # Seed 1 alone says A is clearly ahead (0.60 against 0.40); over three seeds the means
    # differ by 0.05 while A's seeds spread over 0.45: within noise, so "about the same".
    wide = _Ended("finished", [arm(0.60), arm(0.15), arm(0.30)], [arm(0.40), arm(0.20), arm(0.30)])
    # Three seeds each, tight and far apart: B is better beyond noise.
    clear = _Ended("finished", [arm(0.30), arm(0.32), arm(0.31)], [arm(0.70), arm(0.72), arm(0.69)])
    book = PredictionBook()
    for job_id in ("wide", "clear"):
        book.record(job_id, "ex", "t", f"seat-{job_id}", prediction("A better"))
    settle_ended(book, {"wide": wide, "clear": clear}.get)
    assert book.get("wide").outcome == ABOUT_SAME and not book.get("wide").right
    assert book.get("clear").outcome == B_BETTER


def test_a_restarted_server_still_shows_the_class_its_predictions(tmp_path):
    path = tmp_path / "runs" / ".predictions.jsonl"  # the runs folder need not exist yet
    book = PredictionBook(path=path)
    book.record("j1", "ex", "Non-saturating", "seat-a", prediction("B better", "G's loss"), card="non-saturating")
    book.record("j2", "ex", "Non-saturating", "seat-b", prediction("A better"))
    book.settle("j1", "finished", "B better", "G's loss")
    # The server stops while j2 still runs; a new process reads the folder back.
    again = PredictionBook(path=path)
    assert again.get("j1") == book.get("j1") and again.get("j1").right and again.get("j1").curve_right
    assert again.get("j2").ended == "stopped"  # cut short by the restart, never left "running"
    assert again.unsettled() == []
    (summary,) = again.summary()
    assert summary.predicted["B better"] == 1 and summary.predicted["A better"] == 1
    assert summary.finished == 1 and summary.right == 1 and summary.curve_right == 1


def test_a_torn_or_foreign_journal_costs_only_its_bad_lines(tmp_path):
    path = tmp_path / ".predictions.jsonl"
    book = PredictionBook(path=path)
    book.record("good", "ex", "Title", "seat-a", prediction("about the same"))
    with open(path, "ab") as fh:
        fh.write(b"[1, 2]\n")  # JSON, not a record
        fh.write(b'{"job_id": "x", "expected": "A wins"}\n')  # not an answer the question offers
        fh.write(b'{"job_id": "y", "exercise_id": "e", "title": "t", "seat": "s", "expected": "A better", ')
        fh.write(b'"curve": "", "card": "", "ended": "finished", "outcome": "the moon"}\n')
        fh.write(b"\xff\xfe not utf-8\n")
        fh.write(b'{"job_id": "half", "exer')  # a crash in the middle of a line
    again = PredictionBook(path=path)
    assert [s.exercise_id for s in again.summary()] == ["ex"]
    assert again.get("x") is None and again.get("y") is None and again.get("half") is None
    # ... and it goes on writing after the torn line.
    again.record("next", "ex", "Title", "seat-b", prediction("A better"))
    assert PredictionBook(path=path).get("next") is not None


def test_the_journal_stays_bounded_however_long_the_server_runs(tmp_path):
    path = tmp_path / ".predictions.jsonl"
    book = PredictionBook(max_records=5, path=path)
    for i in range(60):
        book.record(f"j{i}", "ex", "Title", f"seat-{i}", prediction("A better"))
        book.settle(f"j{i}", "stopped")
    assert len(path.read_text().splitlines()) <= 2 * 5 + 1  # compacted, not 120 lines
    again = PredictionBook(max_records=5, path=path)
    assert [again.get(f"j{i}") is not None for i in (54, 55, 59)] == [False, True, True]


def test_a_journal_that_cannot_be_written_leaves_the_book_in_memory(tmp_path):
    blocker = tmp_path / "runs"
    blocker.write_text("a file where the runs folder should be")
    book = PredictionBook(path=blocker / ".predictions.jsonl")
    book.record("j1", "ex", "Title", "seat-a", prediction("A better"))
    book.settle("j1", "finished", "A better")
    assert book.get("j1").right


def test_the_servers_book_lives_in_its_runs_folder(tmp_path):
    """Two server processes one after the other on the same runs folder: the second one's
    Class page counts what the first one's class predicted."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, GAN_LAB_RUNS=str(tmp_path / "runs"))
    first = (
        "from gan_core.jobs.predictions import shared_predictions, prediction\n"
        "book = shared_predictions()\n"
        "book.record('j1', 'ex', 'The pair', 'seat-a', prediction('A better'))\n"
        "book.settle('j1', 'finished', 'A better')\n"
    )
    second = (
        "from gan_core.jobs.predictions import shared_predictions\n"
        "(s,) = shared_predictions().summary()\n"
        "print(s.title, s.predicted['A better'], s.finished, s.right)\n"
    )
    for code in (first, second):
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["The", "pair", "1", "1", "1"]
    assert (tmp_path / "runs" / ".predictions.jsonl").is_file()
