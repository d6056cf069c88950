"""Instance noise and experience replay in the 2-D playground: they act on points (the noise
in the data's units, a ring of past fake points), change live, and the playground's burst
trains with them."""

from __future__ import annotations

import numpy as np
import pytest
import tensorflow as tf

from gan_core.hacks import functions as hacks
from gan_core.toy import ToyConfig, builtin_dataset
from gan_core.toy.trainer import ToyTrainer, budget_share

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

SMALL = ["model.hidden=16", "model.d_hidden=16", "model.depth=1", "run.batch_size=32", "run.eval_samples=200"]


def trainer_with(*extra: str) -> ToyTrainer:
    return ToyTrainer(ToyConfig().with_overrides(SMALL + list(extra)), builtin_dataset("ring"))


def test_noise_on_points_has_the_asked_std_in_the_datas_units_and_decays_to_zero():
    rng = tf.random.Generator.from_seed(0)
    points = tf.fill([20_000, 2], 1.5)
    noisy = hacks.add_instance_noise(rng, points, hacks.instance_noise_std(0.4, 0.5)).numpy() - 1.5
    assert noisy.std() == pytest.approx(0.2, rel=0.03) and abs(noisy.mean()) < 0.01
    assert float(hacks.instance_noise_std(0.4, budget_share(30.0, 30.0))) == 0.0
    assert budget_share(15.0, 30.0) == 0.5 and budget_share(99.0, 30.0) == 1.0 and budget_share(5.0, 0.0) == 0.0


def test_replay_swaps_the_asked_share_of_fake_points_for_ring_points():
    rng = tf.random.Generator.from_seed(1)
    fresh = tf.zeros([8, 2])
    ring = tf.fill([16, 2], 7.0)
    mixed, replayed, _ = hacks.mix_replayed(rng, fresh, ring, 16, 0.25)
    assert replayed.numpy().sum() == 2 and np.all(mixed.numpy()[replayed.numpy()] == 7.0)
    assert np.all(mixed.numpy()[~replayed.numpy()] == 0.0)
    empty, none, _ = hacks.mix_replayed(rng, fresh, ring, 0, 1.0)
    assert not none.numpy().any() and np.all(empty.numpy() == 0.0)


def test_the_playground_burst_blurs_and_replays_what_d_sees_and_changes_live_without_retrace():
    plain = trainer_with("run.max_seconds=30")
    blurred = trainer_with("run.max_seconds=30", "hacks.instance_noise=0.5")
    replaying = trainer_with("run.max_seconds=30", "hacks.replay_share=0.5")
    for t in (plain, blurred, replaying):
        t.run_scheduled(20)  # the playground's Play burst
    # Every burst writes G's points into the ring (8 per D round), replay on or not.
    assert int(replaying.replay.filled.numpy()) == 20 * 8
    ring = replaying.replay.images.numpy()[:160]
    assert np.abs(ring).max() < 10 and ring.std() > 0
    # Same seed, same everything else: each hack changed the training from the second round on.
    assert not np.allclose(plain.history[1:, 1:4], blurred.history[1:, 1:4])
    assert not np.allclose(plain.history[1:, 1:4], replaying.history[1:, 1:4])
    # What D sees while noise is on: its std decays with the share of the budget spent.
    blurred.set_budget_progress(0.5)
    seen = blurred._d_input(tf.zeros([20_000, 2])).numpy()
    assert seen.std() == pytest.approx(0.25, rel=0.05)

    traced = plain.trace_count
    plain.apply_live(ToyConfig().with_overrides(SMALL + ["hacks.instance_noise=0.3", "hacks.replay_share=1.0"]))
    plain.run_scheduled(5)
    assert plain.trace_count == traced
    assert plain.config.hacks.instance_noise == 0.3 and plain.config.hacks.replay_share == 1.0


def test_the_two_hacks_are_accepted_by_the_playground_config_and_bad_values_named():
    cfg = ToyConfig().with_overrides(["hacks.instance_noise=0.2", "hacks.replay_share=0.5"]).validated()
    assert (cfg.hacks.instance_noise, cfg.hacks.replay_share) == (0.2, 0.5)
    with pytest.raises(Exception, match="hacks.replay_share must be in"):
        ToyConfig().with_overrides(["hacks.replay_share=1.5"]).validated()
