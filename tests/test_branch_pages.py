"""Branching from the pages in AppTest: the Train page's "Branch from epoch N", the Runs page's
Branch form and lineage, and Compare's branch beside its parent's continuation."""

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from gan_core.config.presets import preset
from gan_core.data import ImageSet
from gan_core.jobs.seats import new_seat_token, seat_id
from gan_core.jobs.server import shared_pool
from gan_core.store.lineage import read_lineage
from gan_core.store.run_owner import read_owner, write_owner

from support import wait_until

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

PAGES = Path(__file__).resolve().parents[1] / "app_pages"


def parent_cfg():
    return preset("fast-demo").with_overrides(
        [
            "data.source=uploaded",
            "run.epochs=2",
            "run.max_seconds=0",
            "run.grid_size=2",
            "run.quality_every_epoch=false",
            "run.batch_size=64",
        ]
    )


@pytest.fixture(scope="module")
def seat():
    return new_seat_token()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, small_digits, seat):
    """A runs folder with one finished run (2 epochs of 16 steps) of this seat, trained by the
    server's pool as the Start button does."""
    from gan_core.run.trainer import Trainer

    root = tmp_path_factory.mktemp("runs")
    parent = root / "parent-run"
    trainer = Trainer(parent_cfg(), run_dir=parent, data=ImageSet(small_digits.images[:512], None, "upload"))
    trainer.start()
    trainer.join(600)
    assert trainer.snapshot().state == "finished", trainer.snapshot().message
    write_owner(parent, seat_id(seat))
    return root


def page(name, seat, runs_dir, monkeypatch, **state):
    monkeypatch.setenv("GAN_LAB_RUNS", str(runs_dir))
    at = AppTest.from_file(str(PAGES / name), default_timeout=120)
    at.session_state["seat_token"] = seat
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def branches(runs_dir):
    return sorted(p for p in Path(runs_dir).iterdir() if (p / "lineage.json").exists())


def wait_ended(job_id, timeout=300):
    job = shared_pool().get(job_id)
    wait_until(lambda: not job.is_active(), timeout=timeout, what=f"job {job_id}'s end")
    return job


def test_the_runs_page_branches_a_run_with_a_form_and_shows_the_lineage(runs, seat, monkeypatch):
    at = page("runs.py", seat, runs, monkeypatch)
    at.button(key="branch-parent-run").click().run()
    assert at.selectbox(key="branch_epoch:runs").options == ["1", "2"]
    assert at.selectbox(key="branch_epoch:runs").value == 2  # the newest saved epoch

    # A setting that rebuilds the networks: one line, and no folder made.
    at.text_area(key="branch_lines:runs").input("model.base_filters=32")
    at.button(key="branch_start:runs").click().run()
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "model.base_filters cannot change at a branch" in errors[0], errors
    assert branches(runs) == []

    at.selectbox(key="branch_epoch:runs").select(1)
    at.text_area(key="branch_lines:runs").input("hacks.flip_probability=0.2\nmodel.dropout=0.5")
    at.number_input(key="branch_seconds:runs").set_value(5)
    at.button(key="branch_start:runs").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    (made,) = branches(runs)
    lineage = read_lineage(made)
    assert (lineage.parent, lineage.epoch, lineage.step) == ("parent-run", 1, 16)
    assert read_owner(made) == seat_id(seat)  # the branch is a run of whoever branched it
    cfg = json.loads((made / "config.json").read_text())
    assert cfg["hacks"]["flip_probability"] == 0.2 and cfg["model"]["dropout"] == 0.5
    assert cfg["run"]["max_seconds"] == pytest.approx(lineage.elapsed + 5)
    job = wait_ended(at.session_state["trainer_id"])
    assert job.snapshot().state == "finished", job.snapshot().message
    assert job.snapshot().branch == {"parent": "parent-run", "epoch": 1, "step": 16}

    at = page("runs.py", seat, runs, monkeypatch)
    captions = [c.value for c in at.caption]
    # The settings the student changed, not the budget's seconds (counted from step 0).
    lineage = "branch of parent-run at epoch 1 (changed: `model.dropout` 0.5, `hacks.flip_probability` 0.2)"
    assert lineage in captions, [c for c in captions if "branch of" in c]
    assert any(c == f"branches: {made.name}" for c in captions), captions
    assert at.button(key=f"compare-parent-{made.name}").label == "Compare with its parent"


