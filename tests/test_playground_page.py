"""The 2D playground page, driven through Streamlit's AppTest (one script run per .run()).

AppTest does not run `run_every` fragments, so "Play" is checked only for its label switch;
the live refresh needs a real browser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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


def test_a_burst_needs_a_free_training_slot_and_says_so_plainly(page):
    from contextlib import ExitStack

    from gan_core.jobs.job import PoolBusy
    from gan_core.jobs.server import shared_pool

    with ExitStack() as held:  # every slot of this server taken, as by another browser
        try:
            while True:
                held.enter_context(shared_pool().slot())
        except PoolBusy:
            pass
        by_label(page.button, "Step both").click().run()
        assert not page.exception, page.exception
        assert [e.value for e in page.error] == [shared_pool().busy_message()]
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
