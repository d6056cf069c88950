"""Predict, then run: the verdict's machine-readable outcome, and the book of predictions the
Class page sums up per exercise (seat ids only, bounded)."""

from __future__ import annotations

import pytest

from gan_core.compare.verdict import A_BETTER, ABOUT_SAME, B_BETTER, outcome, verdict
from gan_core.config.tree import ConfigError
from gan_core.jobs.predictions import PredictionBook, prediction, settle_ended
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
