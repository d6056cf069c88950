"""The Latent explorer page, run by Streamlit's AppTest against a tiny real generator on disk."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]

from gan_core.config.presets import preset  # noqa: E402

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

PAGE = ROOT / "app_pages" / "latent_explorer.py"
PAGE_TIMEOUT = 60  # the first run imports TensorFlow and loads the model


def save_tiny_generator(folder: Path, config=None, size: int = 28, channels: int = 1) -> Path:
    """A real (untrained) generator: Dense -> Reshape -> Conv2DTranspose -> tanh, 28x28x1, latent 100."""
    import keras

    folder.mkdir(parents=True, exist_ok=True)
    z = keras.Input((100,))
    x = keras.layers.Dense((size // 4) ** 2 * 4)(z)
    x = keras.layers.Reshape((size // 4, size // 4, 4))(x)
    x = keras.layers.Conv2DTranspose(channels, 4, strides=4, padding="same", activation="tanh")(x)
    keras.Model(z, x).save(str(folder / "generator.keras"))
    (folder / "config.json").write_text((config or preset("dcgan-hacks")).to_json())
    return folder / "generator.keras"


@pytest.fixture
def empty_runs(tmp_path, monkeypatch):
    runs = tmp_path / "runs"
    runs.mkdir()
    monkeypatch.setenv("GAN_LAB_RUNS", str(runs))
    return runs


@pytest.fixture
def page(tmp_path, monkeypatch, empty_runs, open_page) -> AppTest:
    save_tiny_generator(tmp_path / "pretrained")
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "pretrained"))
    return open_page(PAGE, PAGE_TIMEOUT)


def image_with_caption(at: AppTest, start: str):
    found = [img for img in at.image if any(c.startswith(start) for c in img.captions)]
    assert found, f"no image captioned '{start}...' among {[img.captions for img in at.image]}"
    return found[0]


def test_page_opens_on_the_pretrained_generator_with_a_numbered_sample_grid(page):
    assert not page.warning and not page.error
    assert page.selectbox(key="latent_generator").value == "Pretrained generator"
    grid = image_with_caption(page, "Cells 1-16 for seed 0")
    assert grid.value[0]  # served media, not an empty element
    assert any("latent size 100, gaussian latent, 28x28x1" in c.value for c in page.caption)
    image_with_caption(page, "Nearest real digit")
    assert page.get("download_button")


def test_new_samples_button_moves_to_the_next_seed(page):
    before = image_with_caption(page, "Cells 1-16").value
    page.button[0].click().run()
    assert page.number_input(key="latent_seed").value == 1
    assert image_with_caption(page, "Cells 1-16 for seed 1").value != before


def test_moving_steps_changes_the_strip(page):
    before = image_with_caption(page, "Spherical walk, 10 frames").value
    page.slider(key="latent_steps").set_value(16).run()
    assert not page.exception
    after = image_with_caption(page, "Spherical walk, 16 frames").value
    assert after != before


def test_linear_walk_between_two_seeds_and_a_walk_towards_a_cell(page):
    page.radio(key="latent_ends").set_value("two seeds").run()
    page.radio(key="latent_method").set_value("linear").run()
    image_with_caption(page, "Linear walk, 10 frames, seed 1 to seed 2")
    page.radio(key="latent_walk_mode").set_value("from one cell towards another").run()
    assert not page.exception
    image_with_caption(page, "Centre: cell 1. Across: cell 1 towards cell 2")


def test_arithmetic_needs_a_cell_in_every_group(page):
    image_with_caption(page, "= result")
    page.multiselect(key="latent_arith_B").set_value([]).run()
    assert not page.exception
    assert any("at least one cell for each of A, B and C" in i.value for i in page.info)


def test_missing_pretrained_generator_is_a_warning_not_an_exception(tmp_path, monkeypatch, empty_runs, open_page):
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "not-there"))
    at = open_page(PAGE, PAGE_TIMEOUT)
    assert len(at.warning) == 1 and "no pretrained generator" in at.warning[0].value.lower()
    assert not at.image


def test_a_training_run_can_be_chosen_and_its_uniform_latent_is_used(tmp_path, monkeypatch, empty_runs):
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "not-there"))
    save_tiny_generator(empty_runs / "run-7", config=preset("no-hacks"))
    at = AppTest.from_file(str(PAGE), default_timeout=PAGE_TIMEOUT)
    at.run()
    assert "Runs that have a generator are in the list above" in at.warning[0].value
    at.selectbox(key="latent_generator").set_value("Run run-7").run()
    assert not at.exception and not at.warning
    assert any("run-7: latent size 100, uniform latent" in c.value for c in at.caption)
    image_with_caption(at, "Cells 1-16")


def test_colour_generator_works_and_says_nearest_real_is_not_available(tmp_path, monkeypatch, empty_runs, open_page):
    save_tiny_generator(tmp_path / "frogs", size=32, channels=3)
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "frogs"))
    at = open_page(PAGE, PAGE_TIMEOUT)
    assert any("32x32x3 images" in c.value for c in at.caption)
    image_with_caption(at, "Spherical walk, 10 frames")
    assert any(i.value.startswith("Not available for this generator") for i in at.info)


def test_uploading_a_classifier_shows_an_error_not_an_exception(page, tmp_path):
    import keras

    classifier = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    classifier.save(str(tmp_path / "clf.keras"))
    page.selectbox(key="latent_generator").set_value("Upload a .keras file").run()
    page.file_uploader(key="latent_upload").upload("clf.keras", (tmp_path / "clf.keras").read_bytes()).run()
    assert not page.exception
    assert len(page.error) == 1 and "not a generator" in page.error[0].value


def save_cached_classifier(input_shape, flatten: bool) -> None:
    """A stand-in for the metrics' cached digit classifier: a 'features' layer, then 10 classes."""
    import keras

    from gan_core.metrics import classifier_cache_path

    images = keras.Input(input_shape)
    x = keras.layers.Flatten()(images) if flatten else images
    features = keras.layers.Dense(8, name="features")(x)
    judge = keras.Model(images, keras.layers.Dense(10, activation="softmax")(features))
    classifier_cache_path().parent.mkdir(parents=True)
    judge.save(str(classifier_cache_path()))


