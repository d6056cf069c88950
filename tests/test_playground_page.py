"""The 2D playground page, driven through Streamlit's AppTest (one script run per .run()).

AppTest does not run `run_every` fragments, so "Play" is checked only for its label switch;
the live refresh needs a real browser.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "playground.py")
TIMEOUT = 120


def by_label(widgets, label):
    found = [w for w in widgets if w.label == label]
    assert found, f"no widget labelled {label!r}; have {[w.label for w in widgets]}"
    return found[0]


def metric(at, label):
    return by_label(at.metric, label).value


@pytest.fixture
def page(open_page):
    return open_page(PAGE, TIMEOUT)


def test_page_shows_every_control_with_its_label(page):
    assert by_label(page.selectbox, "Dataset").value == "Ring of 8 Gaussians"
    for label in ("Latent distribution", "Generator loss", "Adversarial loss"):
        by_label(page.radio, label)
    for label in (
        "Real label range",
        "Fake label range",
        "Label flip probability",
        "Discriminator steps per generator step",
        "R1 penalty γ",
    ):
        by_label(page.slider, label)
    for label in ("Step D", "Step G", "Step both", "Play"):
        by_label(page.button, label)
    by_label(page.toggle, "Slow motion")
    assert metric(page, "Modes covered").endswith("/8")
    assert len(page.get("plotly_chart")) == 2


def test_step_buttons_train_and_play_turns_into_pause(page):
    by_label(page.button, "Step both").click().run()
    assert not page.exception, page.exception
    assert metric(page, "Generator steps") == "1"
    by_label(page.button, "Step D").click().run()
    by_label(page.button, "Step G").click().run()
    assert not page.exception, page.exception
    assert metric(page, "Generator steps") == "2"
    by_label(page.button, "Play").click().run()
    by_label(page.button, "Pause")


def test_changing_a_hack_keeps_the_training(page):
    by_label(page.button, "Step both").click().run()
    by_label(page.slider, "Label flip probability").set_value(0.2).run()
    by_label(page.radio, "Generator loss").set_value("minimax").run()
    assert not page.exception, page.exception
    assert metric(page, "Generator steps") == "1"
    assert page.session_state["toy_trainer"].config.hacks.flip_probability == pytest.approx(0.2)


def test_the_adversarial_loss_and_r1_reach_the_running_points_gan(page):
    by_label(page.button, "Step both").click().run()
    by_label(page.radio, "Adversarial loss").set_value("hinge").run()
    by_label(page.slider, "R1 penalty γ").set_value(1.0).run()
    by_label(page.button, "Step both").click().run()
    assert not page.exception, page.exception
    assert metric(page, "Generator steps") == "2"  # the same training went on
    hacks = page.session_state["toy_trainer"].config.hacks
    assert (hacks.adversarial_loss, hacks.r1_gamma) == ("hinge", 1.0)


def test_bad_csv_shows_an_error_and_keeps_the_current_training(page):
    by_label(page.button, "Step both").click().run()
    by_label(page.selectbox, "Dataset").set_value("Your own points (CSV)").run()
    page.file_uploader[0].set_value(("mine.csv", b"x,y\n1,2\n3,oops\n", "text/csv")).run()
    assert not page.exception, page.exception
    assert any("'oops' is not a number" in e.value for e in page.error)
    assert metric(page, "Generator steps") == "1"  # the ring training is still there


def test_good_csv_trains_on_the_users_points(page):
    rows = "".join(f"{i % 7},{i % 5}\n" for i in range(60)).encode()
    by_label(page.selectbox, "Dataset").set_value("Your own points (CSV)").run()
    page.file_uploader[0].set_value(("grid.csv", b"x,y\n" + rows, "text/csv")).run()
    assert not page.exception, page.exception
    assert not page.error
    assert metric(page, "Modes covered").endswith("/16")
    assert metric(page, "Generator steps") == "0"


def test_preset_sets_every_control_and_starts_fresh_networks(page):
    by_label(page.button, "Step both").click().run()
    by_label(page.selectbox, "Preset").set_value("collapse").run()
    assert not page.exception, page.exception
    assert by_label(page.radio, "Generator loss").value == "minimax"
    assert by_label(page.radio, "Latent distribution").value == "uniform"
    assert by_label(page.select_slider, "G learning rate").value == pytest.approx(1e-2)
    assert metric(page, "Generator steps") == "0"
    trainer = page.session_state["toy_trainer"]
    assert trainer.config.optimizer.beta_1 == pytest.approx(0.9)  # fixed at build: a new trainer
    assert trainer.config.run.ema_decay == 0.0


def test_hacks_guide_preload_opens_the_collapse_preset_on_the_ring():
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state["toy_preload"] = "collapse"
    at.session_state["toy_dataset"] = "Grid of 25 Gaussians"
    at.run()
    assert not at.exception, at.exception
    assert by_label(at.selectbox, "Preset").value == "collapse"
    assert by_label(at.selectbox, "Dataset").value == "Ring of 8 Gaussians"
    assert "Loaded from the Hacks guide" in at.info[0].value
    assert by_label(at.radio, "Generator loss").value == "minimax"
    # Picking another preset by hand drops the note.
    by_label(at.selectbox, "Preset").set_value("default").run()
    assert not any("Loaded from the Hacks guide" in i.value for i in at.info)
    assert by_label(at.radio, "Generator loss").value == "non-saturating"


def test_a_burst_needs_a_free_short_work_place_and_says_so_plainly(page):
    from contextlib import ExitStack

    from gan_core.jobs.job import PoolBusy
    from gan_core.jobs.server import shared_pool

    with ExitStack() as held:  # every short-work place of this server taken, as by other browsers
        try:
            while True:
                held.enter_context(shared_pool().slot())
        except PoolBusy as e:
            refusal = str(e)
        by_label(page.button, "Step both").click().run()
        assert not page.exception, page.exception
        assert [e.value for e in page.error] == [refusal]
        assert page.error[0].value.startswith("The machine is busy")
        assert metric(page, "Generator steps") == "0"
        by_label(page.button, "Play").click().run()
        by_label(page.button, "Play")  # refused: playing stops at once
    by_label(page.button, "Step both").click().run()
    assert not page.error
    assert metric(page, "Generator steps") == "1"


def test_play_trains_on_the_decay_schedule_the_cli_uses(page):
    by_label(page.button, "Play").click().run()  # this run trains one burst, as the fragment does
    assert not page.exception, page.exception
    trainer = page.session_state["toy_trainer"]
    assert trainer.trained_seconds > 0
    assert any("decays both learning rates" in c.value for c in page.caption)


def test_instance_noise_and_replay_reach_the_running_points_gan(page):
    by_label(page.button, "Step both").click().run()
    by_label(page.slider, "Instance noise (start std)").set_value(0.2).run()
    by_label(page.slider, "Experience replay share").set_value(0.5).run()
    by_label(page.button, "Step both").click().run()
    assert not page.exception, page.exception
    assert metric(page, "Generator steps") == "2"  # the same training went on
    trainer = page.session_state["toy_trainer"]
    assert (trainer.config.hacks.instance_noise, trainer.config.hacks.replay_share) == (0.2, 0.5)
    assert int(trainer.replay.filled.numpy()) > 0


# -- Draw your own ----------------------------------------------------------------------------
CANVAS_PX = 440  # ui/draw_view.py: the board is 440 px for the plane's 4 units


def click_object(x, y):
    """A click at plane point (x, y) as the canvas sends it: a Fabric.js Path of zero length."""
    px, py = (x + 2) * CANVAS_PX / 4, (2 - y) * CANVAS_PX / 4
    return {"type": "Path", "originX": "center", "originY": "center", "left": px, "top": py,
            "path": [["M", px, py], ["L", px, py]]}  # fmt: skip


def ring_objects(n=8, radius=1.5):
    return [click_object(radius * math.cos(a), radius * math.sin(a)) for a in 2 * math.pi * np.arange(n) / n]


def draw(at, objects):
    """What the canvas sends after the user drew `objects` on it, then the rerun it triggers."""
    key = f"toy_canvas:{at.session_state['toy_canvas_round']}"
    at.session_state[key] = {"drawing": {"raw": {"objects": objects}, "data": None}, "backgroundFit": None}
    return at.run()


def board_line(at):
    return next(m.value for m in at.markdown if " points** in " in m.value)


@pytest.fixture
def drawing(page):
    by_label(page.selectbox, "Dataset").set_value("Draw your own").run()
    assert not page.exception, page.exception
    return page


def test_draw_your_own_waits_for_points_then_trains_on_them(drawing):
    assert board_line(drawing) == "**0 points** in 0 strokes"
    assert any("Click or drag on the plane" in i.value for i in drawing.info)
    assert not drawing.metric  # nothing to train on yet
    draw(drawing, ring_objects())
    assert not drawing.exception, drawing.exception
    assert board_line(drawing) == "**240 points** in 8 strokes · 8 modes found"
    assert metric(drawing, "Modes covered").endswith("/8")  # the clusters of the drawing
    trainer = drawing.session_state["toy_trainer"]
    assert trainer.dataset.name == "drawn" and trainer.dataset.pool.shape == (240, 2)
    by_label(drawing.button, "Step both").click().run()
    by_label(drawing.slider, "Label flip probability").set_value(0.1).run()  # a rerun, the same drawing
    assert metric(drawing, "Generator steps") == "1"
    assert drawing.session_state["toy_trainer"] is trainer  # not rebuilt by a rerun


def test_undo_drops_the_last_stroke_and_clear_every_stroke(drawing):
    draw(drawing, ring_objects())
    by_label(drawing.button, "Step both").click().run()
    by_label(drawing.button, "Undo last stroke").click().run()
    assert not drawing.exception, drawing.exception
    assert board_line(drawing) == "**210 points** in 7 strokes · 7 modes found"
    assert metric(drawing, "Modes covered").endswith("/7")
    assert metric(drawing, "Generator steps") == "0"  # new points, a new training
    by_label(drawing.button, "Clear drawing").click().run()
    assert board_line(drawing) == "**0 points** in 0 strokes"
    assert not drawing.metric
    assert by_label(drawing.button, "Undo last stroke").disabled


def test_a_drawing_past_2000_points_keeps_the_strokes_that_fit_and_says_so(drawing):
    clicks = [click_object(-1.8 + 0.45 * (i % 9), -1.8 + 0.45 * (i // 9)) for i in range(67)]
    draw(drawing, clicks)
    assert not drawing.exception, drawing.exception
    assert [e.value for e in drawing.error] == [
        "2,000 points is the most a drawing holds: the last stroke was not added (Undo or Clear to draw more)"
    ]
    assert board_line(drawing).startswith("**1,980 points** in 66 strokes")
    assert len(drawing.session_state["toy_drawing"]) == 66


def test_a_malformed_canvas_value_leaves_the_drawing_and_its_training(drawing):
    draw(drawing, ring_objects())
    by_label(drawing.button, "Step both").click().run()
    key = f"toy_canvas:{drawing.session_state['toy_canvas_round']}"
    drawing.session_state[key] = {"drawing": {"raw": {"objects": "junk"}, "data": None}, "backgroundFit": None}
    drawing.run()
    assert not drawing.exception, drawing.exception
    assert [e.value for e in drawing.error] == ["the canvas sent a drawing this page cannot read"]
    assert board_line(drawing).startswith("**240 points** in 8 strokes")
    assert metric(drawing, "Generator steps") == "1"
    draw(drawing, ring_objects() + [{"type": "Path", "path": [["M", float("nan"), 3.0]]}])
    assert [e.value for e in drawing.error] == ["stroke 9 was not added: a stroke's coordinates must be finite numbers"]
    assert metric(drawing, "Generator steps") == "1"  # the same 8 strokes: the same training


def test_the_drawing_is_still_there_after_another_data_set(drawing):
    draw(drawing, ring_objects())
    by_label(drawing.selectbox, "Dataset").set_value("Ring of 8 Gaussians").run()
    assert metric(drawing, "Modes covered").endswith("/8")
    by_label(drawing.selectbox, "Dataset").set_value("Draw your own").run()
    assert not drawing.exception, drawing.exception
    assert board_line(drawing) == "**240 points** in 8 strokes · 8 modes found"


def test_the_drawings_csv_trains_again_as_an_upload(drawing):
    from gan_core.toy.drawn import points_csv

    draw(drawing, ring_objects())
    assert by_label(drawing.get("download_button"), "Download CSV").proto.url.endswith(".csv")
    csv = points_csv(drawing.session_state["toy_trainer"].dataset.pool)  # what the download button serves
    by_label(drawing.selectbox, "Dataset").set_value("Your own points (CSV)").run()
    drawing.file_uploader[0].set_value(("drawn_points.csv", csv, "text/csv")).run()
    assert not drawing.exception, drawing.exception
    assert not drawing.error
    assert drawing.session_state["toy_trainer"].dataset.pool.shape == (240, 2)
    assert metric(drawing, "Generator steps") == "0"
