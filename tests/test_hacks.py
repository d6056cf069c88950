"""The hacks are statistical: test their statistics on many samples, seeded."""

import numpy as np
import pytest
import tensorflow as tf

from gan_core.hacks import functions as hacks


@pytest.fixture
def rng():
    return tf.random.Generator.from_seed(1234)


@pytest.mark.parametrize("p", [0.0, 0.05, 0.3, 0.5])
def test_flip_rate_matches_probability(rng, p):
    labels = tf.concat([tf.ones([50_000]), tf.zeros([50_000])], 0)
    flipped = hacks.flip_labels(rng, labels, p).numpy()
    rate = np.mean(flipped != labels.numpy())
    assert abs(rate - p) < 0.005
    assert set(np.unique(flipped)) <= {0.0, 1.0}


def test_smoothed_targets_fill_their_ranges(rng):
    is_real = tf.concat([tf.ones([50_000]), tf.zeros([50_000])], 0)
    t = hacks.smooth_labels(rng, is_real, (0.7, 1.2), (0.0, 0.3)).numpy()
    real, fake = t[:50_000], t[50_000:]
    assert real.min() >= 0.7 and real.max() <= 1.2 and fake.min() >= 0.0 and fake.max() <= 0.3
    assert real.min() < 0.71 and real.max() > 1.19 and fake.min() < 0.01 and fake.max() > 0.29
    assert abs(real.mean() - 0.95) < 0.01 and abs(fake.mean() - 0.15) < 0.01
    # uniform: each tenth of the range holds about a tenth of the targets
    counts, _ = np.histogram(real, bins=10, range=(0.7, 1.2))
    assert counts.min() > 0.09 * 50_000


def test_hard_labels_are_the_degenerate_ranges(rng):
    t = hacks.discriminator_targets(rng, tf.constant([1.0, 0.0, 1.0]), 0.0, (1.0, 1.0), (0.0, 0.0)).numpy()
    assert t.tolist() == [1.0, 0.0, 1.0]


def test_a_flipped_real_gets_a_target_from_the_fake_range(rng):
    t = hacks.discriminator_targets(rng, tf.ones([10_000]), 0.5, (0.9, 1.0), (0.0, 0.1)).numpy()
    assert np.all((t >= 0.9) | (t <= 0.1))
    assert 0.45 < np.mean(t <= 0.1) < 0.55


def test_latent_distributions(rng):
    g = hacks.sample_latent(rng, 20_000, 10, True).numpy()
    u = hacks.sample_latent(rng, 20_000, 10, False).numpy()
    assert abs(g.mean()) < 0.02 and abs(g.std() - 1.0) < 0.02 and np.abs(g).max() > 3
    assert u.min() >= -1.0 and u.max() <= 1.0 and abs(u.std() - 1 / np.sqrt(3)) < 0.01


@pytest.mark.parametrize("separate", [True, False])
def test_discriminator_batches_keep_every_image_with_its_label(rng, separate):
    real = tf.fill([8, 2, 2, 1], 1.0)
    fake = tf.fill([8, 2, 2, 1], -1.0)
    images, is_real, order = hacks.discriminator_batches(rng, real, fake, separate)
    images, is_real = images.numpy(), is_real.numpy()
    assert is_real.sum() == 8 and len(is_real) == 16
    assert np.all(images[is_real == 1] == 1.0) and np.all(images[is_real == 0] == -1.0)
    assert sorted(order.numpy().tolist()) == list(range(16))
    first_half = is_real[:8]
    if separate:
        assert first_half.tolist() == [1.0] * 8  # an all-real batch, then an all-fake one
    else:
        assert 0 < first_half.sum() < 8  # both halves mix real and fake


def test_minimax_loss_saturates_where_the_non_saturating_one_does_not():
    # A young generator: D rejects its fakes confidently (logit -6).
    x = tf.Variable([-6.0])
    grads = {}
    for name, flag in (("ns", True), ("mm", False)):
        with tf.GradientTape() as tape:
            loss = hacks.generator_loss(x, flag)
        grads[name] = abs(float(tape.gradient(loss, x)[0]))
    assert grads["ns"] > 0.99 and grads["mm"] < 0.01


def test_targets_above_one_make_the_loss_negative_for_confident_predictions():
    assert float(hacks.bce_with_logits(tf.constant([1.2]), tf.constant([8.0]))) < 0
    assert float(hacks.bce_with_logits(tf.constant([1.0]), tf.constant([8.0]))) > 0


def test_accuracy_counts_decisions_at_one_half():
    logits = tf.constant([2.0, -1.0, 0.5, -3.0])
    assert float(hacks.accuracy(logits, True)) == 0.5
    assert float(hacks.accuracy(logits, False)) == 0.5


@pytest.mark.parametrize(
    "loss,outputs,expected",
    [
        ("bce", [0.0, 20.0, -20.0], [0.5, 1.0, 0.0]),
        # Least-squares targets are 0 and 1: an output on a target reads as that target.
        ("least-squares", [1.0, 0.0, 0.5, 1.7, -0.4], [1.0, 0.0, 0.5, 1.0, 0.0]),
        # Hinge margins are -1 and +1: past a margin D is sure; 0 is undecided.
        ("hinge", [1.0, -1.0, 0.0, 3.0, -2.5], [1.0, 0.0, 0.5, 1.0, 0.0]),
    ],
)
def test_the_verdict_reads_each_loss_on_its_own_targets(loss, outputs, expected):
    # The health panel's "D wins" needs fake near 0 and real near 1 under every loss; a sigmoid
    # of a hinge D that fits its margins would read 0.27 and 0.73 and never fire.
    from gan_core.config.tree import ADVERSARIAL_LOSSES

    kind = ADVERSARIAL_LOSSES.index(loss)
    got = hacks.verdicts(kind, tf.constant(outputs)).numpy()
    np.testing.assert_allclose(got, expected, atol=1e-6)
    assert float(hacks.verdict(kind, tf.constant(outputs))) == pytest.approx(np.mean(expected), abs=1e-6)
