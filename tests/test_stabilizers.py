"""The hacks after the 2016 list (instance noise, replay, the three losses, R1, DiffAugment):
statistics measured on many seeded samples, losses against their hand formulas."""

import numpy as np
import pytest
import tensorflow as tf

from gan_core.hacks import augment
from gan_core.hacks import functions as hacks


@pytest.fixture
def rng():
    return tf.random.Generator.from_seed(99)


def test_instance_noise_has_the_asked_std_and_decays_linearly_to_zero(rng):
    x = tf.zeros([200, 28, 28, 1])
    noisy = hacks.add_instance_noise(rng, x, 0.1).numpy()
    assert abs(noisy.std() - 0.1) < 0.002 and abs(noisy.mean()) < 0.002
    assert [round(float(hacks.instance_noise_std(0.1, p)), 6) for p in (0, 0.5, 1, 3)] == [0.1, 0.05, 0.0, 0.0]
    assert np.array_equal(hacks.add_instance_noise(rng, x + 0.3, 0.0).numpy(), (x + 0.3).numpy())


@pytest.mark.parametrize("share", [0.0, 0.25, 0.5, 1.0])
def test_replay_share_is_the_share_drawn_from_the_filled_buffer(rng, share):
    fresh = tf.fill([64, 4, 4, 1], -1.0)
    buffer = tf.concat([tf.fill([10, 4, 4, 1], 0.5), tf.fill([90, 4, 4, 1], 9.0)], 0)  # 10 rows filled
    shares = []
    for _ in range(20):
        images, replayed, _ = hacks.mix_replayed(rng, fresh, buffer, 10, share)
        images, replayed = images.numpy(), replayed.numpy()
        assert np.all(images[replayed] == 0.5)  # only filled rows are drawn, never the empty tail
        assert np.all(images[~replayed] == -1.0)
        shares.append(replayed.mean())
    assert np.mean(shares) == pytest.approx(share, abs=1 / 64)


def test_replay_draws_nothing_while_the_buffer_is_empty(rng):
    _, replayed, _ = hacks.mix_replayed(rng, tf.zeros([8, 2, 2, 1]), tf.ones([16, 2, 2, 1]), 0, 1.0)
    assert not replayed.numpy().any()


def test_replay_buffer_draws_spread_over_every_filled_row(rng):
    buffer = tf.reshape(tf.range(50, dtype=tf.float32), [50, 1, 1, 1])
    images, _, index = hacks.mix_replayed(rng, tf.zeros([4000, 1, 1, 1]) - 1, buffer, 50, 1.0)
    counts = np.bincount(images.numpy().reshape(-1).astype(int), minlength=50)
    assert np.array_equal(images.numpy().reshape(-1), index.numpy())  # the row it says it drew
    assert counts.min() > 40  # uniform: 80 expected per row


def test_ring_write_wraps_around_and_counts_what_it_holds():
    buffer = tf.Variable(tf.zeros([4, 1, 1, 1], tf.float32))
    cursor, filled = tf.Variable(0), tf.Variable(0)
    hacks.ring_write(buffer, cursor, filled, tf.reshape(tf.constant([1.0, 2.0, 3.0]), [3, 1, 1, 1]))
    assert int(filled.numpy()) == 3
    hacks.ring_write(buffer, cursor, filled, tf.reshape(tf.constant([4.0, 5.0, 6.0]), [3, 1, 1, 1]))
    assert buffer.numpy().reshape(-1).tolist() == [5.0, 6.0, 3.0, 4.0]
    assert int(cursor.numpy()) == 2 and int(filled.numpy()) == 4


def _softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


OUT = np.array([2.0, -0.5, 0.3, -3.0], np.float32)
TARGETS = np.array([1.0, 1.0, 0.0, 0.0], np.float32)


