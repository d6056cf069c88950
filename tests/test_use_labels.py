"""'Use labels': a class-conditional generator draws the digit it is asked for, and runs
without labels still train (unconditioned, with a note)."""

import numpy as np
import pytest

from gan_core.config.presets import preset
from gan_core.config.tree import ModelConfig
from gan_core.data import ImageSet
from gan_core.generators import latent
from gan_core.generators.running import interpolation_strip
from gan_core.generators.source import GeneratorSource, load_generator, load_uploaded_generator
from gan_core.nets.conditional import classes_of, label_classes, labels_note
from gan_core.nets.models import build_discriminator, build_generator
from gan_core.step.gan_step import GanStep

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def test_label_classes_needs_at_least_two_classes():
    assert label_classes(np.array([0, 1, 9, 3])) == 10
    assert label_classes(None) == 0
    assert label_classes(np.full(50, 6)) == 0  # e.g. cifar10:frog
    assert "no labels" in labels_note(True, None)
    assert "single class" in labels_note(True, np.full(5, 6))
    assert labels_note(True, np.arange(10)) == "" and labels_note(False, None) == ""


def test_conditional_models_take_the_class_code_and_say_so():
    cfg = ModelConfig(base_filters=8)
    g = build_generator(cfg, (28, 28, 1), classes=10)
    d = build_discriminator(cfg, (28, 28, 1), classes=10)
    assert g.inputs[0].shape[1] == cfg.latent_dim + 10 and classes_of(g) == 10
    assert classes_of(build_generator(cfg, (28, 28, 1))) == 0
    z = latent.sample_latent(0, 4, cfg.latent_dim, classes=10)
    logits, class_logits = d([np.asarray(g(z)), z[:, -10:]])
    assert logits.shape == (4, 1) and class_logits.shape == (4, 10)


def test_class_code_cycles_or_follows_the_labels_asked_for():
    z = latent.sample_latent(3, 12, 5, classes=10)
    assert z.shape == (12, 15)
    assert list(z[:, 5:].argmax(1)) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]
    assert np.array_equal(z[:, :5], latent.sample_latent(3, 12, 5))  # same z, code appended
    sevens = latent.sample_latent(3, 4, 5, classes=10, labels=[7] * 4)
    assert set(sevens[:, 5:].argmax(1)) == {7} and np.all(sevens[:, 5:].sum(1) == 1)
    with pytest.raises(ValueError, match="one class in 0..9"):
        latent.sample_latent(3, 2, 5, classes=10, labels=[3, 10])


def test_interpolation_morphs_the_class_code_in_a_straight_line():
    a = latent.sample_latent(1, 1, 8, classes=10, labels=[3])[0]
    b = latent.sample_latent(2, 1, 8, classes=10, labels=[8])[0]
    path = latent.interpolate(a, b, 5, spherical=True, code_size=10)
    assert np.array_equal(path[0], a) and np.array_equal(path[-1], b)
    assert np.allclose(path[:, 10 - 2 + 3], [1, 0.75, 0.5, 0.25, 0])  # class 3 fades out evenly
    assert np.allclose(path[:, 8 + 8], [0, 0.25, 0.5, 0.75, 1])
    # the z part still follows the great circle: norms between the ends' norms
    norms = np.linalg.norm(path[:, :8], axis=1)
    assert np.all(norms >= min(norms[0], norms[-1]) - 1e-5) and np.all(norms <= max(norms[0], norms[-1]) + 1e-5)


def test_a_conditional_step_also_runs_in_bfloat16(small_digits):
    cfg = preset("fast-demo").with_overrides(["model.use_labels=true", "run.precision=bf16", "run.batch_size=32"])
    step = GanStep(cfg, small_digits.images, labels=small_digits.labels)
    assert step.classes == 10
    assert np.all(np.isfinite(np.asarray(step.step())))


