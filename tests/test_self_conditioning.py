"""Self-conditioning: k-means clusters of the images act as labels when real ones are not used.

On the embedded digits the clusters must be look-alike groups (far purer than chance), the
same for the same seed, and a run trained on them must be a conditional generator whose
quality is still judged over the ten digits, not over the clusters."""

import numpy as np
import pytest

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.generators.sampling import sample_images
from gan_core.generators.source import load_generator, run_source
from gan_core.hacks import self_conditioning
from gan_core.hacks.self_conditioning import cluster_labels, wants_clusters
from gan_core.metrics import meter_for
from gan_core.nets.conditional import classes_of
from gan_core.run.trainer import Trainer
from gan_core.step.gan_step import GanStep


def purity(ids: np.ndarray, labels: np.ndarray) -> float:
    """Share of images whose cluster's most common digit is their own."""
    return sum(np.bincount(labels[ids == c]).max() for c in np.unique(ids)) / len(ids)


def test_clusters_of_the_digits_are_look_alike_groups_numbered_by_size(digits):
    ids = cluster_labels(digits.images, 20, seed=0)
    assert ids.shape == (len(digits),) and ids.dtype == np.int32
    sizes = np.bincount(ids, minlength=20)
    assert np.all(sizes > 0) and np.all(np.diff(sizes) <= 0)  # every id used, 0 the largest
    # Chance would put ~11% of images with their cluster's majority digit (10 balanced classes).
    assert purity(ids, digits.labels) > 0.55
    assert np.array_equal(ids, self_conditioning._fit(digits.images, 20, 0))  # a fresh fit, not the cache


def test_the_same_images_are_clustered_once_and_changed_images_again(digits):
    # Each Start of a reused step clusters its images again; the same images must not be refitted.
    images = digits.images[:600]
    first = cluster_labels(images, 10, seed=0)
    fits = self_conditioning.fits
    again = cluster_labels(images.copy(), 10, seed=0)
    assert self_conditioning.fits == fits and np.array_equal(first, again)
    again[:] = 0  # a caller's array is its own: the kept result is unchanged
    assert np.array_equal(cluster_labels(images, 10, seed=0), first)
    changed = images.copy()
    changed[0, 0, 0, 0] ^= 1
    cluster_labels(changed, 10, seed=0)
    cluster_labels(images, 10, seed=1)
    assert self_conditioning.fits == fits + 2


def test_clusters_fitted_on_a_sample_still_cover_every_image_and_id():
    rng = np.random.default_rng(3)
    centres = rng.integers(0, 256, (6, 8, 8, 1))
    images = np.clip(centres[rng.integers(0, 6, 12_000)] + rng.normal(0, 8, (12_000, 8, 8, 1)), 0, 255)
    ids = cluster_labels(images.astype(np.uint8), 6, seed=1)
    assert set(np.unique(ids)) == set(range(6)) and len(ids) == 12_000


@pytest.mark.parametrize(
    "clusters,n,expected", [(1, 50, "2..100 clusters"), (101, 500, "2..100 clusters"), (30, 20, "at least 30 images")]
)
def test_bad_cluster_counts_raise_one_line(clusters, n, expected):
    with pytest.raises(ValueError, match=expected):
        cluster_labels(np.zeros((n, 4, 4, 1), np.uint8), clusters)


@pytest.mark.parametrize("value", ["1", "-3", "101", "ten"])
def test_config_refuses_bad_cluster_counts(value):
    with pytest.raises(ConfigError, match="model.self_conditioning"):
        TrainConfig().with_value("model.self_conditioning", value).validated()


def test_real_labels_win_and_clusters_replace_missing_ones(small_digits):
    assert wants_clusters(8, use_labels=False, has_labels=True)
    assert wants_clusters(8, use_labels=True, has_labels=False)
    assert not wants_clusters(8, use_labels=True, has_labels=True)
    assert not wants_clusters(0, use_labels=False, has_labels=False)
    base = TrainConfig().with_overrides(["model.base_filters=8", "run.batch_size=32", "model.self_conditioning=6"])
    step = GanStep(base.validated(), small_digits.images, labels=None)
    assert step.self_conditioned and step.classes == 6 and classes_of(step.generator) == 6
    labelled = GanStep(
        base.with_value("model.use_labels", True).validated(), small_digits.images, labels=small_digits.labels
    )
    assert not labelled.self_conditioned and labelled.classes == 10


def test_a_self_conditioned_run_saves_a_conditional_generator_judged_over_the_ten_digits(small_digits, tmp_path):
    cfg = (
        TrainConfig()
        .with_overrides(
            ["model.base_filters=8", "run.batch_size=128", "run.epochs=1", "run.max_seconds=0", "run.grid_size=2"]
        )
        .with_value("model.self_conditioning", 12)
        .validated()
    )
    trainer = Trainer(cfg, run_dir=tmp_path / "run", data=small_digits)
    trainer.start()
    trainer.join(300)
    snap = trainer.snapshot()
    assert snap.state == "finished", snap.message
    assert not any("labels" in w for w in snap.warnings)  # no "training without labels" note
    generator, source = load_generator(run_source(tmp_path / "run"))
    assert source.classes == 12 and classes_of(generator) == 12
    report = meter_for(small_digits).report(sample_images(generator, source, 64, seed=1)).to_dict()
    assert report["classes_total"] == 10  # judged over the digits, not the 12 clusters