def test_the_three_discriminator_losses_match_their_formulas():
    real, fake = OUT[:2], OUT[2:]
    bce = np.mean(np.r_[_softplus(-real), _softplus(fake)])
    lsgan = np.mean(np.r_[0.5 * (real - 1) ** 2, 0.5 * fake**2])  # a=0, b=1
    hinge = np.mean(np.r_[np.maximum(0, 1 - real), np.maximum(0, 1 + fake)])
    got = [float(hacks.discriminator_loss(k, TARGETS, OUT)) for k in range(3)]
    assert got == pytest.approx([bce, lsgan, hinge], rel=1e-5)


def test_the_three_generator_losses_match_their_formulas():
    ns = np.mean(_softplus(-OUT))
    mm = -np.mean(_softplus(OUT))
    lsgan = np.mean(0.5 * (OUT - 1) ** 2)  # c=1
    hinge = -np.mean(OUT)
    got = [float(hacks.adversarial_generator_loss(k, OUT, True)) for k in range(3)]
    assert got == pytest.approx([ns, lsgan, hinge], rel=1e-5)
    assert float(hacks.adversarial_generator_loss(0, OUT, False)) == pytest.approx(mm, rel=1e-5)
    # the non-saturating switch belongs to BCE only
    assert float(hacks.adversarial_generator_loss(2, OUT, False)) == pytest.approx(hinge, rel=1e-5)


def test_a_live_loss_index_picks_the_loss_without_a_new_trace():
    kind = tf.Variable(0)
    f = tf.function(lambda: hacks.discriminator_loss(kind, TARGETS, OUT))
    values = []
    for k in range(3):
        kind.assign(k)
        values.append(float(f()))
    assert len(set(values)) == 3 and f.experimental_get_tracing_count() == 1


def test_decision_accuracy_uses_each_losss_midpoint():
    out = tf.constant([0.3, 0.7])  # least-squares: below and above 0.5
    assert float(hacks.decision_accuracy(0, out, True)) == 1.0  # BCE/hinge: sign
    assert float(hacks.decision_accuracy(1, out, True)) == 0.5
    assert float(hacks.decision_accuracy(1, out, False)) == 0.5


def test_r1_penalty_is_the_squared_input_gradient_of_real_images_only():
    w = tf.constant(np.random.default_rng(0).normal(size=(1, 5, 5, 1)), tf.float32)
    judge = lambda x: tf.reduce_sum(x * w, axis=[1, 2, 3]) ** 2 / 2  # ∇ₓ = D_lin(x)·w
    x = tf.constant(np.random.default_rng(1).normal(size=(4, 5, 5, 1)), tf.float32)
    lin = tf.reduce_sum(x * w, axis=[1, 2, 3]).numpy()
    per_image = lin**2 * float(tf.reduce_sum(w * w))
    penalty, outputs = hacks.r1_penalty(judge, x, tf.constant([1.0, 1.0, 0.0, 0.0]))
    assert float(penalty) == pytest.approx(per_image[:2].mean(), rel=1e-4)
    assert outputs.numpy() == pytest.approx(lin**2 / 2, rel=1e-5)
    assert float(hacks.r1_penalty(judge, x, tf.zeros([4]))[0]) == 0.0


def test_translation_moves_content_whole_within_an_eighth_of_the_side(rng):
    x = -np.ones([400, 28, 28, 1], np.float32)
    x[:, 10:18, 12:16] = np.linspace(0, 1, 8)[None, :, None, None]  # a blob away from the edges
    out = augment.translate(rng, tf.constant(x)).numpy()
    shifts = set()
    for src, dst in zip(x, out):
        (y0, x0), (y1, x1) = np.argwhere(src > -1).min(0)[:2], np.argwhere(dst > -1).min(0)[:2]
        dy, dx = y1 - y0, x1 - x0
        assert np.array_equal(np.roll(src, (dy, dx), axis=(0, 1)), dst)  # same content, moved
        shifts.add((dy, dx))
    assert {s for pair in shifts for s in pair} == set(range(-4, 5))  # round(28/8) = 4 px each way


