"""A/B comparisons as a user sees them: fair arms, the same start, clear refusals, a verdict."""

import gc
import time
import weakref

import numpy as np
import pytest

from gan_core.compare.job import CompareJob
from gan_core.compare.pair import CompareError, check_pair, differences
from gan_core.compare.verdict import verdict
from gan_core.config.presets import preset
from gan_core.data import ImageSet
from gan_core.run.loop import learning_rate_factor, schedule
from gan_core.run.snapshot import EpochRecord, Snapshot
from gan_core.step.cache import shared_steps

from support import small_config, wait_until

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def small_cfg(*overrides):
    """The suite's small config with a 4x4 grid and the quality meter on (the verdict reads it)."""
    return small_config("run.grid_size=4", "run.quality_every_epoch=true", *overrides, epochs=2)


def wait_for(job, predicate, timeout=180):
    """The first (A, B, status) `predicate(a, b, status)` accepts."""
    return wait_until(job.snapshot, lambda snaps: predicate(*snaps), timeout, "the comparison")


@pytest.fixture(scope="module")
def loss_pair(small_digits):
    """One real comparison shared by several tests: non-saturating (A) vs minimax (B), 1.5 s per arm."""
    budget = ("run.epochs=0", "run.max_seconds=1.5")
    job = CompareJob(small_cfg(*budget), small_cfg(*budget, "hacks.generator_loss=minimax"), data=small_digits)
    job.start()
    deadline = time.time() + 120
    while len(job.arms) < 2 and time.time() < deadline:
        time.sleep(0.05)
    job.networks_while_training = [weakref.ref(arm.step.generator) for arm in job.arms]
    job.join(300)
    return job


def test_a_finished_comparison_gives_both_steps_back_and_keeps_no_network(loss_pair):
    assert loss_pair.status().state == "finished"
    assert all(arm.step is None and arm.epoch_end is None for arm in loss_pair.arms)
    # The step cache keeps the two idle steps for the next comparison; dropping them frees
    # the four networks: the finished job holds none.
    shared_steps().clear()
    gc.collect()
    assert [ref() for ref in loss_pair.networks_while_training] == [None, None]


