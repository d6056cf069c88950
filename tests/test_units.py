"""Units: an epoch is one pass over the real images, the budget and steps/s mean the same on Train and Compare."""

import pytest

from gan_core.compare.arm import Arm
from gan_core.config.presets import preset
from gan_core.run import units
from gan_core.run.snapshot import Board
from gan_core.step.gan_step import GanStep

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def test_steps_per_epoch_counts_the_real_images_d_sees():
    # The figure in docs/meters.md, "Units": the default preset (batch 32, k = 1) on mnist-5k.
    assert units.steps_per_epoch(5000, preset("dcgan-hacks").run.batch_size, preset("dcgan-hacks").hacks.d_steps) == 312
    assert units.steps_per_epoch(5000, 32, 2) == 156  # two D rounds: twice the real images per step
    assert units.steps_per_epoch(10, 64, 1) == 1


def test_bad_units_are_refused_in_one_line():
    with pytest.raises(ValueError, match="batch size must be at least 2"):
        units.steps_per_epoch(100, 0, 1)


def test_steps_per_second_is_steps_over_step_time():
    assert units.steps_per_second([0.1, 0.1, 0.2]) == pytest.approx(3 / 0.4)
    assert units.steps_per_second([]) == 0.0


@pytest.mark.parametrize("k", [1, 2])
def test_one_epoch_shows_d_every_real_image_once(small_digits, k):
    cfg = preset("fast-demo").with_overrides(["run.batch_size=32", f"hacks.d_steps={k}"])
    step = GanStep(cfg, small_digits.images, labels=small_digits.labels)
    steps = 0
    while not step.epoch_complete:
        step.step()
        steps += 1
    n = len(small_digits)
    assert steps == units.steps_per_epoch(n, 32, k) == n // (16 * k)
    # The in-graph cursor walked the whole shuffled order exactly once.
    assert step.reals_in_epoch == n and int(step.cursor.numpy()) == 0
    step.new_epoch()
    assert not step.epoch_complete and step.reals_in_epoch == 0


def test_changing_k_while_it_trains_keeps_the_epoch_one_pass(small_digits):
    # The loop counts the real images each step draws from the live k (a Python copy of the
    # variable the compiled step reads): after the slider moves, both must agree.
    cfg = preset("fast-demo").with_overrides(["run.batch_size=32", "hacks.d_steps=1"])
    step = GanStep(cfg, small_digits.images, labels=small_digits.labels)
    for _ in range(3):
        step.step()
    step.apply_live(cfg.with_value("hacks.d_steps", 3))
    assert step.reals_per_step() == 3 * 16
    while not step.epoch_complete:
        step.step()
    # The cursor the graph moved (16 images per D round) and the loop's count agree, one pass.
    assert step.reals_in_epoch == int(step.cursor.numpy())
    assert step.reals_in_epoch <= len(small_digits) < step.reals_in_epoch + 3 * 16


def test_a_compare_arm_charges_its_epoch_end_to_the_budget_like_train(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.batch_size=32", "run.quality_every_epoch=false"])
    arm = Arm("A", cfg, small_digits, Board())
    for _ in range(3):
        arm.train_one()
    arm.flush_shared(1.0)
    before = arm.elapsed
    assert arm.board.get("steps_per_s") > 0
    arm.finish_epoch()
    assert arm.elapsed > before  # the grid and checks count, as a single run's epoch end does
    arm.release()


def test_compare_arms_with_different_d_steps_each_end_an_epoch_after_their_own_pass(small_digits):
    from gan_core.compare.job import CompareJob

    base = ["run.max_seconds=0", "run.epochs=1", "run.grid_size=2", "run.quality_every_epoch=false"]
    job = CompareJob(
        preset("fast-demo").with_overrides(base),
        preset("fast-demo").with_overrides(base + ["hacks.d_steps=2"]),
        data=small_digits,
    )
    job.start()
    job.join(300)
    snap_a, snap_b, status = job.snapshot()
    assert status.state == "finished", status.message
    # 640 images at batch 64: A (k = 1) passes once in 20 steps, B (k = 2) in 10.
    assert snap_a.steps_per_epoch == 20 and snap_b.steps_per_epoch == 10
    assert snap_a.step == snap_b.step == 20  # equal steps, enough for A's one pass
    assert [e.step for e in snap_a.epochs] == [20] and [e.step for e in snap_b.epochs] == [10, 20]
    assert "(1 and 2 epochs)" in status.message