def test_nearest_real_by_classifier_features_uses_the_cached_classifier(page, tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_CACHE", str(tmp_path / "cache"))
    save_cached_classifier((28, 28, 1), flatten=True)
    page.radio(key="latent_nearest_by").set_value("classifier features").run()
    assert not page.exception and not page.info, [i.value for i in page.info]
    assert "classifier features distance" in image_with_caption(page, "Nearest real digit").captions[0]


def test_nearest_real_falls_back_to_pixels_when_the_classifier_does_not_fit(page, tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_CACHE", str(tmp_path / "cache"))
    save_cached_classifier((784,), flatten=False)  # a foreign classifier: wants flat vectors
    page.radio(key="latent_nearest_by").set_value("classifier features").run()
    assert not page.exception
    assert any("comparing pixels instead" in i.value for i in page.info)
    assert "pixels distance" in image_with_caption(page, "Nearest real digit").captions[0]


def test_uploaded_generator_is_used_and_the_page_says_what_it_assumed(page, tmp_path):
    path = save_tiny_generator(tmp_path / "mine")
    page.selectbox(key="latent_generator").set_value("Upload a .keras file").run()
    page.file_uploader(key="latent_upload").upload("mine.keras", path.read_bytes()).run()
    assert not page.exception and not page.error
    assert any("Upload: mine.keras: latent size 100" in c.value for c in page.caption)
    assert any("no config with the file: sampling a Gaussian latent" in i.value for i in page.info)
    image_with_caption(page, "Cells 1-16 for seed 0")


def test_the_shipped_conditional_generator_draws_the_class_picked_on_the_page(monkeypatch, empty_runs, open_page):
    monkeypatch.delenv("GAN_LAB_PRETRAINED_DIR", raising=False)  # the generator in assets/
    at = open_page(PAGE, PAGE_TIMEOUT)
    assert any("one-hot code for 10 classes" in c.value for c in at.caption)
    assert at.selectbox(key="latent_class").value == "each in turn"
    before = image_with_caption(at, "Cells 1-16 for seed 0").value
    at.selectbox(key="latent_class").set_value(7).run()
    assert not at.exception
    assert image_with_caption(at, "Cells 1-16 for seed 0").value != before
    at.radio(key="latent_ends").set_value("two seeds").run()
    assert at.selectbox(key="latent_from_class").value == 3 and at.selectbox(key="latent_to_class").value == 8
    image_with_caption(at, "Spherical walk, 10 frames, seed 1 to seed 2, class 3 to class 8")
    at.radio(key="latent_walk_mode").set_value("from one cell towards another").run()
    assert not at.exception


def test_watching_a_run_that_still_trains_keeps_it_from_the_idle_janitor(
    tmp_path, monkeypatch, empty_runs, small_digits
):
    import time

    from gan_core.jobs.server import shared_pool
    from gan_core.run.trainer import Trainer

    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "not-there"))
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=0", "run.grid_size=2", "run.quality_every_epoch=false"]
    )
    trainer = Trainer(cfg, run_dir=empty_runs / "live", data=small_digits)
    pool = shared_pool()
    pool.adopt(trainer)
    trainer.start()
    try:
        deadline = time.time() + 120
        while not (empty_runs / "live" / "generator.keras").is_file() and time.time() < deadline:
            time.sleep(0.2)
        at = AppTest.from_file(str(PAGE), default_timeout=PAGE_TIMEOUT)
        at.run()
        shown_from = time.monotonic()
        at.selectbox(key="latent_generator").set_value("Run live").run()
        assert not at.exception
        assert any("still training" in c.value for c in at.caption)
        # Idle means "not shown since the page opened the run": the janitor leaves it alone...
        monkeypatch.setattr(pool, "idle_seconds", time.monotonic() - shown_from)
        pool.sweep()
        assert trainer.is_active()
        # ...and stops it once nobody has shown it for that long.
        time.sleep(pool.idle_seconds + 0.1)
        pool.sweep()
        trainer.join(60)
        assert trainer.snapshot().state == "stopped"
    finally:
        trainer.stop(timeout=60)


