"""A careful comparison's arithmetic: each arm's spread over its seeds, the bands drawn on the
curves, and the verdict that calls a difference inside the spread "within noise"."""

import math

import numpy as np
import pytest

from gan_core.compare.pair import CompareError, seeded_pairs
from gan_core.compare.spread import (
    Spread,
    band,
    careful_outcome,
    careful_verdict,
    epoch_spreads,
    score,
    spread,
    within_noise,
)
from gan_core.config.presets import preset
from gan_core.run.snapshot import EpochRecord, Snapshot

NAN_WARNING = "g_loss became nan at step 37: training paused. Lower the learning rates."


def run(*shares, frechet=None, warnings=(), label_free=False):
    """A finished run's snapshot whose epochs were rated `shares` (the last is what counts)."""
    epochs = []
    for i, share in enumerate(shares, start=1):
        if label_free:
            quality = {"meter": "label-free", "precision": share, "recall": share, "kernel_distance": frechet}
        else:
            quality = {"recognized_share": share, "classes_present": 10, "frechet_distance": frechet}
        epochs.append(EpochRecord(epoch=i, step=10 * i, seconds=float(i), grid_png=b"", quality=quality))
    return Snapshot(state="finished", epochs=tuple(epochs), warnings=tuple(warnings))


def test_spread_is_mean_and_range_of_the_seeds_that_have_the_figure():
    s = spread([0.45, None, 0.51, float("nan"), 0.48])
    assert s == Spread(mean=pytest.approx(0.48), low=0.45, high=0.51, n=3)
    assert s.width == pytest.approx(0.06)
    assert spread([None, float("inf")]) is None
    assert spread([0.3]).width == 0


def test_a_difference_no_wider_than_the_wider_range_is_within_noise():
    a = spread([0.45, 0.48, 0.51])  # range 6 points
    assert within_noise(a, spread([0.39, 0.42, 0.45]))  # 6 points apart: on the edge, within
    assert not within_noise(a, spread([0.38, 0.41, 0.44]))  # 7 points apart, ranges 6
    assert within_noise(a, spread([0.30, 0.41, 0.52]))  # 7 apart, but B's seeds spread over 22
    assert within_noise(spread([0.40, 0.40, 0.40]), spread([0.40, 0.40, 0.40]))


def test_the_band_is_mean_min_and_max_per_step_over_the_seeds_that_reached_it():
    mean, low, high = band([[1.0, 2.0, 3.0], [3.0, 4.0], [2.0, float("nan"), 6.0, 8.0]])
    np.testing.assert_allclose(mean, [2.0, 3.0, 4.5, 8.0])
    np.testing.assert_allclose(low, [1.0, 2.0, 3.0, 8.0])
    np.testing.assert_allclose(high, [3.0, 4.0, 6.0, 8.0])
    mean, low, high = band([[float("inf")], []])
    assert math.isnan(mean[0]) and math.isnan(low[0]) and math.isnan(high[0])
    assert [len(a) for a in band([])] == [0, 0, 0]


def test_epoch_spreads_follow_each_epoch_over_the_seeds():
    rows = epoch_spreads([run(0.1, 0.5, frechet=20.0), run(0.3, 0.4, frechet=30.0), run(0.2)], score)
    assert [epoch for epoch, _ in rows] == [1, 2]
    assert rows[0][1] == Spread(pytest.approx(0.2), 0.1, 0.3, 3)
    assert rows[1][1] == Spread(pytest.approx(0.45), 0.4, 0.5, 2)


def test_a_difference_inside_the_seeds_spread_is_named_within_noise():
    a = [run(0.2, share, frechet=f) for share, f in ((0.45, 19.0), (0.48, 20.5), (0.51, 22.0))]
    b = [run(0.2, share, frechet=f) for share, f in ((0.40, 25.0), (0.47, 27.0), (0.44, 29.0))]
    found = careful_verdict(a, b)
    assert found.score_within_noise is True and found.distance_within_noise is False
    assert found.text == (
        "A: 48% recognized (45–51%); B: 44% recognized (40–47%); 3 seeds each. "
        "A − B = +4 points, within noise (one arm's seeds spread over up to 7 points). "
        "Fréchet distance A 20.5 (19.0–22.0), B 27.0 (25.0–29.0): A's is lower, beyond noise."
    )


