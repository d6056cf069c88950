"""The runs folder as the Runs page lists it: facts, order, statuses, damaged folders, and deleting."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from gan_core.compare.setup import build_pair
from gan_core.config.presets import preset
from gan_core.jobs.pool import TrainerPool
from gan_core.jobs.run_list import DeleteRefused, delete_run, list_runs, summarize
from gan_core.run.snapshot import Status
from gan_core.run.trainer import Trainer
from gan_core.store import run_status

from support import small_config, wait_until


def small_cfg(epochs=1):
    return small_config("run.grid_size=4", epochs=epochs)


def fake_run(root, name, cfg=None, created=None, epochs=(), status=None):
    """A run folder as the trainer writes it, from its real file formats (no training)."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "config.json").write_text((cfg or preset("dcgan-hacks")).to_json())
    if epochs:
        (folder / "epochs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in epochs))
    if status is not None:
        (folder / run_status.STATUS_FILE).write_text(json.dumps(status))
    if created is not None:
        os.utime(folder / "config.json", (created, created))
    return folder


def judged(share):
    return {"meter": "judge", "judge": "mnist", "recognized_share": share, "classes_present": 10, "classes_total": 10}


def dead_pid():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_finished_training_is_listed_with_its_preset_steps_grid_and_status(tmp_path, small_digits):
    runs = tmp_path / "runs"
    t = Trainer(small_cfg(), run_dir=runs / "one", data=small_digits)
    t.start()
    t.join(180)
    assert t.status().state == "finished", t.status().message
    [row] = list_runs(runs)
    assert row.run_id == "one" and row.status == "finished"
    assert row.preset == "fast-demo" and row.data == "mnist-5k"
    assert row.steps == t.status().step > 0
    assert row.grid is not None and row.grid.name == "grid_epoch_0001.png"
    assert row.has_generator and not row.active


def test_runs_are_newest_first_with_their_best_quality_and_custom_configs(tmp_path):
    now = time.time()
    fake_run(tmp_path, "old", created=now - 3600, epochs=[{"epoch": 1, "quality": judged(0.4)}])
    fake_run(
        tmp_path,
        "new",
        cfg=preset("dcgan-hacks").with_value("hacks.flip_probability", 0.2),
        created=now,
        epochs=[
            {"epoch": 1, "quality": judged(0.3)},
            {"epoch": 2, "quality": judged(0.9)},
            {"epoch": 3, "quality": judged(0.7)},
        ],
    )
    fake_run(tmp_path, "middle", cfg=preset("no-hacks"), created=now - 60)
    rows = list_runs(tmp_path)
    assert [r.run_id for r in rows] == ["new", "middle", "old"]
    assert rows[0].best_quality == pytest.approx(0.9) and rows[0].quality_text.startswith("90% recognized")
    assert rows[0].preset == "custom"  # a setting no preset has
    assert rows[1].preset == "no-hacks" and rows[1].best_quality is None
    assert rows[2].preset == "dcgan-hacks"


def test_damaged_folders_are_listed_as_unreadable_in_one_line_and_hide_nothing(tmp_path):
    fake_run(tmp_path, "good")
    (tmp_path / "no-config").mkdir()
    broken = tmp_path / "broken-json"
    broken.mkdir()
    (broken / "config.json").write_text('{"model": {"base_filters": ')
    bad_value = fake_run(tmp_path, "bad-value")
    raw = json.loads((bad_value / "config.json").read_text())
    raw["run"]["batch_size"] = -5
    (bad_value / "config.json").write_text(json.dumps(raw))
    torn = fake_run(tmp_path, "torn-files", epochs=[{"epoch": 1, "quality": judged(0.5)}])
    with open(torn / "epochs.jsonl", "a") as fh:
        fh.write('{"epoch": 2, "qual')  # a crash mid-line
    (torn / run_status.STATUS_FILE).write_text("not json")
    (tmp_path / ".trash-gone-1234").mkdir()  # a delete cut short
    (tmp_path / "stray-file.txt").write_text("x")

    rows = {r.run_id: r for r in list_runs(tmp_path)}
    assert set(rows) == {"good", "no-config", "broken-json", "bad-value", "torn-files"}
    for name in ("no-config", "broken-json", "bad-value"):
        assert rows[name].status == "unreadable" and not rows[name].readable
        assert rows[name].problem and "\n" not in rows[name].problem
    assert rows["torn-files"].readable and rows["torn-files"].best_quality == pytest.approx(0.5)
    assert rows["torn-files"].status == "interrupted"  # no readable end record


def test_statuses_come_from_the_pool_the_end_record_or_the_process(tmp_path):
    fake_run(tmp_path, "paused-here")
    fake_run(tmp_path, "stopped", status={"state": "stopped", "message": "Stopped at step 9.", "step": 9})
    fake_run(tmp_path, "failed", status={"state": "failed", "message": "boom", "step": 3})
    fake_run(tmp_path, "killed", status={"state": "running", "pid": dead_pid(), "host": socket.gethostname()})
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        fake_run(tmp_path, "elsewhere", status={"state": "running", "pid": other.pid, "host": socket.gethostname()})
        live = {str((tmp_path / "paused-here").resolve()): Status(state="paused", step=7)}
        rows = {r.run_id: r for r in list_runs(tmp_path, live)}
        assert rows["paused-here"].status == "paused" and rows["paused-here"].active
        assert rows["paused-here"].steps == 7  # the trainer's own count, ahead of any checkpoint
        assert rows["stopped"].status == "stopped" and rows["stopped"].steps == 9
        assert rows["failed"].status == "failed"
        assert rows["killed"].status == "interrupted"
        assert rows["elsewhere"].status == "running"  # another process trains it: hands off
        with pytest.raises(DeleteRefused, match="still training"):
            delete_run(tmp_path, "elsewhere")
        with pytest.raises(DeleteRefused, match="still training"):
            delete_run(tmp_path, "paused-here", live)
        assert (tmp_path / "elsewhere" / "config.json").exists()
        assert (tmp_path / "paused-here" / "config.json").exists()
    finally:
        other.kill()
        other.wait()


@pytest.mark.parametrize("bad", ["..", ".", "../outside", "a/b", "", "/etc", ".hidden", "run\x00", "x" * 300])
def test_delete_refuses_anything_but_a_run_folder_name_in_one_line(tmp_path, bad):
    runs = tmp_path / "runs"
    fake_run(runs, "keep")
    outside = fake_run(tmp_path, "outside")
    with pytest.raises(DeleteRefused) as caught:
        delete_run(runs, bad)
    assert "\n" not in str(caught.value)
    assert (outside / "config.json").exists() and (runs / "keep" / "config.json").exists()


def test_delete_refuses_a_link_that_leads_out_of_the_runs_folder(tmp_path):
    runs = tmp_path / "runs"
    fake_run(runs, "keep")
    outside = fake_run(tmp_path, "outside")
    (runs / "sneaky").symlink_to(outside)
    with pytest.raises(DeleteRefused, match="not a run in the runs folder"):
        delete_run(runs, "sneaky")
    with pytest.raises(DeleteRefused, match="no run 'missing'"):
        delete_run(runs, "missing")
    assert (outside / "config.json").exists()


def test_delete_removes_the_run_and_a_half_deleted_one_is_never_listed(tmp_path):
    fake_run(tmp_path, "a")
    fake_run(tmp_path, "b")
    leftover = tmp_path / ".trash-old-0000"
    (leftover / "checkpoints").mkdir(parents=True)  # an earlier delete cut short after its rename
    assert [r.run_id for r in list_runs(tmp_path)] != [] and ".trash-old-0000" not in {
        r.run_id for r in list_runs(tmp_path)
    }
    delete_run(tmp_path, "a")
    assert not (tmp_path / "a").exists()
    assert [r.run_id for r in list_runs(tmp_path)] == ["b"]
    assert not leftover.exists()  # the next delete cleared it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_a_running_training_in_the_pool_cannot_be_deleted_and_its_row_says_so(tmp_path, small_digits):
    runs = tmp_path / "runs"
    pool = TrainerPool(max_active=1, idle_seconds=300)
    endless = small_cfg(epochs=0).with_value("run.max_seconds", 0)
    job_id = pool.start(lambda: Trainer(endless, run_dir=runs / "live", data=small_digits))
    try:
        wait_until(lambda: (runs / "live" / "config.json").exists(), timeout=60, what="the run's config.json")
        row = summarize(runs / "live", pool.run_states())
        assert row.active and row.status in ("starting", "running")
        with pytest.raises(DeleteRefused, match="still training"):
            delete_run(runs, "live", pool.run_states())
    finally:
        pool.stop_all()
        pool.get(job_id).join(60)
    assert (runs / "live" / "config.json").exists()
    assert summarize(runs / "live", pool.run_states()).status == "stopped"
    delete_run(runs, "live", pool.run_states())
    assert not (runs / "live").exists()


def test_compare_gets_the_two_runs_configs_through_its_own_allow_list(tmp_path):
    from gan_core.compare.setup import runs_preload

    cfg_a = preset("dcgan-hacks").with_value("hacks.flip_probability", 0.2)
    cfg_b = preset("dcgan-hacks").with_overrides(["model.base_filters=24", "hacks.real_label_range=0.8,1.0"])
    loaded = runs_preload("ra", cfg_a, "rb", cfg_b.with_value("data.source", "fashion-mnist"))
    a, b = build_pair("", loaded, 30.0, "", "")
    assert a.hacks.flip_probability == 0.2 and b.hacks.flip_probability == cfg_b.hacks.flip_probability
    assert b.model.base_filters == 24 and b.hacks.real_label_range == (0.8, 1.0)
    assert a.run.max_seconds == b.run.max_seconds == 30.0
    assert loaded["notes"] == ["Run rb trained on fashion-mnist; Compare trains both on mnist-5k."]
