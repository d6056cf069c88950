"""The Lesson page in a real browser: the first step's exercise opens the Train page with its
setting marked, a run starts from it, and Next walks every step while the run trains, each
step's check read from that live run."""

import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import app_server, browser_page, screenshot
from gan_core.guide.lessons import list_lessons

pytestmark = pytest.mark.browser


def _lesson_page(page, url):
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Lesson", exact=True).click()
    page.get_by_role("heading", name="Lesson").first.wait_for(timeout=60_000)


def test_next_through_every_step_of_the_shipped_lesson_with_a_live_run(tmp_path):
    lessons, problems = list_lessons()
    assert not problems, problems
    lesson = lessons["gan-hacks"]
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_page() as page:
        page.goto(f"{url}/lesson", wait_until="domcontentloaded")
        page.get_by_text(f"Step 1 of {len(lesson.steps)}").wait_for(timeout=120_000)
        expect(page.get_by_text(lesson.steps[0].title)).to_be_visible()
        # Before any run, the check says what it will read and that there is nothing yet.
        expect(page.get_by_text(re.compile(r"Start the exercise to see it read"))).to_be_visible()

        page.get_by_role("button", name="Open the exercise on the Train page").click()
        start = page.get_by_role("button", name="Start training")
        start.wait_for(timeout=90_000)
        marked = page.locator(".st-key-lesson_focus")
        expect(marked).to_be_visible(timeout=30_000)  # the step's setting, opened and marked
        expect(marked.get_by_text("The lesson's setting")).to_be_visible()
        start.click()
        page.get_by_text(re.compile(r"^Training · ")).first.wait_for(timeout=120_000)

        _lesson_page(page, url)
        for index, step in enumerate(lesson.steps):
            page.get_by_text(f"Step {index + 1} of {len(lesson.steps)}").wait_for(timeout=60_000)
            expect(page.get_by_role("heading", name=step.title)).to_be_visible()
            if step.check is not None:  # read from this browser's live run: "now <number>"
                # The first step's figure waits for the first epoch's quality; the others are there.
                check = page.get_by_text(re.compile(r"^Check \(.*, now -?[0-9]"))
                expect(check).to_be_visible(timeout=180_000 if index == 0 else 60_000)
            if step.question:
                page.get_by_text(step.choices[0], exact=True).first.click()
            next_button = page.get_by_role("button", name="Next")
            if index == len(lesson.steps) - 1:
                expect(next_button).to_be_disabled()
            else:
                next_button.click()
        screenshot(page, "lesson_last_step.png")
        page.get_by_role("button", name="Back").click()
        page.get_by_text(f"Step {len(lesson.steps) - 1} of {len(lesson.steps)}").wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
