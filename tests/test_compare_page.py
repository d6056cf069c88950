"""The Compare page: A/B setup, the Hacks guide's preload, refusals, and drawing a real finished job."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from gan_core.jobs.seats import seat_id
from gan_core.jobs.server import shared_pool

ROOT = Path(__file__).resolve().parents[1]

from gan_core.compare.job import CompareJob  # noqa: E402
from gan_core.config.presets import preset  # noqa: E402
from gan_core.guide import lookup as guide  # noqa: E402
from ui.figures import compare as figures  # noqa: E402

PAGE = ROOT / "app_pages" / "compare.py"
PAGE_TIMEOUT = 60  # two shared cores: plotly's first import alone can take seconds


@pytest.fixture
def page(open_page) -> AppTest:
    return open_page(PAGE, PAGE_TIMEOUT)


@pytest.fixture(scope="module")
def finished_job(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=2", "run.grid_size=4"])
    job = CompareJob(cfg, cfg.with_value("hacks.generator_loss", "minimax"), data=small_digits)
    job.start()
    job.join(300)
    assert job.status().state == "finished", job.status().message
    return job


def image_captions(at: AppTest) -> list[str]:
    return [caption for image in at.get("image") for caption in image.captions]


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_controls_and_the_default_pair(page):
    assert {"Start comparison", "Stop"} <= {b.label for b in page.button}
    assert button(page, "Stop").disabled  # nothing to stop yet
    select = page.selectbox(key="compare_card")
    assert select.value == "batch-norm"
    assert {c.title for c in guide.CARDS} <= set(select.options)
    assert page.number_input(key="compare_seconds").value == 60
    assert "B differs from A in: `model.batch_norm` True → False" in [m.value for m in page.markdown]
    assert "Start comparison" in page.info[0].value


def test_a_preload_from_the_hacks_guide_fills_b_and_says_so(page):
    page.session_state["compare_preload"] = guide.compare_preload(guide.card("non-saturating"))
    page.run()
    assert not page.exception
    assert page.info[0].value == "Loaded from the Hacks guide: Non-saturating generator loss"
    assert page.selectbox(key="compare_card").value == "non-saturating"
    markdown = [m.value for m in page.markdown]
    assert "B differs from A in: `hacks.generator_loss` 'non-saturating' → 'minimax'" in markdown
    # Picking another card replaces the guide's pair, and the message goes.
    page.selectbox(key="compare_card").set_value("label-flips").run()
    assert not any("Hacks guide" in i.value for i in page.info)
    assert "B differs from A in: `hacks.flip_probability` 0.05 → 0.0" in [m.value for m in page.markdown]


def test_bad_override_lines_show_one_error_and_keep_the_text(page):
    page.text_area(key="compare_overrides_b").input("# my try\nmodel.dropout=2").run()
    assert [e.value for e in page.error] == ["B overrides, line 2: model.dropout must be in [0, 0.7], got 2.0"]
    assert button(page, "Start comparison").disabled
    assert page.text_area(key="compare_overrides_b").value == "# my try\nmodel.dropout=2"

    page.text_area(key="compare_overrides_b").input("run.batch_size=128").run()
    assert page.error[0].value.startswith("A and B must use the same run.batch_size")
    page.text_area(key="compare_overrides_a").input("model.base_filters").run()
    assert page.error[0].value == "A overrides, line 1: expected key=value, got 'model.base_filters'"


def test_a_data_path_typed_in_both_boxes_is_refused_and_nothing_trains(page, tmp_path):
    folder = tmp_path / "some" / "folder"
    folder.mkdir(parents=True)
    before = shared_pool().active_count()
    page.text_area(key="compare_overrides_a").input(f"data.source={folder}")
    page.text_area(key="compare_overrides_b").input(f"data.source={folder}").run()
    assert [e.value for e in page.error] == [
        "A overrides, line 1: 'data.source' cannot be set here: the data set comes from the Dataset select or an upload"
    ]
    assert str(folder) not in " ".join(e.value for e in page.error)
    assert button(page, "Start comparison").disabled  # (AppTest, like a browser, cannot click it)
    assert "compare_job" not in page.session_state or page.session_state["compare_job"] is None
    assert shared_pool().active_count() == before


def test_a_preload_with_a_data_key_is_refused(page):
    page.session_state["compare_preload"] = {
        "card": "batch-norm",
        "title": "forged",
        "a": {"data.source": "/some/folder"},
        "b": {},
    }
    page.run()
    assert [e.value for e in page.error] == [
        "'data.source' cannot be set here: the data set comes from the Dataset select or an upload"
    ]
    assert button(page, "Start comparison").disabled


def test_start_then_stop_runs_one_job_per_session(page):
    assert button(page, "Start comparison").disabled  # "What do you expect?" comes first
    page.radio(key="compare_expect_0").set_value("A better").run()
    button(page, "Start comparison").click().run()
    assert not page.exception
    job = shared_pool().get(page.session_state["compare_job"])
    assert job.status().active
    assert job.cfg_b.model.batch_norm is False and job.cfg_a.run.max_seconds == 60
    assert button(page, "Start comparison").disabled  # one comparison at a time
    button(page, "Stop").click().run()
    job.join(120)
    assert job.status().state == "stopped"
    page.run()
    # A fresh question for the next comparison: Start waits for its answer, then starts again.
    assert button(page, "Start comparison").help == 'Answer "What do you expect?" first.'
    page.radio(key="compare_expect_1").set_value("about the same").run()
    assert not button(page, "Start comparison").disabled


def test_a_finished_job_draws_grids_curves_quality_and_verdict(finished_job, page):
    owner = seat_id(page.session_state["seat_token"])  # the browser that started it
    page.session_state["compare_job"] = shared_pool().adopt(finished_job, owner=owner)
    page.run()
    assert not page.exception
    assert image_captions(page) == ["A — epoch 2", "B — epoch 2"]
    captions = [c.value for c in page.caption]
    assert not any("no grid yet" in c for c in captions)
    assert page.slider(key="compare_epoch").value == 2
    assert len(page.get("plotly_chart")) == 3  # losses, accuracy, quality
    assert page.success[0].value.startswith("Verdict: A: ")
    # Two epochs of one pass each over the 640 images (32 real images a step).
    assert "Finished: 40 steps for A and 40 for B" in " ".join(captions)
    page.slider(key="compare_epoch").set_value(1).run()
    assert image_captions(page) == ["A — epoch 1", "B — epoch 1"]


def test_drawing_functions_render_a_real_jobs_snapshots(finished_job):
    snap_a, snap_b, _ = finished_job.snapshot()
    losses = figures.loss_figure(snap_a, snap_b)
    assert [t.name for t in losses.data] == [
        "A: D loss (real)",
        "A: D loss (fake)",
        "A: G loss",
        "B: D loss (real)",
        "B: D loss (fake)",
        "B: G loss",
    ]
    assert [t.line.dash for t in losses.data] == ["solid"] * 3 + ["dash"] * 3
    assert losses.data[2].line.color == losses.data[5].line.color
    assert len(losses.data[0].x) == 40
    assert len(figures.accuracy_figure(snap_a, snap_b).data) == 4
    assert [list(t.x) for t in figures.quality_figure(snap_a, snap_b).data] == [[1, 2], [1, 2]]
    rows = figures.quality_rows(snap_a, snap_b)
    assert [r["epoch"] for r in rows] == [1, 2] and rows[1]["B classes"] is not None
    gif = Image.open(io.BytesIO(figures.side_by_side_gif(snap_a, snap_b)))
    grid = Image.open(io.BytesIO(snap_a.epochs[0].grid_png))
    assert gif.n_frames == 2
    assert gif.size == (2 * grid.width + figures.GAP, grid.height + figures.LABEL_HEIGHT)


def test_the_later_hacks_are_taken_as_overrides_and_named_in_the_difference(page):
    page.text_area(key="compare_overrides_a").input(
        "hacks.instance_noise=0.1\nhacks.replay_share=0.5\nhacks.adversarial_loss=hinge\n"
        "hacks.r1_gamma=1\nhacks.diff_augment=translation,cutout"
    ).run()
    assert not page.error
    difference = next(m.value for m in page.markdown if m.value.startswith("B differs from A in"))
    for key in (
        "hacks.instance_noise",
        "hacks.replay_share",
        "hacks.adversarial_loss",
        "hacks.r1_gamma",
        "hacks.diff_augment",
    ):
        assert f"`{key}`" in difference
    page.text_area(key="compare_overrides_a").input("hacks.diff_augment=zoom").run()
    assert page.error[0].value.startswith("A overrides, line 1: hacks.diff_augment: unknown policy 'zoom'")
