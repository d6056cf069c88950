"""The Compare page's careful mode: the toggle, a careful job in the server's line, and a real
finished careful comparison drawn as bands with the verdict against the seeds' spread."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from gan_core.compare.job import CompareJob
from gan_core.compare.spread import careful_outcome
from gan_core.config.presets import preset
from gan_core.jobs.predictions import prediction, shared_predictions
from gan_core.jobs.seats import seat_id
from gan_core.jobs.server import shared_pool
from ui.figures import careful as figures

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

PAGE = Path(__file__).resolve().parents[1] / "app_pages" / "compare.py"
PAGE_TIMEOUT = 60  # two shared cores: plotly's first import alone can take seconds


@pytest.fixture
def page(open_page) -> AppTest:
    return open_page(PAGE, PAGE_TIMEOUT)


@pytest.fixture(scope="module")
def careful_job(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=2", "run.grid_size=2", "run.seed=5"])
    job = CompareJob(cfg, cfg.with_value("hacks.generator_loss", "minimax"), data=small_digits, seeds=3)
    job.start()
    job.join(900)
    assert job.status().state == "finished", job.status().message
    return job


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_toggle_starts_a_careful_comparison_in_two_slots(page):
    toggle = page.toggle(key="compare_careful")
    assert toggle.label == "Careful: 3 seeds per arm" and toggle.value is False
    assert not any("6 runs" in c.value for c in page.caption)
    toggle.set_value(True).run()
    assert any(c.value.startswith("6 runs, one step at a time: about 6 × the seconds per arm") for c in page.caption)
    assert button(page, "Start comparison").disabled  # "What do you expect?" comes first, careful or not
    page.radio(key="compare_expect_0").set_value("about the same").run()
    button(page, "Start comparison").click().run()
    assert not page.exception
    job = shared_pool().get(page.session_state["compare_job"])
    try:
        assert job.careful and job.seeds == (0, 1, 2) and len(job.boards) == 6
        assert job._turn.slots == 2
        assert job.cfg_b.model.batch_norm is False and job.cfg_a.run.max_seconds == 60
    finally:
        button(page, "Stop").click().run()
        job.join(120)
    assert job.status().state == "stopped"


def test_a_finished_careful_job_draws_bands_a_seed_table_and_the_noise_verdict(careful_job, page):
    # The job is this browser's own: its seat may see and control it.
    owner = seat_id(page.session_state["seat_token"])
    job_id = shared_pool().adopt(careful_job, owner=owner)
    page.session_state["compare_job"] = job_id
    shared_predictions().record(job_id, "careful-test", "Non-saturating loss", owner, prediction("about the same"))
    page.run()
    assert not page.exception
    verdict = page.success[0].value
    assert verdict.startswith("Verdict: A: ") and "3 seeds each. A − B = " in verdict
    assert ("within noise" in verdict) or ("is ahead" in verdict)
    # The prediction stands beside it, settled by the careful verdict (all three seeds), not by seed 5 alone.
    said = [m.value for m in page.markdown]
    assert "You expected: **About the same**." in said
    came_out = careful_outcome(*careful_job.snapshots()[:2])
    assert came_out is not None and shared_predictions().get(job_id).outcome == came_out
    assert any(m.startswith(f"It came out: **{came_out.capitalize()}**") for m in said), said
    radio = page.radio(key="compare_grid_seed")
    assert radio.options == ["5", "6", "7"] and radio.value == 5
    captions = [c for image in page.get("image") for c in image.captions]
    assert captions == ["A — epoch 2", "B — epoch 2"]
    assert len(page.get("plotly_chart")) == 4  # losses, accuracy, recognized share, Fréchet distance
    table = page.dataframe[0].value
    assert list(table["seed"]) == ["5", "6", "7", "all"]
    assert any("Finished: 40 steps for each of A and B in 3 seeds" in c.value for c in page.caption)
    radio.set_value(7).run()
    assert not page.exception and page.radio(key="compare_grid_seed").value == 7


def test_each_arm_is_a_mean_line_in_a_band_from_its_lowest_to_its_highest_seed(careful_job):
    snaps_a, snaps_b, _ = careful_job.snapshots()
    losses = figures.loss_figure(snaps_a, snaps_b, window=1)
    assert len(losses.data) == 2 * 3 * 3  # per arm and line: the band's two edges, then the mean
    high, low, mean = losses.data[6:9]  # A's G loss
    assert (high.fill, low.fill, mean.name) == (None, "tonexty", "A: G loss")
    assert mean.line.dash == "solid" and losses.data[-1].line.dash == "dash"
    g = np.array([s.series["g_loss"] for s in snaps_a])
    np.testing.assert_allclose(mean.y, g.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(low.y, g.min(axis=0))
    np.testing.assert_allclose(high.y, g.max(axis=0))
    assert len(mean.x) == 40
    quality = figures.quality_figure(snaps_a, snaps_b)
    assert [list(t.x) for t in quality.data] == [[1, 2]] * 6
    shares = np.array([[e.quality["recognized_share"] for e in s.epochs] for s in snaps_b])
    np.testing.assert_allclose(quality.data[5].y, shares.mean(axis=0))
    distance = figures.distance_figure(snaps_a, snaps_b)
    assert distance.layout.title.text.startswith("Fréchet distance (judge features) per epoch")