# -- discovered directions -------------------------------------------------------------------


def direction_name_key(at: AppTest, number: int) -> str:
    return next(t.key for t in at.text_input if t.label == f"Name direction {number}")


def test_discovered_directions_move_the_cell_and_a_name_is_seen_by_the_next_visitor(page, empty_runs):
    labels = [s.label for s in page.slider if s.key.startswith("latent_dir_") and s.key != "latent_dir_count"]
    assert len(labels) == 6 and labels[0].startswith("Direction 1 (") and labels[0].endswith("% of variance)")
    before = image_with_caption(page, "Cell 1: as sampled (left) and moved (right) (all sliders at 0)").value
    page.slider(key="latent_dir_1").set_value(2.5).run()
    assert not page.exception
    assert image_with_caption(page, "Cell 1: as sampled (left) and moved (right)").value != before
    page.radio(key="latent_dir_what").set_value("cells 1-8").run()
    image_with_caption(page, "Cells 1-8: as sampled (top) and moved (bottom)")

    page.text_input(key=direction_name_key(page, 1)).input("  slant\x1b ").run()
    assert not page.exception and not page.error
    assert page.slider(key="latent_dir_1").label.startswith("slant (direction 1, ")
    stored = list((empty_runs / ".direction_names").glob("*.json"))
    assert len(stored) == 1 and json.loads(stored[0].read_text())["names"] == {"1": "slant"}

    other = AppTest.from_file(str(PAGE), default_timeout=PAGE_TIMEOUT)  # another student's session
    other.run()
    assert other.slider(key="latent_dir_1").label.startswith("slant (direction 1, ")
    assert other.text_input(key=direction_name_key(other, 1)).value == "slant"


