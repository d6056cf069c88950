"""Branching in a real browser: a finished run branched from the Runs page's form, the branch
trained on the Train page with its marker on the curves, then branched again from the Train
page's epoch scrubber."""

import json
import re

import pytest
from playwright.sync_api import expect

from devtools.app_harness import app_server, browser_page, screenshot
from gan_core.config.presets import preset
from gan_core.data import ImageSet
from gan_core.run.trainer import Trainer
from gan_core.store.lineage import read_lineage

pytestmark = pytest.mark.browser


def finished_run(folder, data):
    """A real, short training (two epochs of 16 steps) on 512 uploaded digits, kept in the run."""
    cfg = preset("fast-demo").with_overrides(
        [
            "data.source=uploaded",
            "run.max_seconds=0",
            "run.epochs=2",
            "run.batch_size=64",
            "run.grid_size=4",
            "run.quality_every_epoch=false",
        ]
    )
    trainer = Trainer(cfg, run_dir=folder, data=ImageSet(data.images[:512], None, "upload"))
    trainer.start()
    trainer.join(300)
    assert trainer.status().state == "finished", trainer.status().message


def go_to(page, title):
    # The first script run imports Keras and TensorFlow: on a busy machine the menu takes a while.
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click(timeout=120_000)
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)


def fill_form(page, form, lines: str, seconds: int = 5):
    form.get_by_role("textbox", name="Settings to change").fill(lines)
    form.get_by_role("spinbutton", name="Seconds to train after the branch point").fill(str(seconds))
    form.get_by_role("button", name="Start the branch").click()


def branch_folders(runs):
    return {p.name: read_lineage(p) for p in runs.iterdir() if (p / "lineage.json").exists()}


def test_branch_from_the_runs_page_and_from_the_train_pages_scrubber(tmp_path, small_digits):
    runs = tmp_path / "runs"
    finished_run(runs / "parent-run", small_digits)
    with app_server(runs, extra_env={"GAN_LAB_PREWARM": "0"}) as url, browser_page() as page:
        page.goto(url, wait_until="domcontentloaded")
        go_to(page, "Runs")
        row = page.locator(".st-key-run-parent-run")
        row.get_by_role("button", name="Branch…").click()
        form = page.locator('[data-testid="stForm"]')
        expect(form.get_by_text("Branch of parent-run")).to_be_visible(timeout=30_000)
        form.get_by_role("combobox", name="From epoch").click()
        page.get_by_role("option", name="1", exact=True).click()

        # A setting that rebuilds the networks is refused in one line; nothing is made.
        fill_form(page, form, "model.base_filters=32")
        expect(page.get_by_text(re.compile(r"model\.base_filters cannot change at a branch"))).to_be_visible(
            timeout=30_000
        )
        assert branch_folders(runs) == {}
        fill_form(page, form, "hacks.flip_probability=0.2")

        # The branch is this browser's run now: the Train page shows it training, then finished.
        page.get_by_role("heading", name="Train a GAN").first.wait_for(timeout=60_000)
        page.get_by_text(re.compile(r"^Finished · ")).first.wait_for(timeout=240_000)
        (first,) = branch_folders(runs).items()
        assert (first[1].parent, first[1].epoch, first[1].step) == ("parent-run", 1, 16)
        assert json.loads((runs / first[0] / "config.json").read_text())["hacks"]["flip_probability"] == 0.2
        chart = page.locator(".st-key-loss_chart")
        expect(chart.get_by_text("branch of parent-run at epoch 1")).to_be_visible(timeout=60_000)
        expect(chart.get_by_text("flip 0.05 → 0.20")).to_be_visible()
        screenshot(page, "branch_train_page.png")

        # Scrub back to epoch 1 of the branch (the parent's, inherited) and branch from there.
        page.get_by_role("button", name=re.compile(r"^Branch from epoch \d+$")).wait_for(timeout=60_000)
        slider = page.get_by_role("slider", name="Epoch")
        slider.focus()
        slider.press("Home")
        page.get_by_role("button", name="Branch from epoch 1").click()
        form = page.locator('[data-testid="stForm"]')
        expect(form.get_by_text(f"Branch of {first[0]}")).to_be_visible(timeout=30_000)
        fill_form(page, form, "hacks.d_steps=2")
        page.get_by_text(re.compile(r"^(Waiting in line|Starting|Training) · ")).first.wait_for(timeout=60_000)
        page.get_by_text(re.compile(r"^Finished · ")).first.wait_for(timeout=240_000)
        second = {name: lin for name, lin in branch_folders(runs).items() if name != first[0]}
        ((name, lineage),) = second.items()
        assert (lineage.parent, lineage.epoch, lineage.changed) == (first[0], 1, {"hacks.d_steps": 2})
        screenshot(page, "branch_of_a_branch.png")

        go_to(page, "Runs")
        expect(page.locator(f".st-key-run-{first[0]}").get_by_text(f"branches: {name}")).to_be_visible(timeout=60_000)
        expect(page.locator(".st-key-run-parent-run").get_by_text(f"branches: {first[0]}")).to_be_visible()
        expect(
            page.locator(f".st-key-run-{name}").get_by_text(re.compile(rf"branch of {first[0]} at epoch 1"))
        ).to_be_visible()
        screenshot(page, "branch_runs_page.png")
        assert page.locator('[data-testid="stException"]').count() == 0
