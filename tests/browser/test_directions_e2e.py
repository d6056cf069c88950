"""Discovered directions on the shipped pretrained generator, in a real browser: a slider moves
the cell, a name typed by one student is seen by another in their own browser context."""

import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import ARTIFACTS, app_server, browser_pages

pytestmark = pytest.mark.browser

HOSTILE = "![x](http://127.0.0.1:9/x.png) :red[boo]"


def open_directions(page, url):
    """Open the Latent explorer (the pretrained generator is its first choice) and wait for
    the Discovered directions' first slider."""
    page.goto(url, wait_until="domcontentloaded")
    page.locator('[data-testid="stApp"]').wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Latent explorer", exact=True).click()
    page.get_by_role("heading", name="Discovered directions").wait_for(timeout=120_000)
    slider(page, 1).wait_for(timeout=120_000)


def slider(page, number: int):
    """Direction `number`'s slider, whatever its label (a name or "Direction k (...)")."""
    return page.locator('[data-testid="stSlider"]').filter(has_text=re.compile(rf"[Dd]irection {number}\b"))


def result(page):
    return page.locator('[data-testid="stImage"]').filter(has_text=re.compile(r"^Cell 1: as sampled"))


def name_box(page, number: int):
    return page.get_by_role("textbox", name=f"Name direction {number}")


def shown_as_typed(element):
    """The hostile name reads as typed (invisible word joiners aside): no picture, link or colour."""
    assert element.inner_text().replace("\u2060", "").startswith(HOSTILE + " (direction 2, ")
    assert element.locator("img, a, span[style*=color]").count() == 0


def settle(page):
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")


def test_directions_move_the_cell_and_a_name_reaches_a_second_browser(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_pages(2) as (first, second):
        open_directions(first, url)
        expect(slider(first, 1)).to_contain_text(re.compile(r"Direction 1 \(\d+\.\d% of variance\)"))
        assert first.locator('[data-testid="stSlider"]').filter(has_text=re.compile(r"^Direction \d")).count() == 6
        expect(result(first)).to_contain_text("(all sliders at 0)")
        before = result(first).locator("img").get_attribute("src")

        handle = slider(first, 1).get_by_role("slider")
        handle.focus()
        for _ in range(8):  # +2 standard deviations
            handle.press("ArrowRight")
        expect(result(first)).not_to_contain_text("(all sliders at 0)", timeout=30_000)
        expect(result(first).locator("img")).not_to_have_attribute("src", before, timeout=30_000)
        expect(slider(first, 1)).to_contain_text("+2.00 σ")

        name_box(first, 1).fill("slant")
        name_box(first, 1).press("Enter")
        expect(slider(first, 1)).to_contain_text("slant (direction 1, ", timeout=30_000)
        name_box(first, 2).fill(HOSTILE)
        name_box(first, 2).press("Enter")
        expect(slider(first, 2)).to_contain_text("(direction 2, ", timeout=30_000)
        shown_as_typed(slider(first, 2))
        settle(first)
        first.mouse.move(5, 5)
        section = first.get_by_role("heading", name="Discovered directions")
        section.scroll_into_view_if_needed()
        first.evaluate("(dy) => window.scrollBy(0, dy)", section.bounding_box()["y"] - 10)
        ARTIFACTS.mkdir(exist_ok=True)
        first.screenshot(path=str(ARTIFACTS / "discovered_directions.png"))
        assert first.locator('[data-testid="stException"]').count() == 0

        open_directions(second, url)  # another student, another browser context
        expect(slider(second, 1)).to_contain_text("slant (direction 1, ")
        expect(name_box(second, 1)).to_have_value("slant")
        shown_as_typed(slider(second, 2))
        expect(slider(second, 1)).to_contain_text("+0.00 σ")  # the names are shared, the sliders are not
        assert second.locator('[data-testid="stException"]').count() == 0
