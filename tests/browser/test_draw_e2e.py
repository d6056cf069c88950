"""Draw your own 2-D data in a real browser: mouse events on the canvas place points, the
playground trains on them, the CSV downloads, and Undo and Clear take strokes away."""

import math
import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import app_server, browser_page, screenshot
from gan_core.toy import read_points_csv

pytestmark = pytest.mark.browser

BOARD_UNITS = 4.0  # the plane [-2, 2] across the canvas


def metric(page, label):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label).locator('[data-testid="stMetricValue"]')


def board_line(page):
    return page.get_by_text(re.compile(r"^[\d,]+ points in \d+ strokes?"))


def test_drawing_points_trains_on_them_and_undo_and_clear_take_them_away(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page(height=1700) as page:
        page.goto(f"{url}/playground", wait_until="domcontentloaded")
        page.get_by_role("button", name="Step both").wait_for(timeout=60_000)
        page.locator('[data-testid="stSelectbox"]').filter(has_text="Dataset").click()
        page.get_by_role("option", name="Draw your own").click()
        expect(board_line(page)).to_have_text("0 points in 0 strokes", timeout=60_000)
        expect(page.get_by_role("button", name="Step both")).to_have_count(0)  # nothing to train on yet

        canvas = page.locator("canvas.upper-canvas")  # Fabric.js takes the mouse on its upper canvas

        def at(x, y):
            """The viewport pixel of plane point (x, y) on the canvas now on the page."""
            canvas.wait_for(timeout=60_000)
            canvas.scroll_into_view_if_needed()
            box = canvas.bounding_box()
            per_unit = box["width"] / BOARD_UNITS
            return box["x"] + (x + 2) * per_unit, box["y"] + (2 - y) * per_unit

        for i in range(8):  # eight clicks on a circle: the ring benchmark, drawn by hand
            a = 2 * math.pi * i / 8
            page.mouse.click(*at(1.3 * math.cos(a), 1.3 * math.sin(a)))
            expect(board_line(page)).to_contain_text(f"in {i + 1} stroke", timeout=60_000)
        expect(board_line(page)).to_have_text("240 points in 8 strokes · 8 modes found", timeout=60_000)
        start, end = at(-1.5, -1.85), at(1.5, -1.85)  # and one drag: a line under the ring, 3 units long
        page.mouse.move(*start)
        page.mouse.down()
        page.mouse.move(*end, steps=30)
        page.mouse.up()
        expect(board_line(page)).to_contain_text("in 9 strokes", timeout=60_000)
        shown = board_line(page).inner_text()
        points, modes = (int(n.replace(",", "")) for n in re.findall(r"([\d,]+) (?:points|modes)", shown))
        assert abs(points - 240 - 3.0 / 0.04) <= 3  # the line places one point every 0.04 of its length
        assert modes > 9  # the ring's eight blobs, and the line cut into arcs

        # Training starts on the drawing at once: its modes are what the metrics count.
        expect(metric(page, "Modes covered")).to_have_text(re.compile(rf"^\d+/{modes}$"), timeout=60_000)
        expect(metric(page, "Generator steps")).to_have_text("0")
        page.get_by_role("button", name="Play", exact=True).click()
        expect(metric(page, "Generator steps")).not_to_have_text("0", timeout=180_000)
        page.wait_for_timeout(8000)  # a few bursts, for the picture
        for _ in range(5):  # a click can land while a burst reruns the page: press Pause until Play is back
            if page.get_by_role("button", name="Play", exact=True).count():
                break
            pause = page.get_by_role("button", name="Pause", exact=True)
            if pause.count():
                pause.click()
            page.wait_for_timeout(3000)
        page.get_by_role("button", name="Play", exact=True).wait_for(timeout=30_000)
        assert int(metric(page, "Generator steps").inner_text().replace(",", "")) > 0
        expect(metric(page, "Modes covered")).to_have_text(re.compile(rf"^\d+/{modes}$"))

        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").click()
        assert download.value.suggested_filename == "drawn_points.csv"
        assert len(read_points_csv(download.value.path().read_bytes()).points) == points

        page.mouse.move(5, 5)  # no tooltip in the picture
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        assert page.locator('[data-testid="stException"]').count() == 0
        screenshot(page, "playground_drawn.png")

        page.get_by_role("button", name="Undo last stroke").click()
        expect(board_line(page)).to_have_text("240 points in 8 strokes · 8 modes found", timeout=60_000)
        expect(metric(page, "Modes covered")).to_have_text(re.compile(r"^\d+/8$"), timeout=60_000)
        expect(metric(page, "Generator steps")).to_have_text("0")  # new points: a fresh training
        page.get_by_role("button", name="Clear drawing").click()
        expect(board_line(page)).to_have_text("0 points in 0 strokes", timeout=60_000)
        expect(metric(page, "Generator steps")).to_have_count(0)
        page.wait_for_load_state("networkidle")
        page.mouse.click(*at(0.0, 0.0))  # the fresh canvas still takes the mouse
        expect(board_line(page)).to_have_text("30 points in 1 stroke · 1 mode found", timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
