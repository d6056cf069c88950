"""Several steps in one compiled call: the same training as one step a call, never past an
epoch's end, and a run's step count and series still exact."""

import numpy as np
import pytest

from gan_core.config.tree import TrainConfig
from gan_core.run.trainer import STEPS_PER_CALL, Trainer
from gan_core.step.gan_step import METRIC_NAMES, GanStep

from support import wait_for_snapshot

pytestmark = pytest.mark.slow  # trains networks: make test, not make test-fast

SHAPE = (28, 28, 1)


def small(*overrides: str) -> TrainConfig:
    return TrainConfig().with_overrides(["model.base_filters=8", "run.batch_size=16", *overrides]).validated()


def images(n: int = 88) -> np.ndarray:
    return (np.random.default_rng(5).random((n, *SHAPE)) * 255).astype(np.uint8)


def test_four_steps_in_one_call_train_as_four_calls_of_one_step():
    cfg = small("run.seed=2", "model.dropout=0.3", "hacks.flip_probability=0.1")
    one, four = GanStep(cfg, images()), GanStep(cfg, images())
    rows_one = np.stack([one.step().numpy() for _ in range(4)])
    rows_four = four.steps(4).numpy()
    assert rows_four.shape == (4, len(METRIC_NAMES))
    np.testing.assert_allclose(rows_four, rows_one, rtol=1e-4, atol=1e-5)
    assert four.traces == 1 and four.reals_in_epoch == one.reals_in_epoch == 4 * 8


def test_an_epoch_ends_where_it_would_at_one_step_a_call():
    step = GanStep(small(), images(88))  # 8 real images a step: 11 steps, then the epoch is complete
    assert step.steps_left_in_epoch() == 11
    step.steps(STEPS_PER_CALL)
    assert step.steps_left_in_epoch() == 11 - STEPS_PER_CALL and not step.epoch_complete
    step.steps(step.steps_left_in_epoch())
    assert step.steps_left_in_epoch() == 0 and step.epoch_complete


def test_a_run_of_several_steps_a_call_keeps_exact_epochs_and_one_row_per_step(small_digits):
    # 640 digits at 30 real images a step: 21 steps an epoch, not a multiple of STEPS_PER_CALL.
    overrides = ["run.epochs=2", "run.max_seconds=0", "run.batch_size=60", "model.base_filters=8"]
    cfg = TrainConfig().with_overrides(overrides).validated()
    trainer = Trainer(cfg, data=small_digits)
    trainer.start()
    snap = wait_for_snapshot(trainer, lambda s: s.state == "finished", timeout=240)
    assert 21 % STEPS_PER_CALL
    assert snap.step == 42 and [e.step for e in snap.epochs] == [21, 42]
    assert all(len(values) == 42 for values in snap.series.values())
