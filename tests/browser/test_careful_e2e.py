"""A careful comparison in a real browser: the toggle, six runs to the end, the verdict against
the seeds' spread and the bands on the charts."""

import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import app_server, browser_page, screenshot

pytestmark = pytest.mark.browser


def test_a_careful_comparison_runs_three_seeds_per_arm_and_draws_bands(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page(height=1400) as page:
        page.goto(url, wait_until="domcontentloaded")
        page.locator('[data-testid="stApp"]').wait_for(timeout=60_000)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("Compare", exact=True).click()
        page.get_by_role("button", name="Start comparison").wait_for(timeout=60_000)
        seconds = page.locator('[data-testid="stNumberInput"]').filter(has_text="Seconds per arm").locator("input")
        seconds.fill("5")
        seconds.press("Enter")
        page.get_by_text("Careful: 3 seeds per arm").click()
        page.get_by_text(re.compile(r"^6 runs, one step at a time")).wait_for(timeout=30_000)
        page.get_by_text("About the same", exact=True).click()  # Start waits for "What do you expect?"
        expect(page.get_by_role("button", name="Start comparison")).to_be_enabled(timeout=30_000)
        page.get_by_role("button", name="Start comparison").click()
        page.get_by_text(re.compile(r"6 runs: 3 seeds each for A and B")).first.wait_for(timeout=120_000)
        verdict = page.get_by_text(re.compile(r"^Verdict: A: .*3 seeds each\. A − B = "))
        verdict.wait_for(timeout=600_000)
        assert re.search(r"within noise|is ahead", verdict.inner_text())
        expect(page.get_by_text(re.compile(r"^Finished: [\d,]+ steps for each of A and B in 3 seeds"))).to_be_visible()
        charts = page.locator('[data-testid="stPlotlyChart"]')
        expect(charts).to_have_count(4, timeout=60_000)  # losses, accuracy, recognized share, Fréchet distance
        # Each band is a filled area between the lowest and the highest seed.
        expect(charts.first.locator("path.js-fill").first).to_be_attached(timeout=30_000)
        expect(page.get_by_text("Grids of seed")).to_be_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
        page.mouse.move(5, 5)
        page.wait_for_timeout(1500)
        screenshot(page, "compare_careful.png")
