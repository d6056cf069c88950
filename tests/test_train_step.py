"""The compiled step: learns, and every live hack takes effect at the next step without a retrace."""

import numpy as np
import pytest
import tensorflow as tf

from gan_core.config.presets import preset
from gan_core.step.gan_step import METRIC_NAMES, GanStep

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


@pytest.fixture(scope="module")
def step(small_digits):
    cfg = preset("fast-demo").with_overrides(
        ["hacks.flip_probability=0", "hacks.real_label_range=1,1", "hacks.fake_label_range=0,0", "run.batch_size=32"]
    )
    s = GanStep(cfg, small_digits.images)
    s.step()
    return s


def metrics(step):
    return dict(zip(METRIC_NAMES, np.asarray(step.step())))


def test_one_trace_for_the_whole_run(step):
    for _ in range(3):
        step.step()
    assert step.traces == 1


def test_label_smoothing_changes_targets_at_the_next_step(step):
    assert metrics(step)["d_target_real"] == 1.0
    step.live.real_range.assign([0.7, 0.7])
    step.live.fake_range.assign([0.2, 0.2])
    m = metrics(step)
    assert m["d_target_real"] == pytest.approx(0.7) and m["d_target_fake"] == pytest.approx(0.2)
    step.live.real_range.assign([1.0, 1.0])
    step.live.fake_range.assign([0.0, 0.0])
    assert step.traces == 1


def test_flips_change_targets_at_the_next_step(step):
    step.live.flip_probability.assign(0.5)
    m = [metrics(step)["d_target_real"] for _ in range(6)]
    step.live.flip_probability.assign(0.0)
    assert 0.2 < np.mean(m) < 0.8  # about half of the real targets became 0
    assert metrics(step)["d_target_real"] == 1.0
    assert step.traces == 1


def test_generator_loss_switch_takes_effect_at_the_next_step(step):
    assert metrics(step)["g_loss"] > 0  # -log D(G(z)) is positive
    step.live.non_saturating.assign(False)
    assert metrics(step)["g_loss"] < 0  # log(1 - D(G(z))) is negative
    step.live.non_saturating.assign(True)
    assert step.traces == 1


def test_separate_batches_switch_changes_what_d_sees_without_retrace(step, small_digits):
    real = step.real_in_model_scale(small_digits.images[: step.half])
    fake = real * 0.0 - 1.0
    _, is_real, _ = step.compose_d_batches(real, fake)
    assert is_real.numpy()[: step.half].tolist() == [1.0] * step.half  # all-real batch first
    step.live.separate.assign(False)
    _, is_real, _ = step.compose_d_batches(real, fake)
    assert 0 < is_real.numpy()[: step.half].sum() < step.half  # mixed
    before = int(step.d_optimizer.iterations.numpy())
    step.step()
    assert int(step.d_optimizer.iterations.numpy()) - before == 2  # same work either way
    step.live.separate.assign(True)
    assert step.traces == 1


def test_k_discriminator_steps_per_generator_step(step):
    step.live.d_steps.assign(3)
    d0, g0 = int(step.d_optimizer.iterations.numpy()), int(step.g_optimizer.iterations.numpy())
    step.step()
    assert int(step.d_optimizer.iterations.numpy()) - d0 == 6  # 3 x (real + fake)
    assert int(step.g_optimizer.iterations.numpy()) - g0 == 1
    step.live.d_steps.assign(1)
    assert step.traces == 1


def test_latent_distribution_variable_drives_sampling(step):
    step.live.gaussian.assign(False)
    z = step.sample_latent(4096).numpy()
    assert z.min() >= -1 and z.max() <= 1
    step.step()
    step.live.gaussian.assign(True)
    assert np.abs(step.sample_latent(4096).numpy()).max() > 2
    assert step.traces == 1


def test_learning_rate_change_reaches_the_optimizer_without_retrace(step):
    step.set_learning_rates(1e-5, 3e-5)
    step.step()
    assert float(step.d_optimizer.learning_rate.numpy()) == pytest.approx(1e-5)
    assert float(step.g_optimizer.learning_rate.numpy()) == pytest.approx(3e-5)
    assert step.traces == 1


def test_both_networks_learn(small_digits):
    """D learns to tell real from fake, and G's weights move (the Keras 3 trainable trap avoided)."""
    cfg = preset("fast-demo").with_value("run.batch_size", 32)
    s = GanStep(cfg, small_digits.images)
    # Trainable weights only: BatchNorm's moving statistics move even when a network gets no
    # gradient at all, so comparing get_weights() could not catch a frozen G.
    g0 = [w.numpy().copy() for w in s.generator.trainable_weights]
    d0 = [w.numpy().copy() for w in s.discriminator.trainable_weights]
    for _ in range(20):
        s.step()
    assert all(not np.allclose(a, b.numpy()) for a, b in zip(g0, s.generator.trainable_weights))
    assert all(not np.allclose(a, b.numpy()) for a, b in zip(d0, s.discriminator.trainable_weights))
    real = s.real_in_model_scale(small_digits.images[:256])
    fake = s.generate(np.random.default_rng(0).standard_normal((256, 100)).astype("float32"))
    d_real = np.asarray(s.discriminator(real, training=False)).mean()
    d_fake = np.asarray(s.discriminator(fake, training=False)).mean()
    assert d_real > d_fake  # D already scores real digits above the generator's output