def test_a_live_hack_compared_holds_two_steps_and_the_next_comparison_reuses_both(small_digits):
    # A and B differ only in a live value: one graph, two steps at once. A constant learning
    # rate: the decay is applied at flushes, which depend on the clock.
    cfg = small_cfg("run.epochs=1", "run.quality_every_epoch=false", "optimizer.final_lr_fraction=1.0")
    pair = (cfg, cfg.with_value("hacks.flip_probability", 0.2))
    shared_steps().clear()
    runs, kept = [], []
    for _ in range(2):
        job = CompareJob(*pair, data=small_digits)
        job.start()
        job.join(300)
        runs.append(job.snapshot())
        kept.append(shared_steps().idle())
    first, second = kept
    assert len(first) == 2 and first[0] is not first[1] and first[0].graph_key == first[1].graph_key
    assert set(map(id, second)) == set(map(id, first)) and [s.traces for s in second] == [1, 1]  # no new trace
    (a1, b1, status1), (a2, b2, status2) = runs
    assert status1.state == status2.state == "finished" and status1.step == status2.step == 20
    # The second run's A took the step B used before: restarted, it starts as a fresh build.
    np.testing.assert_allclose(a2.series["g_loss"], a1.series["g_loss"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b2.series["g_loss"], b1.series["g_loss"], rtol=1e-5, atol=1e-6)
    assert a1.series["d_target_real"] != b1.series["d_target_real"]  # the flips are A's and B's own


def test_both_arms_train_the_same_steps_on_the_same_data_order(loss_pair):
    snap_a, snap_b, status = loss_pair.snapshot()
    assert status.state == "finished", status.message
    steps = status.step
    assert steps > 1 and snap_a.step == snap_b.step == steps
    assert len(snap_a.series["g_loss"]) == len(snap_b.series["g_loss"]) == steps
    assert status.elapsed >= 1.5 and snap_a.elapsed > 0 and snap_b.elapsed > 0  # each arm's own time
    arm_a, arm_b = loss_pair.arms
    assert arm_a.order_digests == arm_b.order_digests
    assert len(set(arm_a.order_digests)) == len(arm_a.order_digests) == len(snap_a.epochs) + 1  # reshuffled
    for snap in (snap_a, snap_b):
        assert [e.epoch for e in snap.epochs] == list(range(1, len(snap.epochs) + 1))
        assert snap.epochs[-1].step == steps  # the last grid shows where training ended
        assert snap.epochs[-1].grid_png.startswith(b"\x89PNG")
        assert 0 <= snap.epochs[-1].quality["recognized_share"] <= 1
    assert f"{steps} steps for A and {steps} for B" in status.message


def test_same_start_then_the_generator_loss_sign_tells_the_arms_apart(loss_pair):
    snap_a, snap_b, _ = loss_pair.snapshot()
    # D updates before G in a step: same weights, data, z and label noise give the same D figures.
    for name in ("d_loss_real", "d_loss_fake", "d_acc_real", "d_acc_fake", "d_target_real", "d_target_fake"):
        assert snap_a.series[name][0] == snap_b.series[name][0], name
    assert min(snap_a.series["g_loss"]) > 0  # non-saturating: -log D(G(z))
    assert max(snap_b.series["g_loss"]) < 0  # minimax: log(1 - D(G(z)))


def test_identical_configs_train_identically_and_stop_promptly(small_digits):
    cfg = small_cfg("run.epochs=0", "run.quality_every_epoch=false")  # no budget: runs until stopped
    # One arm gets a step another run used before (restarted), the other a fresh build.
    shared_steps().clear()
    used = shared_steps().acquire(cfg.with_overrides(["run.seed=9", "hacks.flip_probability=0.3"]), small_digits.images)
    used.step()
    shared_steps().release(used)
    job = CompareJob(cfg, cfg, data=small_digits)
    job.start()
    wait_for(job, lambda a, b, s: s.state == "running" and a.epoch >= 1 and s.step > 12)
    assert job.stop(timeout=2.0) is True
    snap_a, snap_b, status = job.snapshot()
    assert status.state == "stopped" and snap_a.step == snap_b.step == status.step
    assert snap_a.series == snap_b.series
    assert snap_a.series["g_loss"][0] == snap_b.series["g_loss"][0]
    assert [e.grid_png for e in snap_a.epochs] == [e.grid_png for e in snap_b.epochs]
    assert len(shared_steps().idle()) == 2 and used in shared_steps().idle()


def test_pairs_that_cannot_be_compared_fairly_are_refused_in_one_line():
    cfg = small_cfg()
    with pytest.raises(CompareError, match=r"same data.source .*'mnist-5k'.*'fashion-mnist'") as e:
        CompareJob(cfg, cfg.with_value("data.source", "fashion-mnist"))
    assert "\n" not in str(e.value)
    with pytest.raises(CompareError, match=r"same run.batch_size .* A has 64, B has 128"):
        check_pair(cfg, cfg.with_value("run.batch_size", 128))
    with pytest.raises(CompareError, match=r"^B: model.dropout must be in \[0, 0.7\]"):
        check_pair(cfg, cfg.with_value("model.dropout", 0.9))
    assert differences(cfg, cfg.with_value("model.batch_norm", False)) == {"model.batch_norm": (True, False)}


def test_a_failure_in_the_thread_becomes_a_failed_state_with_the_reason(small_digits):
    few = ImageSet(small_digits.images[:10], small_digits.labels[:10], "ten digits")
    job = CompareJob(small_cfg(), small_cfg(), data=few)
    job.start()
    job.join(60)
    snap_a, snap_b, status = job.snapshot()
    assert status.state == "failed" and snap_a.state == snap_b.state == "failed"
    assert status.message == "ValueError: the data set has 10 images, fewer than one batch of 64"
    assert not job.alive


def test_learning_rates_decay_on_one_schedule_for_both_arms():
    cfg = preset("dcgan-hacks")  # final_lr_fraction 0.1 over a 120 s budget
    assert learning_rate_factor(cfg.optimizer, cfg.run, 0.0, 0, 10) == 1.0
    assert learning_rate_factor(cfg.optimizer, cfg.run, 60.0, 500, 10) == pytest.approx(0.55)
    assert learning_rate_factor(cfg.optimizer, cfg.run, 500.0, 900, 10) == pytest.approx(0.1)


def test_the_schedule_holds_through_the_first_epoch_whatever_the_clock_says():
    cfg = preset("dcgan-hacks")  # final_lr_fraction 0.1 over a 120 s budget
    # A slow machine (60 s in) and a fast one (6 s in) at the same step of epoch 1: one schedule.
    assert schedule(cfg.optimizer, cfg.run, 60.0, 150, 156, 0) == schedule(cfg.optimizer, cfg.run, 6.0, 150, 156, 0)
    assert schedule(cfg.optimizer, cfg.run, 60.0, 150, 156, 0) == (1.0, 0.0)
    assert schedule(cfg.optimizer, cfg.run, 60.0, 500, 156, 3) == (pytest.approx(0.55), pytest.approx(0.5))


# -- the verdict, from hand-made snapshots ---------------------------------------------
def arm(share=None, classes=None, warnings=()):
    epochs = ()
    if share is not None:
        epochs = (
            EpochRecord(epoch=1, step=10, seconds=1.0, grid_png=b"", quality={"recognized_share": 0.05}),
            EpochRecord(
                epoch=2,
                step=20,
                seconds=2.0,
                grid_png=b"",
                quality={"recognized_share": share, "classes_present": classes},
            ),
        )
    return Snapshot(state="finished", epochs=epochs, warnings=tuple(warnings))


def test_verdict_names_shares_digits_and_mode_collapse():
    text = verdict(arm(0.91, 10), arm(0.12, 3))
    assert text == ("A: 91% recognized, 10 digits; B: 12% recognized, 3 digits - mode collapse. A is clearly ahead.")
    collapse_warning = "Epoch 4: the samples look alike (diversity 0.010 vs 0.300 for real images) - mode collapse."
    text = verdict(arm(0.40, 7, [collapse_warning]), arm(0.44, 8))
    assert text == ("A: 40% recognized, 7 digits - mode collapse; B: 44% recognized, 8 digits. Too close to call.")


def test_verdict_says_nan_and_when_nothing_finished_yet():
    nan = "g_loss became nan at step 37: training paused. Lower the learning rates."
    assert verdict(arm(0.6, 10), arm(0.0, 0, [nan])) == (
        "A: 60% recognized, 10 digits; B: NaN - training broke down. A is ahead."
    )
    assert verdict(arm(), arm()) == "A: no finished epoch yet; B: no finished epoch yet."
    assert "0 digits" in verdict(arm(0.0, 0), arm(0.0, 0))
    assert "collapse" not in verdict(arm(0.0, 0), arm(0.0, 0))  # untrained is not collapsed