def test_a_long_or_markdown_direction_name_is_cut_or_shown_as_typed(page, empty_runs):
    # set_value, as a client that ignores the box's 40-character limit would send it: Streamlit cuts it
    page.text_input(key=direction_name_key(page, 2)).set_value("x" * 41).run()
    assert not page.exception and not page.error
    assert page.slider(key="latent_dir_2").label.startswith("x" * 40 + " (direction 2, ")
    page.text_input(key=direction_name_key(page, 2)).input("![x](http://evil/x.png) :red[boo]").run()
    assert not page.error
    label = page.slider(key="latent_dir_2").label
    assert label.startswith(r"\!\[x\]\(http\:") and r"\:red\[boo\]" in label  # escaped: no image, no colour


def test_a_name_the_disk_refuses_is_a_one_line_error(page, empty_runs):
    (empty_runs / ".direction_names").write_text("a file where the names folder should be")
    page.text_input(key=direction_name_key(page, 1)).input("slant").run()
    assert not page.exception
    assert len(page.error) == 1 and page.error[0].value.startswith("Direction 1's name was not saved: ")
    assert str(empty_runs) not in page.error[0].value  # the server's folders stay private
    assert "\n" not in page.error[0].value
    assert page.slider(key="latent_dir_1").label.startswith("Direction 1 (")


def test_a_runs_direction_names_are_kept_in_its_folder(tmp_path, monkeypatch, empty_runs):
    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "not-there"))
    save_tiny_generator(empty_runs / "run-9")
    at = AppTest.from_file(str(PAGE), default_timeout=PAGE_TIMEOUT)
    at.run()
    at.selectbox(key="latent_generator").set_value("Run run-9").run()
    at.text_input(key=direction_name_key(at, 3)).input("thickness").run()
    assert not at.exception and not at.error
    assert json.loads((empty_runs / "run-9" / "direction_names.json").read_text())["names"] == {"3": "thickness"}
    assert not (empty_runs / ".direction_names").exists()


def test_names_given_before_a_run_trained_on_are_flagged_and_an_uploads_are_kept_by_its_bytes(
    tmp_path, monkeypatch, empty_runs
):
    import os

    monkeypatch.setenv("GAN_LAB_PRETRAINED_DIR", str(tmp_path / "not-there"))
    run_generator = save_tiny_generator(empty_runs / "run-4")
    at = AppTest.from_file(str(PAGE), default_timeout=PAGE_TIMEOUT)
    at.run()
    at.selectbox(key="latent_generator").set_value("Run run-4").run()
    at.text_input(key=direction_name_key(at, 1)).input("slant").run()
    assert not any("earlier epoch" in c.value for c in at.caption)
    save_tiny_generator(empty_runs / "run-4")  # the run trained on: a new generator file
    os.utime(run_generator, (1e9 + 7, 1e9 + 7))
    at.run()
    assert not at.exception
    assert at.slider(key="latent_dir_1").label.startswith("slant (direction 1, ")
    assert any("earlier epoch" in c.value for c in at.caption)

    upload = save_tiny_generator(tmp_path / "mine")
    at.selectbox(key="latent_generator").set_value("Upload a .keras file").run()
    at.file_uploader(key="latent_upload").upload("mine.keras", upload.read_bytes()).run()
    assert at.slider(key="latent_dir_1").label.startswith("Direction 1 (")
    at.text_input(key=direction_name_key(at, 1)).input("thickness").run()
    assert not at.exception and not at.error
    digest = hashlib.sha256(upload.read_bytes()).hexdigest()
    kept = json.loads((empty_runs / ".direction_names" / f"{digest}.json").read_text())
    assert kept["names"] == {"1": "thickness"}