def test_too_few_images_for_one_batch_is_a_clear_error(small_digits):
    with pytest.raises(ValueError, match="fewer than one batch"):
        GanStep(preset("fast-demo"), small_digits.images[:10])


def test_the_later_hacks_change_live_without_a_retrace(step):
    """instance noise, replay, the three losses, R1 and DiffAugment each switched on and off mid-run."""
    live = step.live
    changes = [
        (live.instance_noise, 0.1, 0.0),
        (live.replay_share, 0.5, 0.0),
        (live.loss_kind, 1, 0),
        (live.loss_kind, 2, 0),
        (live.r1_gamma, 1.0, 0.0),
        (live.augment, [True, True, True], [False, False, False]),
    ]
    for variable, on, off in changes:
        variable.assign(on)
        assert np.all(np.isfinite(list(metrics(step).values())))
        variable.assign(off)
        step.step()
    assert step.traces == 1


def test_adversarial_loss_choice_changes_what_is_plotted(step):
    step.live.loss_kind.assign(1)  # least-squares: ½(D − t)² is never negative
    ls = [metrics(step) for _ in range(3)]
    step.live.loss_kind.assign(2)  # hinge: G's loss is -mean D(G(z)), either sign
    hinge = metrics(step)
    step.live.loss_kind.assign(0)
    assert all(m["d_loss_real"] >= 0 and m["d_loss_fake"] >= 0 and m["g_loss"] >= 0 for m in ls)
    assert hinge["d_loss_real"] >= 0 and hinge["d_loss_fake"] >= 0
    assert step.traces == 1


def test_instance_noise_on_ds_inputs_decays_with_the_budget(step):
    x = tf.zeros([64, 28, 28, 1])
    step.live.instance_noise.assign(0.2)
    stds = []
    for progress in (0.0, 0.5, 1.0):
        step.set_budget_progress(progress)
        stds.append(float(np.std(step._d_input(x).numpy())))
    step.live.instance_noise.assign(0.0)
    step.set_budget_progress(0.0)
    assert stds[0] == pytest.approx(0.2, abs=0.01) and stds[1] == pytest.approx(0.1, abs=0.01) and stds[2] == 0.0


def test_diff_augment_flags_reach_what_d_sees(step):
    x = tf.ones([64, 28, 28, 1])
    assert np.array_equal(step._d_input(x).numpy(), x.numpy())
    step.live.augment.assign([False, True, False])  # cutout
    cut = np.mean(step._d_input(x).numpy() == -1.0)
    step.live.augment.assign([False, False, False])
    assert 0.12 < cut < 0.26


def test_replay_buffer_fills_from_the_step_and_is_drawn_from(step):
    from gan_core.hacks.replay import REPLAY_WRITES

    before = int(step.replay.filled.numpy())
    step.step()
    assert int(step.replay.filled.numpy()) == before + min(step.half, REPLAY_WRITES)
    assert np.abs(step.replay.images.numpy()[: before + 1]).max() > 0  # real fakes, not the zeros it started with


def test_r1_penalty_changes_ds_update_only_when_gamma_is_positive(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.batch_size=32", "model.dropout=0"])
    runs = {}
    for name, gamma in (("off", 0.0), ("off again", 0.0), ("on", 10.0)):
        s = GanStep(cfg.with_value("hacks.r1_gamma", gamma), small_digits.images)
        s.step()
        runs[name] = np.concatenate([w.numpy().ravel() for w in s.discriminator.trainable_weights])
    assert np.allclose(runs["off"], runs["off again"], atol=1e-6)  # same seed, same update
    assert not np.allclose(runs["off"], runs["on"], atol=1e-4)  # the penalty moved D


def test_a_replayed_fake_keeps_the_class_it_was_drawn_for(small_digits):
    """Conditional runs: the ring keeps each fake's class, and D judges a replayed fake with it."""
    cfg = preset("fast-demo").with_overrides(["run.batch_size=32", "model.use_labels=true", "hacks.replay_share=1"])
    s = GanStep(cfg, small_digits.images, labels=small_digits.labels)
    for _ in range(4):
        s.step()
    assert s.classes == 10 and int(s.replay.filled.numpy()) == 4 * 8
    fresh = tf.zeros([16, 28, 28, 1])
    asked = tf.one_hot(tf.fill([16], 3), 10)
    fake, codes = s.replay.replay(s.rng, fresh, asked, s.live.replay_share)
    stored = s.replay.classes.numpy()[:32]
    assert len(set(stored.tolist())) > 1  # the classes of the written fakes
    assert np.abs(fake.numpy()).max() > 0  # all replayed: none of the zeros
    assert set(np.argmax(codes.numpy(), 1).tolist()) <= set(stored.tolist())
    assert s.traces == 1
