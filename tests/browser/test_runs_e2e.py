"""The Runs page in a real browser: a finished run with its thumbnail, opened in the Latent
explorer and deleted after a confirm; the running run of this session has no Delete."""

import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import app_server, browser_page, screenshot
from gan_core.config.presets import preset
from gan_core.jobs.seats import new_seat_token, seat_id
from gan_core.run.trainer import Trainer
from gan_core.store.run_owner import write_owner
from ui.session import SEAT_COOKIE

pytestmark = pytest.mark.browser


def finished_run(folder, data):
    """A real, short training (one epoch of 20 steps) written into `folder`."""
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=1", "run.grid_size=4", "run.quality_every_epoch=false"]
    )
    trainer = Trainer(cfg, run_dir=folder, data=data)
    trainer.start()
    trainer.join(300)
    assert trainer.status().state == "finished", trainer.status().message


def go_to(page, title):
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)


def test_runs_page_lists_opens_and_deletes_a_finished_run_but_not_a_running_one(tmp_path, small_digits):
    runs = tmp_path / "runs"
    finished_run(runs / "finished-run", small_digits)
    token = new_seat_token()  # this browser's seat, whose run the finished one is
    write_owner(runs / "finished-run", seat_id(token))
    with app_server(runs) as url, browser_page() as page:
        page.context.add_cookies([{"name": SEAT_COOKIE, "value": token, "url": url}])
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("button", name="Start training").click()
        page.get_by_text(re.compile(r"^Training · ")).first.wait_for(timeout=120_000)

        go_to(page, "Runs")
        done = page.locator(".st-key-run-finished-run")
        done.wait_for(timeout=60_000)
        expect(done.get_by_text("Finished", exact=True)).to_be_visible()
        expect(done.locator('[data-testid="stImage"] img')).to_be_visible()  # the last grid's thumbnail
        expect(done.get_by_text(re.compile(r"fast-demo · mnist-5k · 20 steps"))).to_be_visible()
        running = page.locator('[class*="st-key-run-"]').filter(has_text="Running")
        expect(running).to_have_count(1, timeout=30_000)
        expect(running.get_by_text("Still training")).to_be_visible()
        expect(running.get_by_role("button", name="Delete")).to_have_count(0)
        screenshot(page, "runs_page.png")

        done.get_by_role("button", name="Open").click()
        page.get_by_role("heading", name="Latent explorer").first.wait_for(timeout=60_000)
        expect(page.get_by_role("combobox", name="Generator")).to_have_value("Run finished-run", timeout=60_000)

        go_to(page, "Runs")
        done = page.locator(".st-key-run-finished-run")
        done.get_by_role("button", name="Delete").click()
        expect(done.get_by_text("Delete finished-run and all its files?")).to_be_visible(timeout=30_000)
        assert (runs / "finished-run").is_dir()  # nothing is deleted before the confirm
        done.get_by_role("button", name="Yes, delete").click()
        page.get_by_text("Deleted run finished-run.").wait_for(timeout=30_000)
        expect(page.locator(".st-key-run-finished-run")).to_have_count(0)
        assert not (runs / "finished-run").exists()
        assert page.locator('[data-testid="stException"]').count() == 0
