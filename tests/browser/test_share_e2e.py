"""A shared run in two real browsers: the owner's browser controls it, a viewer link only watches it."""

import re

import pytest

from devtools.app_harness import app_server, browser_pages, screenshot

pytestmark = pytest.mark.browser
CONTROLS = ("Start training", "Pause", "Resume", "Stop")
SHARE = '[data-testid="stPopoverButton"]:has-text("Share")'


def test_a_viewer_link_shows_the_live_grid_and_no_controls_while_the_owner_keeps_them(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_pages(2) as (owner, viewer):
        owner.goto(url, wait_until="domcontentloaded")
        start = owner.get_by_role("button", name="Start training")
        start.wait_for(timeout=60_000)
        start.click()
        owner.get_by_text(re.compile(r"^(Starting|Training) · ")).first.wait_for(timeout=60_000)
        assert "run=" not in owner.url  # no link controls a run

        owner.locator(SHARE).click()
        codes = owner.locator('[data-testid="stCode"]')
        codes.filter(has_text="?view=").first.wait_for(timeout=30_000)
        viewer_link = codes.filter(has_text="?view=").first.inner_text().strip()
        assert codes.count() == 1  # the viewer link only
        owner.keyboard.press("Escape")

        viewer.goto(viewer_link, wait_until="domcontentloaded")
        viewer.get_by_text("Viewing a shared run: read-only").first.wait_for(timeout=60_000)
        # The live grid arrives and moves on, as on the owner's page.
        viewer.get_by_text(re.compile(r"^Epoch \d+$")).first.wait_for(timeout=150_000)
        assert viewer.locator('[data-testid="stImage"]').count() >= 1
        viewer.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
        for label in CONTROLS:
            assert viewer.get_by_role("button", name=label).count() == 0, label
        assert viewer.locator(SHARE).count() == 0
        assert viewer.locator('[data-testid="stSlider"]').count() <= 1  # at most the epoch scrubber
        assert viewer.locator('[data-testid="stSidebar"] [data-testid="stSlider"]').count() == 0
        screenshot(viewer, "train_page_viewer.png")

        # The owner's page still controls the run, and the viewer sees what it did.
        owner.get_by_role("button", name="Pause").click()
        owner.get_by_text(re.compile(r"^Paused · ")).first.wait_for(timeout=30_000)
        viewer.get_by_text(re.compile(r"^Paused · ")).first.wait_for(timeout=30_000)
        owner.get_by_role("button", name="Stop").click()
        owner.get_by_text(re.compile(r"^Stopped · ")).first.wait_for(timeout=30_000)
        for page in (owner, viewer):
            assert page.locator('[data-testid="stException"]').count() == 0
