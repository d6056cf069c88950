"""Every page in a real browser: open it from the menu, press its main button once, no exception."""

import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import app_server, browser_page, screenshot

pytestmark = pytest.mark.browser


def open_page(page, url, title):
    page.goto(url, wait_until="domcontentloaded")
    page.locator('[data-testid="stApp"]').wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.wait_for_load_state("networkidle")


def no_exception(page):
    assert page.locator('[data-testid="stException"]').count() == 0


def test_latent_explorer_works_before_any_training(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page() as page:
        open_page(page, url, "Latent explorer")
        page.locator('[data-testid="stImage"]').first.wait_for(timeout=90_000)
        assert page.locator('[data-testid="stImage"]').count() >= 2  # sample grid and a strip
        steps = page.locator('[data-testid="stSlider"]').filter(has_text="Steps").get_by_role("slider")
        steps.focus()
        steps.press("ArrowRight")
        steps.press("ArrowRight")
        page.wait_for_timeout(3000)
        page.locator('[data-testid="stImage"]').first.wait_for(timeout=30_000)
        no_exception(page)
        screenshot(page, "latent_explorer.png", docs_name="latent_explorer.png")


@pytest.mark.parametrize(
    "title,button",
    [
        ("Hacks guide", None),
        ("2D playground", "Step both"),
        ("Compare", "Start comparison"),
    ],
)
def test_each_page_opens_and_its_main_button_works(tmp_path, title, button):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page() as page:
        open_page(page, url, title)
        page.get_by_role("heading").first.wait_for(timeout=60_000)
        if title == "Hacks guide":
            # its main button is a card's "Try it": it opens Compare preloaded with that pair
            page.get_by_role("button", name=re.compile("Try it")).first.click()
            page.get_by_text("Loaded from the Hacks guide").first.wait_for(timeout=60_000)
        elif title == "2D playground":
            steps = (
                page.locator('[data-testid="stMetric"]')
                .filter(has_text="Generator steps")
                .locator('[data-testid="stMetricValue"]')
            )
            expect(steps).to_have_text("0", timeout=60_000)
            page.get_by_role("button", name=button).first.click()
            expect(steps).to_have_text("1", timeout=60_000)  # one D round and one G update
            page.get_by_role("button", name="Play", exact=True).click()
            page.wait_for_timeout(6000)  # a few bursts, for the picture
            # A click can land while a burst reruns the page and be lost: press Pause until Play is back.
            for _ in range(10):  # a lost click costs one try; a loaded machine loses more
                if page.get_by_role("button", name="Play", exact=True).count():
                    break
                pause = page.get_by_role("button", name="Pause", exact=True)
                if pause.count():
                    pause.click()
                page.wait_for_timeout(3000)
            page.get_by_role("button", name="Play", exact=True).wait_for(timeout=60_000)
            page.mouse.move(5, 5)  # no tooltip in the picture
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(2000)  # the last redraw settles (no faded, stale elements)
            screenshot(page, "playground_playing.png", docs_name="playground.png")
        else:
            start = page.get_by_role("button", name=button).first
            expect(start).to_be_disabled()  # "What do you expect?" comes first
            page.get_by_text("About the same", exact=True).click()
            expect(start).to_be_enabled(timeout=30_000)
            start.click()
            # the progress line counts steps per arm once both arms train
            page.get_by_text(re.compile(r"Running · step [1-9][\d,]*")).first.wait_for(timeout=120_000)
        no_exception(page)
        screenshot(page, f"page_{title.lower().replace(' ', '_')}.png")
        if title == "Compare":
            page.get_by_role("button", name="Stop").first.click()


def test_a_page_address_opened_first_gets_the_apps_menu(tmp_path):
    """A bookmark or a refresh of /playground must show the app's own menu and layout."""
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page() as page:
        page.goto(f"{url}/playground", wait_until="domcontentloaded")
        page.get_by_role("button", name="Step both").wait_for(timeout=60_000)
        menu = page.locator('[data-testid="stSidebarNav"]')
        menu.get_by_text("2D playground", exact=True).wait_for(timeout=30_000)
        assert menu.get_by_text("Hacks guide", exact=True).count() == 1
        assert menu.get_by_text("app", exact=True).count() == 0
        no_exception(page)


def test_an_uploaded_csv_is_still_selected_after_visiting_another_page(tmp_path):
    """Streamlit drops a page's widgets when another page is shown; the upload must survive."""
    from pathlib import Path

    case = Path(__file__).resolve().parents[1] / "data" / "cases" / "points" / "semicolon_decimal_comma.csv"
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page() as page:
        open_page(page, url, "2D playground")
        page.get_by_role("button", name="Step both").wait_for(timeout=60_000)
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Dataset").click()
        page.get_by_role("option", name="Your own points (CSV)").click()
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(case))
        page.get_by_text("Upload a CSV of x,y points").wait_for(state="hidden", timeout=60_000)
        menu = page.locator('[data-testid="stSidebarNav"]')
        menu.get_by_text("Hacks guide", exact=True).click()
        page.get_by_role("button", name=re.compile("Try it")).first.wait_for(timeout=60_000)
        menu.get_by_text("2D playground", exact=True).click()
        page.get_by_text("Using semicolon_decimal_comma.csv (uploaded before)").wait_for(timeout=60_000)
        dataset = page.locator('[data-testid="stSelectbox"]').filter(has_text="Dataset")
        shown = dataset.inner_text() + " ".join(field.input_value() for field in dataset.locator("input").all())
        assert "Your own points (CSV)" in shown
        assert page.get_by_text("Upload a CSV of x,y points").count() == 0
        no_exception(page)
        screenshot(page, "playground_csv_after_page_switch.png")
