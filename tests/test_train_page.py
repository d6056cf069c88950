"""The Train page's logic with AppTest (the live fragment's drawing is tested directly below)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.config.presets import preset
from gan_core.guide.lookup import CONTROL_LABELS
from ui.control_specs import ALL_CONTROLS, config_from_widgets, widget_values

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "train.py")


@pytest.fixture
def page(tmp_path, monkeypatch, open_page):
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "runs"))
    return open_page(PAGE)


def _labels(at):
    sb = at.sidebar
    widgets = (
        list(sb.toggle)
        + list(sb.slider)
        + list(sb.radio)
        + list(sb.selectbox)
        + list(sb.select_slider)
        + list(sb.number_input)
        + list(sb.multiselect)
    )
    return {w.label for w in widgets}


def test_every_control_is_there_with_its_exact_label(page):
    labels = _labels(page)
    assert {"Preset", "Dataset"} <= labels
    assert set(CONTROL_LABELS) <= labels  # the labels the Hacks guide points at
    assert [b.label for b in page.button] == ["Start training", "Pause", "Resume", "Stop"]


def test_only_start_is_enabled_before_training(page):
    enabled = {b.label: not b.disabled for b in page.button}
    assert enabled == {"Start training": True, "Pause": False, "Resume": False, "Stop": False}


def test_choosing_a_preset_fills_every_control(page):
    page.sidebar.selectbox(key="preset").set_value("no-hacks").run()
    assert page.sidebar.toggle(key="ctl:model.batch_norm").value is False
    assert page.sidebar.toggle(key="ctl:model.strided_downsample").value is False
    assert page.sidebar.radio(key="ctl:hacks.generator_loss").value == "minimax"
    assert page.sidebar.radio(key="ctl:hacks.latent_distribution").value == "Uniform"
    assert page.sidebar.slider(key="ctl:hacks.real_label_range").value == (1.0, 1.0)
    assert page.sidebar.slider(key="ctl:optimizer.beta_1").value == pytest.approx(0.9)  # Adam's default
    page.sidebar.selectbox(key="preset").set_value("dcgan-hacks").run()
    assert page.sidebar.toggle(key="ctl:model.batch_norm").value is True
    assert page.sidebar.slider(key="ctl:hacks.flip_probability").value == pytest.approx(0.05)


def test_invalid_settings_show_an_error_and_disable_start(page):
    page.sidebar.number_input(key="ctl:run.batch_size").set_value(63).run()
    assert any("run.batch_size must be a positive even number" in e.value for e in page.error)
    assert page.button(key="btn_start").disabled
    page.sidebar.number_input(key="ctl:run.batch_size").set_value(64).run()
    assert not page.error and not page.button(key="btn_start").disabled


def test_widget_values_round_trip_every_preset():
    for name in ("dcgan-hacks", "no-hacks", "seed-tutorial"):
        cfg = preset(name)
        assert config_from_widgets(cfg, widget_values(cfg)) == cfg
    assert len({c.label for c in ALL_CONTROLS}) == len(ALL_CONTROLS)


def _draw_script(snapshot):
    import streamlit as st

    from ui.train_view import draw_live

    draw_live(snapshot)
    st.session_state["drawn"] = True


def test_live_view_draws_a_real_run(small_digits):
    from gan_core.run.trainer import Trainer

    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=2", "run.grid_size=4"])
    t = Trainer(cfg, data=small_digits)
    t.start()
    import time

    while t.snapshot().step < 3:
        time.sleep(0.05)
    t.set_hack("hacks.flip_probability", 0.3)
    t.join(120)
    snap = t.snapshot()
    at = AppTest.from_function(_draw_script, args=(snap,), default_timeout=30)
    at.run()
    assert not at.exception
    assert at.session_state["drawn"]
    assert "Finished" in at.markdown[0].value
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # losses, accuracy, quality
    import json

    annotations = [a["text"] for c in charts for a in json.loads(c.proto.spec)["layout"].get("annotations", [])]
    assert "flip 0.05 → 0.30" in annotations  # the marker where the hack changed
    assert at.get("download_button") and len(at.get("download_button")) == 4


@pytest.mark.parametrize(
    ("overrides", "said", "not_said"),
    [
        (["model.self_conditioning=4"], "Trained without labels: 4 look-alike groups", "Trained with labels"),
        (["model.use_labels=true"], "Trained with labels: the cells ask for classes 0, 1, 2, … 9", "look-alike"),
    ],
)
def test_the_grid_says_whether_its_classes_are_labels_or_clusters(small_digits, overrides, said, not_said):
    # `modern` trains without labels on k-means clusters: its grid once said "Trained with labels".
    from gan_core.run.trainer import Trainer

    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=1", "run.grid_size=4", *overrides])
    t = Trainer(cfg, data=small_digits)
    t.start()
    t.join(120)
    snap = t.snapshot()
    assert snap.state == "finished" and snap.classes in (4, 10)
    at = AppTest.from_function(_draw_script, args=(snap,), default_timeout=30)
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert said in captions and not_said not in captions


def test_timelapse_and_csv_downloads(small_digits):
    from gan_core.run.trainer import Trainer
    from ui.train_view import metrics_csv, timelapse_gif

    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=2", "run.grid_size=4", "run.quality_every_epoch=false"]
    )
    t = Trainer(cfg, data=small_digits)
    t.start()
    t.join(120)
    snap = t.snapshot()
    gif = timelapse_gif(snap)
    assert gif.startswith(b"GIF8")
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(gif)).n_frames == 2
    rows = metrics_csv(snap).strip().splitlines()
    # Two epochs of one pass each over the 640 images, 32 real images a step: 40 rows.
    assert rows[0].startswith("step,d_loss_real,d_loss_fake,g_loss") and len(rows) == 41
    assert rows[0].endswith("d_grad_norm,g_grad_norm,d_prob_real,d_prob_fake")


def _digits_zip(n: int = 80) -> bytes:
    import io
    import zipfile

    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(n):
            picture = io.BytesIO()
            Image.fromarray(rng.integers(0, 255, (28, 28), dtype=np.uint8)).save(picture, format="PNG")
            archive.writestr(f"img_{i:03d}.png", picture.getvalue())
    return out.getvalue()


def test_decoding_an_uploaded_set_needs_a_free_short_work_place(page):
    from contextlib import ExitStack

    from gan_core.jobs.job import PoolBusy
    from gan_core.jobs.server import shared_pool

    page.sidebar.selectbox(key="dataset").set_value("your images (.zip upload)").run()
    with ExitStack() as held:  # every short-work place of this server taken, as by other browsers
        try:
            while True:
                held.enter_context(shared_pool().slot())
        except PoolBusy as e:
            refusal = str(e)
        page.sidebar.file_uploader(key="upload_zip").set_value(("mine.zip", _digits_zip(), "application/zip"))
        page.run()
        assert not page.exception
        assert [e.value for e in page.error] == [refusal]
        assert {b.label: b.disabled for b in page.button}["Start training"]
    page.run()  # a slot is free: the same upload is decoded now
    assert not page.exception and not page.error
    assert any(c.value.startswith("80 images") for c in page.sidebar.caption)


def test_health_panel_shows_the_figures_and_a_named_warning_with_its_hack(small_digits):
    """A real run provoked into 'D wins' (minimax against a strong D): the Train page's
    Health panel shows the step's figures and the warning with what to try. With k = 5 an
    epoch of the 640 images is 4 steps: 20 epochs give the 50-step window room."""
    from gan_core.run import health_watch as health
    from gan_core.run.trainer import Trainer

    cfg = preset("fast-demo").with_overrides(
        [
            "run.max_seconds=0",
            "run.epochs=20",
            "run.grid_size=2",
            "run.quality_every_epoch=false",
            "hacks.generator_loss=minimax",
            "optimizer.d_learning_rate=0.005",
            "optimizer.g_learning_rate=0.00001",
            "hacks.d_steps=5",
            "hacks.real_label_range=1,1",
            "hacks.fake_label_range=0,0",
            "hacks.flip_probability=0",
            "model.dropout=0",
        ]
    )
    t = Trainer(cfg, data=small_digits)
    t.start()
    t.join(300)
    snap = t.snapshot()
    assert snap.state == "finished", snap.message
    assert [e["name"] for e in snap.health_events][:1] == [health.D_WINS]
    at = AppTest.from_function(_draw_script, args=(snap,), default_timeout=30)
    at.run()
    assert not at.exception
    expander = [e for e in at.expander if e.label == "Health"]
    assert expander
    captions = [c.value for c in expander[0].caption]
    assert any(c.startswith("Gradient norm D ") for c in captions)
    assert any("D's mean verdict (0 fake, 1 real): real 1.00" in c for c in captions)
    shown = [w.value for w in expander[0].warning]
    assert any(w.startswith(f"**{health.D_WINS}** at step") and "Try: the non-saturating G loss" in w for w in shown)


def test_the_loss_chart_caption_says_what_the_losses_mean_under_each_adversarial_loss():
    from gan_core.run.snapshot import Snapshot
    from ui.train_view import _labels_above_one, loss_caption

    smoothed = {"hacks.real_label_range": (0.7, 1.2)}
    assert loss_caption(Snapshot(hacks={**smoothed, "hacks.adversarial_loss": "bce"})) == ""
    assert _labels_above_one(Snapshot(hacks={**smoothed, "hacks.adversarial_loss": "bce"}))
    hinge = Snapshot(hacks={**smoothed, "hacks.adversarial_loss": "hinge"})
    assert "relu(1 − D(x))" in loss_caption(hinge) and "−D(G(z))" in loss_caption(hinge)
    assert not _labels_above_one(hinge)  # no cross-entropy, so no dip below zero to explain
    assert "above 0.5" in loss_caption(Snapshot(hacks={"hacks.adversarial_loss": "least-squares"}))
