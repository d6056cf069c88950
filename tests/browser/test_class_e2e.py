"""A class in real browsers, each a context of its own (its own cookies): a student's run is
theirs, another student can neither stop nor delete it, the teacher can, the teacher's Class
page exists only in the teacher's browser, and Starts past the limit wait in line."""

import re

import pytest

from devtools.app_harness import app_server, browser_pages, screenshot

pytestmark = pytest.mark.browser
TEACHER_TOKEN = "class-test-teacher-token-0123456789"
RUNNING = re.compile(r"^(Starting|Training) · ")


def _start(page, url):
    page.goto(url, wait_until="domcontentloaded")
    start = page.get_by_role("button", name="Start training")
    start.wait_for(timeout=90_000)
    start.click()


def _runs_page(page, url):
    page.goto(f"{url}/runs", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Runs").wait_for(timeout=60_000)


def test_a_student_cannot_stop_or_delete_another_students_run_and_the_teacher_can(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    env = {"GAN_LAB_TEACHER_TOKEN": TEACHER_TOKEN, "GAN_LAB_MAX_TRAININGS": "2"}
    with app_server(runs, extra_env=env) as url, browser_pages(3) as (alice, bob, teacher):
        _start(alice, url)
        alice.get_by_text(RUNNING).first.wait_for(timeout=90_000)
        assert "run=" not in alice.url and "view=" not in alice.url  # nothing in the address bar controls it

        # A refresh of Alice's browser finds her run again, with its controls (her seat cookie).
        alice.reload(wait_until="domcontentloaded")
        alice.get_by_role("button", name="Stop").wait_for(timeout=60_000)
        assert alice.get_by_role("button", name="Stop").is_enabled()

        # Bob: no Class page, Alice's run not among his runs, no Delete anywhere, his Train page his own.
        _runs_page(bob, url)
        bob.get_by_text("No runs yet").first.wait_for(timeout=30_000)
        assert bob.get_by_role("button", name="Delete").count() == 0
        assert bob.get_by_role("link", name="Class").count() == 0
        bob.goto(f"{url}/class_room", wait_until="domcontentloaded")
        bob.get_by_role("button", name="Start training").wait_for(timeout=60_000)  # the default page, not Class
        assert bob.get_by_role("button", name="Stop").is_disabled()

        # The teacher: the link gives the Class page and leaves the address bar at once.
        teacher.goto(f"{url}/?teacher={TEACHER_TOKEN}", wait_until="domcontentloaded")
        teacher.get_by_role("link", name="Class").wait_for(timeout=60_000)
        teacher.wait_for_function("() => !location.search.includes('teacher')", timeout=30_000)
        teacher.get_by_role("link", name="Class").click()
        teacher.get_by_role("heading", name="Class").wait_for(timeout=60_000)
        teacher.get_by_text(re.compile(r"running · step")).first.wait_for(timeout=90_000)
        screenshot(teacher, "class_page.png")
        teacher.get_by_role("button", name="Stop").first.click()
        alice.get_by_text(re.compile(r"^Stopped · ")).first.wait_for(timeout=60_000)
        teacher.get_by_role("button", name="Delete").first.wait_for(timeout=30_000)
        teacher.get_by_role("button", name="Delete").first.click()
        teacher.get_by_text(re.compile(r"^Deleted run ")).first.wait_for(timeout=30_000)
        assert not [p for p in runs.iterdir() if not p.name.startswith(".")]
        for page in (alice, bob, teacher):
            assert page.locator('[data-testid="stException"]').count() == 0


def test_a_start_past_the_limit_waits_in_line_and_starts_when_the_slot_frees(tmp_path):
    runs = tmp_path / "runs"
    runs.mkdir()
    with app_server(runs, extra_env={"GAN_LAB_MAX_TRAININGS": "1"}) as url, browser_pages(2) as (first, second):
        _start(first, url)
        first.get_by_text(RUNNING).first.wait_for(timeout=90_000)
        second.goto(url, wait_until="domcontentloaded")
        second.get_by_text(re.compile(r"All 1 training slot are taken")).first.wait_for(timeout=60_000)
        second.get_by_role("button", name="Start training").click()
        second.get_by_text(re.compile(r"^Waiting in line · ")).first.wait_for(timeout=60_000)
        second.get_by_text(re.compile(r"1st in line")).first.wait_for(timeout=30_000)
        screenshot(second, "queued_run.png")
        first.get_by_role("button", name="Stop").click()
        second.get_by_text(RUNNING).first.wait_for(timeout=120_000)  # it started by itself
        second.get_by_role("button", name="Stop").click()
        for page in (first, second):
            assert page.locator('[data-testid="stException"]').count() == 0
