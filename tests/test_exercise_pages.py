"""Exercise links and predict-then-run on the pages, through AppTest (the address's query set
by the test): a link applied once, its hidden controls absent and locked ones fixed, the copied
link reproducing the page, a refused link changing nothing; the prediction before Start kept
with the comparison, set beside the verdict with the card's why, and summed up for the teacher."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.compare.job import CompareJob
from gan_core.config.exercise import exercise_id
from gan_core.config.presets import preset
from gan_core.guide import lookup as guide
from gan_core.jobs.predictions import prediction, shared_predictions
from gan_core.jobs.seats import new_seat_token, seat_id
from gan_core.jobs.server import shared_classroom, shared_pool

PAGES = Path(__file__).resolve().parents[1] / "app_pages"
EXAMPLE = "preset=no-hacks&set=hacks.flip_probability=0.2&hide=hacks.flip_probability"
TIMEOUT = 120


def opened(page: str, query: str = "", **state) -> AppTest:
    """The page run once with `query` in its address (and `state` in its session)."""
    at = AppTest.from_file(str(PAGES / page), default_timeout=TIMEOUT)
    for name, values in parse_qs(query, keep_blank_values=True).items():
        at.query_params[name] = values if len(values) > 1 else values[0]
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def labels(at: AppTest) -> set[str]:
    sb = at.sidebar
    return {
        w.label
        for kind in ("toggle", "slider", "radio", "selectbox", "select_slider", "number_input")
        for w in getattr(sb, kind)
    }


def widget(widgets, label):
    return next(w for w in widgets if w.label == label)


def copied_link(at: AppTest) -> str:
    """The link the "Copy exercise link" popover shows."""
    links = [c.value for c in at.code if "?" in c.value]
    assert len(links) == 1, links
    return links[0]


@pytest.fixture
def runs(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "runs"))


def test_a_train_link_sets_the_preset_and_value_and_hides_the_flip_control(runs):
    at = opened("train.py", EXAMPLE)
    assert "Label flip probability" not in labels(at)
    assert "Generator loss" in labels(at) and not at.error
    assert at.selectbox(key="preset").value == "no-hacks" and at.selectbox(key="preset").disabled
    cfg = at.session_state["pending_config"]
    assert cfg.hacks.flip_probability == 0.2 and cfg.hacks.generator_loss == "minimax"
    link = copied_link(at)
    assert "preset=no-hacks" in link and "set=hacks.flip_probability=0.2" in link
    assert "hide=hacks.flip_probability" in link  # the picker starts from the link's own choice

    # The student changes a control: the same link is not applied again on the next runs.
    widget(at.sidebar.radio, "Generator loss").set_value("non-saturating").run()
    at.run()
    cfg = at.session_state["pending_config"]
    assert cfg.hacks.generator_loss == "non-saturating" and cfg.hacks.flip_probability == 0.2


def test_hide_all_leaves_no_empty_control_groups_but_only_the_fixed_preset(runs):
    at = opened("train.py", "preset=no-hacks&hide=all")
    assert not labels(at) - {"Preset", "Dataset"}
    assert not at.sidebar.expander and "Live hacks" not in [h.value for h in at.sidebar.subheader]
    assert at.session_state["pending_config"] == preset("no-hacks")


def test_the_copied_train_link_opens_the_same_setup_with_its_seed(runs):
    at = opened("train.py", "preset=no-hacks&seed=77&set=run.epochs=1&set=hacks.d_steps=2&lock=hacks.d_steps")
    assert widget(at.sidebar.slider, "Discriminator steps per generator step").disabled
    link = copied_link(at)
    again = opened("train.py", urlsplit(link).query)
    assert again.session_state["pending_config"] == at.session_state["pending_config"]
    cfg = again.session_state["pending_config"]
    assert (cfg.run.seed, cfg.run.epochs, cfg.hacks.d_steps) == (77, 1, 2)


def test_a_locked_control_keeps_the_links_value_whatever_the_session_sends(runs):
    at = opened("train.py", "preset=no-hacks&lock=hacks.generator_loss")
    assert widget(at.sidebar.radio, "Generator loss").disabled
    at.session_state["ctl:hacks.generator_loss"] = "non-saturating"  # a crafted message
    at.run()
    assert at.session_state["pending_config"].hacks.generator_loss == "minimax"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        (
            "preset=no-hacks&set=data.source=/etc&hide=hacks.flip_probability",
            "set: 'data.source' cannot be set here: the data set comes from the Dataset select or an upload",
        ),
        ("preset=no-hacks&set=model.base_filters=512", "set: model.base_filters must be in 4..128, got 512"),
        ("preset=no-hacks&preset=modern", "'preset' is given 2 times in this link; give it once"),
    ],
)
def test_a_refused_train_link_shows_one_line_and_applies_nothing(runs, query, said):
    at = opened("train.py", query)
    assert [e.value for e in at.error] == [f"This exercise link was not applied: {said}"]
    assert at.selectbox(key="preset").value == "dcgan-hacks" and not at.selectbox(key="preset").disabled
    assert "Label flip probability" in labels(at)
    assert at.session_state["pending_config"] == preset("dcgan-hacks")


def test_a_playground_link_sets_its_points_preset_seed_and_fixed_controls():
    at = opened(
        "playground.py",
        "preset=collapse&data=grid&seed=5&set=hacks.flip_probability=0.1&hide=hacks.generator_loss"
        "&lock=optimizer.g_learning_rate",
    )
    assert "Generator loss" not in labels(at)
    assert widget(at.sidebar.select_slider, "G learning rate").disabled
    assert at.selectbox(key="toy_dataset").value == "Grid of 25 Gaussians" and at.selectbox(key="toy_dataset").disabled
    trainer = at.session_state["toy_trainer"]
    assert (trainer.config.run.seed, trainer.config.data.dataset) == (5, "grid")
    assert trainer.config.hacks.flip_probability == 0.1 and trainer.config.hacks.generator_loss == "minimax"
    assert "/playground?preset=collapse&data=grid&seed=5" in copied_link(at)


def test_a_compare_link_sets_card_seconds_seed_and_hides_the_advanced_boxes():
    at = opened("compare.py", "card=non-saturating&seconds=30&seed=3&hide=overrides&lock=card")
    assert at.selectbox(key="compare_card").value == "non-saturating" and at.selectbox(key="compare_card").disabled
    assert at.number_input(key="compare_seconds").value == 30
    assert not at.text_area  # the Advanced boxes are hidden
    assert "B differs from A in: `hacks.generator_loss` 'non-saturating' → 'minimax'" in [m.value for m in at.markdown]
    assert copied_link(at) == "/compare?card=non-saturating&seed=3&seconds=30&hide=overrides&lock=card"


def test_start_waits_for_a_prediction_which_is_kept_with_the_comparison():
    at = opened("compare.py", "card=non-saturating&seconds=30&seed=3")
    start = widget(at.button, "Start comparison")
    assert start.disabled and "What do you expect?" in start.help
    at.radio(key="compare_expect_0").set_value("B better").run()
    at.selectbox(key="compare_curve_0").set_value("G's loss").run()
    widget(at.button, "Start comparison").click().run()
    assert not at.exception
    job_id = at.session_state["compare_job"]
    job = shared_pool().get(job_id)
    try:
        entry = shared_predictions().get(job_id)
        assert entry.prediction == prediction("B better", "G's loss") and entry.card == "non-saturating"
        assert entry.exercise_id == exercise_id(job.cfg_a, job.cfg_b)
        assert entry.title == "Non-saturating generator loss (hacks.generator_loss)"
        assert "You expected: **B better**, and G's loss to move." in [m.value for m in at.markdown]
        assert not any(r.label == "What do you expect?" for r in at.radio)  # asked before Start only
    finally:
        job.stop(timeout=2.0)
        job.join(120)


def test_a_careful_link_locks_three_seeds_per_arm_and_its_prediction_is_kept():
    at = opened("compare.py", "card=non-saturating&seconds=30&seed=3&careful=true&lock=careful")
    toggle = at.toggle(key="compare_careful")
    assert toggle.value and toggle.disabled
    assert "careful=true" in copied_link(at) and "lock=careful" in copied_link(at)
    at.session_state["compare_careful"] = False  # a crafted message: the lock keeps it on
    at.radio(key="compare_expect_0").set_value("about the same").run()
    widget(at.button, "Start comparison").click().run()
    assert not at.exception
    job_id = at.session_state["compare_job"]
    job = shared_pool().get(job_id)
    try:
        assert job.careful and job.seeds == (3, 4, 5)
        assert shared_predictions().get(job_id).prediction == prediction("about the same")
        assert "You expected: **About the same**." in [m.value for m in at.markdown]  # beside the careful view
    finally:
        job.stop(timeout=2.0)
        job.join(120)


@pytest.fixture(scope="module")
def finished_pair(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=1", "run.grid_size=4"])
    job = CompareJob(cfg, cfg.with_value("hacks.generator_loss", "minimax"), data=small_digits)
    job.start()
    job.join(300)
    assert job.status().state == "finished", job.status().message
    return job


def test_the_verdict_stands_beside_the_prediction_with_the_cards_why_and_the_teacher_sees_the_counts(finished_pair):
    token = new_seat_token()
    job_id = shared_pool().adopt(finished_pair, owner=seat_id(token))
    shared_predictions().record(
        job_id,
        exercise_id(finished_pair.cfg_a, finished_pair.cfg_b),
        "the pair",
        seat_id(token),
        prediction("about the same", "D's loss"),
        card="non-saturating",
    )
    at = opened("compare.py", seat_token=token, compare_job=job_id)
    shown = [m.value for m in at.markdown]
    assert at.success[0].value.startswith("Verdict: A: ")
    assert "You expected: **About the same**, and D's loss to move." in shown
    assert any(m.startswith("It came out: **") for m in shown)
    # The curve guess is scored: the curve that moved most clearly, or that none did.
    assert any(m.startswith(("The curve that moved most: **", "No curve moved clearly")) for m in shown), shown
    assert f"**Why:** {guide.card('non-saturating').why}" in shown
    entry = shared_predictions().get(job_id)
    assert entry.ended == "finished"

    teacher = opened("class_room.py", f"teacher={shared_classroom().teacher_token}")
    summary = [m.value for m in teacher.markdown]
    assert "**the pair**" in summary
    assert "Predicted: A better 0 · B better 0 · about the same 1" in summary
    hit = int(entry.curve_right)
    assert f"Which curve moves: {hit} of 1 named the curve that moved most clearly" in summary
    assert any(
        m.startswith("Came out (1 finished): ") and m.endswith(f"{int(entry.right)} of 1 as predicted") for m in summary
    )