def test_a_difference_beyond_the_spread_names_the_arm_ahead():
    a = [run(0.50), run(0.52), run(0.55)]
    b = [run(0.40), run(0.41), run(0.43)]
    found = careful_verdict(a, b)
    assert found.score_within_noise is False and found.distance_within_noise is None
    assert found.text.endswith("A − B = +11 points, beyond the seeds' spread (up to 5 points): A is ahead.")
    assert careful_verdict(b, a).text.endswith("B is ahead.")


def test_rounding_never_shows_a_gap_and_spread_equal_when_the_rule_parts_them():
    # 6.4 points apart, ranges of 6.0: beyond noise, and the text says so in tenths.
    found = careful_verdict([run(0.45), run(0.48), run(0.51)], [run(0.386), run(0.416), run(0.446)])
    assert "A − B = +6.4 points, beyond the seeds' spread (up to 6.0 points)" in found.text


def test_broken_seeds_are_named_and_left_out_of_the_spread():
    a = [run(0.30, warnings=[NAN_WARNING]), run(0.50), run(0.52)]
    b = [run(0.40, warnings=[NAN_WARNING]), run(0.30, warnings=[NAN_WARNING]), run(0.45)]
    found = careful_verdict(a, b)
    assert found.score_a == Spread(pytest.approx(0.51), 0.50, 0.52, 2) and found.score_b.n == 1
    assert found.score_within_noise is None
    assert found.text.startswith("A: 51% recognized (50–52%) - 1 of 3 seeds broke down (NaN); B: 45% recognized")
    assert "B: 45% recognized (1 seed) - 2 of 3 seeds broke down (NaN)" in found.text
    assert found.text.endswith("Too few seeds with quality figures to tell noise from a difference.")


def test_without_a_judge_the_headline_is_precision_and_recall_and_the_kernel_distance():
    a = [run(share, frechet=0.01 * i, label_free=True) for i, share in enumerate((0.6, 0.62, 0.64), 1)]
    b = [run(share, frechet=0.02, label_free=True) for share in (0.3, 0.31, 0.33)]
    text = careful_verdict(a, b).text
    assert text.startswith("A: 62% quality score (60–64%); B: 31% quality score (30–33%)")
    assert "Kernel distance A 0.0200 (0.0100–0.0300), B 0.0200 (0.0200–0.0200): within noise." in text


def test_nothing_rated_yet_says_so():
    assert careful_verdict([Snapshot()] * 3, [Snapshot()] * 3).text == "A and B: no finished epoch yet."


def test_the_seeds_of_a_careful_pair_are_shared_by_a_and_b():
    cfg = preset("fast-demo").with_value("run.seed", 7)
    pairs = seeded_pairs(cfg, cfg.with_value("hacks.flip_probability", 0.2), 3)
    assert [(a.run.seed, b.run.seed) for a, b in pairs] == [(7, 7), (8, 8), (9, 9)]
    assert all(b.hacks.flip_probability == 0.2 and a.hacks.flip_probability != 0.2 for a, b in pairs)
    with pytest.raises(CompareError, match=r"^seeds 2147483646 to 2147483648: run.seed must be"):
        seeded_pairs(cfg.with_value("run.seed", 2**31 - 2), cfg.with_value("run.seed", 2**31 - 2), 3)
    with pytest.raises(CompareError, match=r"^a comparison trains 1 to 5 seeds per arm, got 9$"):
        seeded_pairs(cfg, cfg, 9)


def test_a_prediction_is_settled_by_the_careful_verdict_of_every_seed():
    a = [run(0.45, frechet=20.0), run(0.48, frechet=21.0), run(0.51, frechet=22.0)]
    # Seed 0 alone: 45% vs 30% would be a clear lead for A; over three seeds it is within noise.
    close = [run(0.30, frechet=20.0), run(0.48, frechet=21.0), run(0.52, frechet=22.0)]
    assert careful_outcome(a, close) == "about the same"
    behind = [run(0.20, frechet=30.0), run(0.22, frechet=31.0), run(0.25, frechet=32.0)]
    assert careful_outcome(a, behind) == "A better" and careful_outcome(behind, a) == "B better"
    broke = [run(0.1, warnings=(NAN_WARNING,))] * 3
    assert careful_outcome(broke, a) == "B better"
    assert careful_outcome([run(0.4)], [run(0.5)]) is None  # one seed each: no spread to judge by
