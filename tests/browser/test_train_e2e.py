"""The Train page in a real browser: start, watch an epoch grid and curves, move a hack, pause, resume, stop."""

import re

import pytest

from devtools.app_harness import app_server, browser_page, screenshot

pytestmark = pytest.mark.browser


def slider_by_label(page, label):
    return page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")


def test_train_page_end_to_end(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page() as page:
        page.goto(url, wait_until="domcontentloaded")
        page.locator('[data-testid="stApp"]').wait_for(timeout=60_000)
        start = page.get_by_role("button", name="Start training")
        start.wait_for(timeout=60_000)
        start.click()

        # Within an epoch or two: an image captioned "Epoch 1" and the plotly charts.
        page.get_by_text(re.compile(r"^Epoch \d+$")).first.wait_for(timeout=150_000)
        page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=30_000)
        assert page.locator('[data-testid="stImage"]').count() >= 1

        # Move "Label flip probability" with the keyboard: 0.05 -> 0.10.
        flip = slider_by_label(page, "Label flip probability")
        flip.focus()
        for _ in range(5):
            flip.press("ArrowRight")
        # The marker appears on the loss chart at the step of the change.
        page.get_by_text(re.compile(r"flip 0\.05 → 0\.\d+")).first.wait_for(timeout=30_000)
        page.get_by_text(re.compile(r"^Epoch [2-9]\d*$")).first.wait_for(timeout=150_000)
        screenshot(page, "train_page_mid_run.png", docs_name="train_page.png")

        page.get_by_role("button", name="Pause").click()
        page.get_by_text(re.compile(r"^Paused · ")).first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Resume").click()
        page.get_by_text(re.compile(r"^Training · ")).first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Stop").click()
        page.get_by_text(re.compile(r"^Stopped · ")).first.wait_for(timeout=30_000)

        shot = screenshot(page, "train_page.png")
        assert shot.stat().st_size > 10_000
        assert page.locator('[data-testid="stException"]').count() == 0
