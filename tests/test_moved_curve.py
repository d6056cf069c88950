"""Which curve moves: a comparison names the curve it moved beyond the curves' own wobble (or
none), and a student's optional curve guess is scored against it, on the page and in the
Class page's counts."""

from __future__ import annotations

import numpy as np
import pytest

from gan_core.compare.moved import CURVES, MIN_STEPS, curve_shift, moved_curve
from gan_core.jobs.predictions import PredictionBook, prediction
from gan_core.jobs.settle import settle_ended
from gan_core.run.snapshot import Board, EpochRecord, Snapshot
from gan_core.step.gan_step import METRIC_NAMES

STEPS = 400


def series(seed: int, shift: dict | None = None, steps: int = STEPS) -> dict[str, list[float]]:
    """Per-step metrics around fixed levels with noise of std 0.1; `shift` adds to a metric's level."""
    rng = np.random.default_rng(seed)
    levels = dict.fromkeys(METRIC_NAMES, 0.6) | (shift or {})
    return {name: list(levels.get(name, 0.6) + 0.1 * rng.standard_normal(steps)) for name in METRIC_NAMES}


def snap(seed: int, shift: dict | None = None, share: float = 0.5, steps: int = STEPS) -> Snapshot:
    quality = {"recognized_share": share, "classes_present": 10}
    epoch = EpochRecord(epoch=1, step=steps, seconds=2.0, grid_png=b"", quality=quality)
    return Snapshot(state="finished", series=series(seed, shift, steps), epochs=(epoch,))


def test_the_curve_that_shifted_past_its_wobble_is_named():
    # D's accuracy on fakes sits 0.3 lower in B: three times its step-to-step noise.
    a, b = snap(1), snap(2, {"d_acc_fake": 0.3})
    assert moved_curve([a], [b]) == "D's accuracy on fake"
    assert curve_shift([a], [b], ("d_acc_fake",)) == pytest.approx(3.0, abs=0.5)


def test_d_loss_is_the_sum_of_its_real_and_fake_parts():
    a, b = snap(1), snap(2, {"d_loss_real": 0.15, "d_loss_fake": 0.15})
    assert moved_curve([a], [b]) == "D's loss"


def test_two_arms_of_the_same_noise_moved_nothing():
    assert moved_curve([snap(1)], [snap(2)]) is None


def test_a_quality_lead_past_the_verdicts_margin_is_the_quality_moving():
    assert moved_curve([snap(1, share=0.9)], [snap(2, share=0.3)]) == "the quality"
    assert "the quality" in CURVES


def test_a_run_too_short_to_read_judges_no_curve():
    short = MIN_STEPS  # its late half holds fewer than MIN_STEPS steps
    assert curve_shift([snap(1, steps=short)], [snap(2, {"g_loss": 5.0}, steps=short)], ("g_loss",)) is None


def test_seeds_are_pooled_so_one_odd_seed_does_not_decide():
    # Only B's first seed has a high G loss; over three seeds the shift is a third of it.
    a = [snap(s) for s in (1, 2, 3)]
    b = [snap(4, {"g_loss": 0.25}), snap(5), snap(6)]
    assert moved_curve(a[:1], b[:1]) == "G's loss"
    assert moved_curve(a, b) is None


class _Finished:
    """A finished comparison with one board per arm, holding the arms' series and epochs."""

    careful = False

    def __init__(self, a: Snapshot, b: Snapshot):
        self.boards = (Board(), Board())
        for board, s in zip(self.boards, (a, b)):
            board.extend_series(np.array([s.series[name] for name in METRIC_NAMES]).T)
            for record in s.epochs:
                board.add_epoch(record)

    def status(self):
        return Snapshot(state="finished")


def test_a_curve_guess_is_scored_and_the_class_counts_it():
    book = PredictionBook()
    job = _Finished(snap(1), snap(2, {"d_acc_fake": 0.3}))
    book.record("right", "ex", "pair", "seat-1", prediction("about the same", "D's accuracy on fake"))
    book.record("wrong", "ex", "pair", "seat-2", prediction("about the same", "G's loss"))
    book.record("none", "ex", "pair", "seat-3", prediction("about the same"))
    settle_ended(book, {"right": job, "wrong": job, "none": job}.get)
    assert {job_id: book.get(job_id).moved for job_id in ("right", "wrong", "none")} == dict.fromkeys(
        ("right", "wrong", "none"), "D's accuracy on fake"
    )
    assert book.get("right").curve_right and not book.get("wrong").curve_right and not book.get("none").curve_right
    summary = book.summary()[0]
    assert (summary.curve_guesses, summary.curve_right) == (2, 1)
