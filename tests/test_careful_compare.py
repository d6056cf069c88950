"""A careful comparison, really trained: three seed pairs, equal steps for all six runs, each
pair on one data order, a verdict against the seeds' spread, and six steps kept for the next."""

import numpy as np
import pytest

from gan_core.compare.job import CompareJob
from gan_core.compare.spread import careful_verdict
from gan_core.config.presets import preset
from gan_core.step.cache import shared_steps

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def tiny(*overrides):
    # A constant learning rate: the decay is applied at flushes, which depend on the clock.
    return preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=1", "run.grid_size=2", "optimizer.final_lr_fraction=1.0", *overrides]
    )


@pytest.fixture(scope="module")
def careful_job(small_digits):
    """Flips on in B only (a live hack: all six runs share one graph), seeds 5, 6 and 7."""
    shared_steps().clear()
    cfg = tiny("run.seed=5")
    job = CompareJob(cfg, cfg.with_value("hacks.flip_probability", 0.2), data=small_digits, seeds=3)
    job.start()
    job.join(900)
    return job


def test_three_seeds_per_arm_train_the_same_steps_and_each_pair_one_data_order(careful_job):
    snaps_a, snaps_b, status = careful_job.snapshots()
    assert status.state == "finished", status.message
    assert careful_job.seeds == (5, 6, 7)
    assert [arm.name for arm in careful_job.arms] == [f"{x} (seed {s})" for s in (5, 6, 7) for x in "AB"]
    assert [arm.cfg.run.seed for arm in careful_job.arms] == [5, 5, 6, 6, 7, 7]
    assert [arm.cfg.hacks.flip_probability for arm in careful_job.arms] == [tiny().hacks.flip_probability, 0.2] * 3
    # One pass over the 640 digits at 32 real images a step, for each of the six.
    assert [snap.step for snap in (*snaps_a, *snaps_b)] == [20] * 6
    assert all(len(snap.series["g_loss"]) == 20 for snap in (*snaps_a, *snaps_b))
    a_arms, b_arms = careful_job.arms[0::2], careful_job.arms[1::2]
    for a, b in zip(a_arms, b_arms):
        assert a.order_digests == b.order_digests  # a seed's pair sees one data order ...
    assert len({tuple(a.order_digests) for a in a_arms}) == 3  # ... and each seed its own
    assert len({snap.epochs[-1].grid_png for snap in snaps_a}) == 3  # other seeds, other weights
    assert status.message.startswith("Finished: 20 steps for each of A and B in 3 seeds (5, 6, 7; 1 epoch), ")


def test_the_verdict_reads_the_spread_of_the_real_runs(careful_job):
    snaps_a, snaps_b, _ = careful_job.snapshots()
    found = careful_verdict(snaps_a, snaps_b)
    assert found.score_a.n == found.score_b.n == 3
    assert found.score_within_noise is not None and found.distance_within_noise is not None
    assert "3 seeds each. A − B = " in found.text
    assert ("within noise" in found.text) == found.score_within_noise


def test_the_six_steps_stay_for_the_next_careful_comparison_which_traces_none(careful_job, small_digits):
    idle = shared_steps().idle()
    assert len(idle) == 6 and len({step.graph_key for step in idle}) == 1
    first_a, first_b, _ = careful_job.snapshots()
    cfg = tiny("run.seed=5")
    again = CompareJob(cfg, cfg.with_value("hacks.flip_probability", 0.2), data=small_digits, seeds=3)
    again.start()
    again.join(900)
    snaps_a, snaps_b, status = again.snapshots()
    assert status.state == "finished", status.message
    assert set(map(id, shared_steps().idle())) == set(map(id, idle))
    assert [step.traces for step in shared_steps().idle()] == [1] * 6  # no new trace
    # Restarted steps start as fresh builds: the same seeds give the same runs.
    for now, before in zip((*snaps_a, *snaps_b), (*first_a, *first_b)):
        np.testing.assert_allclose(now.series["g_loss"], before.series["g_loss"], rtol=1e-5, atol=1e-6)