def test_runs_without_labels_train_unconditioned(small_digits):
    cfg = preset("dcgan-hacks").with_value("run.batch_size", 32)
    assert cfg.model.use_labels
    step = GanStep(cfg, small_digits.images, labels=None)
    assert step.classes == 0 and classes_of(step.generator) == 0
    assert np.all(np.isfinite(np.asarray(step.step())))
    assert GanStep(cfg, small_digits.images, labels=np.full(len(small_digits), 4)).classes == 0


@pytest.fixture(scope="module")
def trained(digits, tmp_path_factory):
    """The default preset's step, trained 500 steps on the embedded digits with their labels."""
    cfg = preset("dcgan-hacks").validated()
    step = GanStep(cfg, digits.images, labels=digits.labels)
    for _ in range(500):
        out = step.step()
        if step.epoch_complete:
            step.new_epoch()
    np.asarray(out)
    path = tmp_path_factory.mktemp("conditional") / "generator.keras"
    step.generator.save(path)
    return step, path


def test_the_generator_draws_the_digit_it_is_asked_for(trained):
    from gan_core.generators.images import to_uint8
    from gan_core.metrics import get_classifier

    step, _ = trained
    assert step.classes == 10 and step.traces == 1
    asked = np.repeat(np.arange(10), 20)
    z = latent.sample_latent(11, len(asked), step.latent_dim, classes=10, labels=asked)
    images = to_uint8(step.generate(z), step.tanh_output)
    _, probs = get_classifier().features_and_probabilities(images)
    agree = float(np.mean(probs.argmax(1) == asked))
    assert agree >= 0.8, f"the judge agreed with the asked-for digit on only {agree:.0%}"


def test_a_saved_conditional_generator_loads_with_its_class_count(trained, tmp_path):
    step, path = trained
    source = GeneratorSource(
        name="t", path=path, config=None, latent_dim=0, latent_distribution="gaussian", tanh_output=True
    )
    model, loaded = load_generator(source)
    assert loaded.classes == 10 and loaded.latent_dim == step.latent_dim
    frames, strip = interpolation_strip(model, loaded, *loaded.latent(0, 2, labels=[3, 8]), 6)
    assert frames.shape == (6, 28, 28, 1) and strip.ndim == 3
    _, uploaded = load_uploaded_generator(path.read_bytes(), "mine.keras")
    assert uploaded.classes == 10 and any("10 classes" in note for note in uploaded.assumptions)


def _labelled_cfg(epochs: int):
    return preset("fast-demo").with_overrides(
        ["model.use_labels=true", "run.max_seconds=0", f"run.epochs={epochs}", "run.grid_size=4"]
    )


def test_a_conditional_run_saves_resumes_and_samples(tmp_path, small_digits):
    from gan_core.generators.sampling import sample_run
    from gan_core.run.trainer import Trainer

    run_dir = tmp_path / "run"
    first = Trainer(_labelled_cfg(1), run_dir=run_dir, data=small_digits)
    first.start()
    first.join(180)
    assert first.snapshot().state == "finished", first.snapshot().message
    resumed = Trainer(_labelled_cfg(2), run_dir=run_dir, resume=True, data=small_digits)
    resumed.start()
    resumed.join(180)
    snap = resumed.snapshot()
    assert snap.state == "finished" and snap.epoch == 2, snap.message
    assert not snap.warnings and snap.classes == 10
    images = np.load(sample_run(run_dir, 12, tmp_path / "s.npy"))
    assert images.shape == (12, 28, 28, 1) and images.dtype == np.uint8


def test_own_images_without_labels_train_with_a_note(small_digits):
    from gan_core.run.trainer import Trainer

    own = ImageSet(small_digits.images, None, "own images")
    t = Trainer(_labelled_cfg(1), data=own)
    t.start()
    t.join(180)
    snap = t.snapshot()
    assert snap.state == "finished", snap.message
    assert snap.classes == 0
    assert any("has no labels: training without labels" in w for w in snap.warnings)
