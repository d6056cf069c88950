"""Exercise links and predict-then-run in a real browser: a link's hidden control is absent and
its preset and value applied; the same link with a seed gives the same first epoch's grid in two
browsers (and another seed another grid); a guide card's Try it asks "What do you expect?"
before Start, keeps the answer, sets the verdict beside it with the card's why, and the teacher's
Class page counts the class's predictions and outcomes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import app_server, browser_pages, screenshot
from gan_core.config.presets import describe
from gan_core.guide import lookup as guide

pytestmark = pytest.mark.browser
EXAMPLE = "/?preset=no-hacks&set=hacks.flip_probability=0.2&hide=hacks.flip_probability"
TEACHER_TOKEN = "exercise-test-teacher-token-0123456789"


def no_exception(page):
    assert page.locator('[data-testid="stException"]').count() == 0


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def copied_link(page) -> str:
    """The link in the "Copy exercise link" popover."""
    page.get_by_role("button", name=re.compile("Copy exercise link")).click()
    code = page.locator('[data-testid="stPopoverBody"] code').filter(has_text="?")
    code.first.wait_for(timeout=30_000)
    return code.first.inner_text()


def test_an_exercise_link_hides_the_flip_control_and_applies_the_preset_and_value(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs) as url, browser_pages(1) as (page,):
        page.goto(url + EXAMPLE, wait_until="domcontentloaded")
        page.get_by_role("button", name="Start training").wait_for(timeout=90_000)
        page.get_by_text("Opened from an exercise link").wait_for(timeout=30_000)
        sidebar = sidebar_text(page)
        assert "Generator loss" in sidebar and describe("no-hacks") in sidebar  # the preset's own words
        assert "Label flip probability" not in sidebar
        link = copied_link(page)
        assert link.startswith(url + "/?preset=no-hacks&")
        assert "set=hacks.flip_probability=0.2" in link and "hide=hacks.flip_probability" in link
        no_exception(page)
        screenshot(page, "exercise_link_train.png")


def _first_grid(page, url: str, link: str) -> bytes:
    """Open `link`, start, and return the PNG bytes of the first epoch's grid as the page shows it."""
    page.goto(url + link, wait_until="domcontentloaded")
    page.get_by_role("button", name="Start training").click(timeout=90_000)
    picture = page.locator('[data-testid="stImage"]').filter(has_text=re.compile(r"^Epoch 1$")).locator("img")
    picture.first.wait_for(timeout=240_000)
    src = picture.first.get_attribute("src")
    response = page.request.get(src if src.startswith("http") else url + src)
    assert response.ok and response.headers["content-type"] == "image/png"
    return response.body()


def test_the_same_link_and_seed_gives_the_same_first_grid_in_two_browsers(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    # fast-demo's small networks (its decaying learning rate holds through the first epoch), one epoch.
    link = "/?preset=fast-demo&seed={}&set=run.epochs=1&set=run.quality_every_epoch=false&hide=all"
    env = {"GAN_LAB_MAX_TRAININGS": "3"}
    with app_server(runs, extra_env=env) as url, browser_pages(3) as (first, second, other):
        grids = [_first_grid(page, url, link.format(seed)) for page, seed in ((first, 11), (second, 11), (other, 12))]
        assert len(grids[0]) > 1000
        assert grids[0] == grids[1]  # two people, one link: the same first grid, byte for byte
        assert grids[0] != grids[2]  # another seed draws other weights and other latent points
        assert "Label flip probability" not in sidebar_text(first)  # hide=all
        for page in (first, second, other):
            no_exception(page)
        screenshot(first, "exercise_link_seeded_grid.png")


def test_predict_then_run_from_a_guide_card_and_the_class_sees_it(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    card = guide.card("non-saturating")
    env = {"GAN_LAB_TEACHER_TOKEN": TEACHER_TOKEN, "GAN_LAB_MAX_TRAININGS": "2"}
    with app_server(runs, extra_env=env) as url, browser_pages(2) as (student, teacher):
        student.goto(f"{url}/hacks_guide", wait_until="domcontentloaded")
        # Streamlit may draw a button with help twice while it settles (in and out of its tooltip).
        student.locator(f".st-key-try-{card.id}").get_by_role("button", name="Try it").first.click(timeout=90_000)
        student.get_by_text(f"Loaded from the Hacks guide: {card.title}").wait_for(timeout=60_000)
        # The question comes before Start, and Start waits for an answer.
        student.get_by_text("What do you expect?").first.wait_for(timeout=30_000)
        start = student.get_by_role("button", name="Start comparison")
        assert start.is_disabled()
        seconds = student.get_by_label("Seconds per arm", exact=True)
        seconds.fill("5")
        seconds.press("Enter")
        student.wait_for_timeout(1500)
        student.get_by_text("B better", exact=True).click()
        student.get_by_text("Which curve do you expect to move? (optional)").wait_for()
        expect(start).to_be_enabled(timeout=30_000)
        screenshot(student, "predict_question.png")
        start.click()
        student.get_by_text("You expected: B better.").wait_for(timeout=60_000)  # kept while it trains
        verdict = student.get_by_text(re.compile(r"^Verdict: A: "))
        verdict.first.wait_for(timeout=300_000)  # the live view's copy may linger while the page reruns
        kept = student.locator(".st-key-compare_prediction")
        kept.get_by_text("You expected: B better.").wait_for(timeout=30_000)
        expect(verdict).to_have_count(1, timeout=30_000)
        expect(kept).to_have_count(1, timeout=30_000)
        said = kept.inner_text()
        assert re.search(r"It came out: (A better|B better|About the same|no call)", said), said
        assert re.search(r"The curve that moved most: |No curve moved clearly", said), said
        assert card.why[:60] in said
        screenshot(student, "predict_verdict.png")

        teacher.goto(f"{url}/?teacher={TEACHER_TOKEN}", wait_until="domcontentloaded")
        teacher.get_by_role("link", name="Class").click(timeout=60_000)
        teacher.get_by_role("heading", name="Predictions").wait_for(timeout=60_000)
        summary = teacher.locator(".st-key-class-predictions-" + _first_exercise(teacher))
        summary.get_by_text("Predicted: A better 0 · B better 1 · about the same 0").wait_for(timeout=30_000)
        summary.get_by_text(re.compile(r"^Came out \(1 finished\): ")).wait_for(timeout=30_000)
        assert card.title in summary.inner_text()
        screenshot(teacher, "class_predictions.png")
        for page in (student, teacher):
            no_exception(page)


def _first_exercise(page) -> str:
    """The exercise id of the Class page's first predictions box (its key holds it)."""
    box = page.locator("[class*='st-key-class-predictions-']").first
    box.wait_for(timeout=30_000)
    return re.search(r"st-key-class-predictions-([0-9a-f]{12})", box.get_attribute("class")).group(1)