def test_translation_fills_the_uncovered_border_with_background(rng):
    out = augment.translate(rng, tf.ones([200, 28, 28, 1]), background=-1.0).numpy()
    assert set(np.unique(out)) == {-1.0, 1.0}
    assert 0.05 < np.mean(out == -1.0) < 0.3


def test_cutout_removes_the_expected_area(rng):
    out = augment.cutout(rng, tf.ones([4000, 28, 28, 1]), background=-1.0).numpy()
    # exact expectation: a 14-px square centred uniformly on 0..27, clipped at the edges
    c = np.arange(28)
    side = (np.minimum(c - 7 + 14, 28) - np.maximum(c - 7, 0)).mean()
    assert np.mean(out == -1.0) == pytest.approx((side / 28) ** 2, abs=0.005)
    assert (out == -1.0).reshape(4000, -1).sum(1).max() == 14 * 14


def test_color_shifts_brightness_and_contrast_within_diffaugments_ranges(rng):
    x = tf.constant(np.random.default_rng(2).uniform(-1, 1, (3000, 8, 8, 1)), tf.float32)
    out = augment.color_jitter(rng, x).numpy()
    shift = out.mean(axis=(1, 2, 3)) - x.numpy().mean(axis=(1, 2, 3))
    assert shift.min() >= -0.5 and shift.max() <= 0.5 and abs(shift.std() - 1 / np.sqrt(12)) < 0.02
    ratio = out.std(axis=(1, 2, 3)) / x.numpy().std(axis=(1, 2, 3))
    assert ratio.min() >= 0.5 - 1e-4 and ratio.max() <= 1.5 + 1e-4


def test_diff_augment_is_identity_with_every_policy_off_and_differentiable_with_all_on(rng):
    x = tf.Variable(np.random.default_rng(3).uniform(-1, 1, (8, 28, 28, 1)).astype("float32"))
    assert np.array_equal(augment.diff_augment(rng, x, [False] * 3).numpy(), x.numpy())
    with tf.GradientTape() as tape:
        y = augment.diff_augment(rng, x, [True] * 3)
        loss = tf.reduce_sum(y)
    assert not np.allclose(y.numpy(), x.numpy())
    assert float(tf.reduce_sum(tf.abs(tape.gradient(loss, x)))) > 0


def test_augment_flags_parse_the_policy_text():
    assert augment.augment_flags("") == [False, False, False]
    assert augment.augment_flags("cutout, translation") == [True, True, False]
    with pytest.raises(ValueError, match="unknown policy 'flip'"):
        augment.augment_flags("translation,flip")


def test_the_pixel_ring_gives_back_what_it_was_given_to_its_16_bit_step(rng):
    from gan_core.hacks.replay import PIXEL_SCALE, ReplayRing

    ring = ReplayRing((3, 3, 1), capacity=8)
    assert ring.images.dtype == tf.int16  # fixed point: half float32's memory, no float16 tensor
    fakes = tf.concat([tf.random.uniform([7, 3, 3, 1], -1.0, 1.0, seed=3), tf.fill([1, 3, 3, 1], 1.7)], 0)
    fresh = tf.zeros([8, 3, 3, 1])
    ring.replay(rng, fakes, None, 0.0)  # writes the first 8 (REPLAY_WRITES) fakes, replays none
    assert int(ring.filled.numpy()) == 8
    out, _ = ring.replay(rng, fresh, None, 1.0)  # every fake now drawn from the ring
    drawn = out.numpy()[:, 0, 0, 0]
    written = np.clip(fakes.numpy()[:, 0, 0, 0], -1.0, 1.0)  # out-of-range pixels saturate at ±1
    # Each drawn image is one of the written ones, to within half a step of 1/32767.
    gaps = np.abs(drawn[:, None] - written[None, :]).min(axis=1)
    assert gaps.max() <= 0.5 / PIXEL_SCALE + 1e-7
    assert drawn.max() <= 1.0 and drawn.min() >= -1.0