def test_the_train_page_branches_from_the_epoch_its_scrubber_shows(runs, seat, monkeypatch, small_digits):
    monkeypatch.setenv("GAN_LAB_RUNS", str(runs))
    own = runs / "own-run"
    own.mkdir()
    write_owner(own, seat_id(seat))  # as the Start button does, before the training starts
    upload = ImageSet(small_digits.images[:512], None, "upload")
    job_id = shared_pool().start_training(parent_cfg(), run_dir=own, data=upload, owner=seat_id(seat))
    wait_ended(job_id)
    before = set(branches(runs))

    at = page("train.py", seat, runs, monkeypatch)
    assert at.slider(key="epoch_view").value == 2
    at.slider(key="epoch_view").set_value(1).run()
    assert at.button(key="branch_open_train").label == "Branch from epoch 1"
    at.button(key="branch_open_train").click().run()
    assert at.selectbox(key="branch_epoch:train").value == 1
    at.text_area(key="branch_lines:train").input("hacks.flip_probability=0.25")
    at.number_input(key="branch_seconds:train").set_value(5)
    at.button(key="branch_start:train").click().run()
    assert not at.exception, [e.message for e in at.exception]
    (made,) = set(branches(runs)) - before
    assert read_lineage(made).parent == "own-run" and read_lineage(made).epoch == 1
    new_id = at.session_state["trainer_id"]
    assert new_id != job_id  # the page now shows the branch
    assert at.session_state["ctl:hacks.flip_probability"] == pytest.approx(0.25)  # the sidebar follows it
    job = wait_ended(new_id)
    snap = job.snapshot()
    assert snap.state == "finished" and snap.series["g_loss"][:16] == pytest.approx(
        [json.loads(r)["g_loss"] for r in (own / "metrics.jsonl").read_text().splitlines()[:16]]
    )


def test_compare_trains_a_branch_beside_its_parents_continuation(runs, seat, monkeypatch):
    from gan_core.compare.setup import branch_preload
    from gan_core.store.branch import branch_point, make_branch, start_config

    point = branch_point(runs / "parent-run", 1)
    made = make_branch(point, start_config(point).with_value("hacks.flip_probability", 0.2), runs / "kid").path
    write_owner(made, seat_id(seat))
    at = page(
        "compare.py",
        seat,
        runs,
        monkeypatch,
        compare_preload=branch_preload(made.name, read_lineage(made)),
        compare_seconds=5,
    )
    assert any("beside its parent" in i.value for i in at.info), [i.value for i in at.info]
    shown = " ".join(m.value for m in at.markdown)
    assert "`hacks.flip_probability` 0.05 → 0.2" in shown, shown
    # No exercise link: a link would open A and B from fresh weights, another comparison.
    assert not [c.value for c in at.code if "?" in c.value]
    assert any("has no exercise link" in c.value for c in at.caption)

    # Careful mode trains three seeds from fresh weights; a saved epoch's weights are one seed's.
    assert at.toggle(key="compare_careful").disabled

    at.radio(key="compare_expect_0").set_value("B better").run()  # Start waits for a prediction
    at.button(key="compare_start").click().run()
    assert not at.exception, [e.message for e in at.exception]
    job = shared_pool().get(at.session_state["compare_job"])
    assert job.start_point.step == read_lineage(made).step
    wait_until(lambda: not job.is_active(), timeout=300, what="the comparison's end")
    snap_a, snap_b, status = job.snapshot()
    assert status.state == "finished", status.message
    assert "after epoch" in status.message
    first = read_lineage(made).step
    assert np.allclose(snap_a.series["g_loss"][:first], snap_b.series["g_loss"][:first])
    assert snap_a.epochs[0].grid_png == snap_b.epochs[0].grid_png
