"""The first grid comes early: drawn from the fixed latent points during the first epoch,
shown before that epoch ends, while the history keeps one grid per epoch."""

import time

import pytest

from gan_core.config.presets import preset
from gan_core.run import epoch_end
from gan_core.run.trainer import Trainer

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def test_a_grid_is_on_the_board_before_the_first_epoch_ends_and_the_history_keeps_one_per_epoch(
    tmp_path, digits, monkeypatch
):
    # At the first flush after the trace, so even a fast machine is still inside epoch 1 (156 steps).
    monkeypatch.setattr(epoch_end, "EARLY_GRID_SECONDS", 0.0)
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=2", "run.grid_size=4", "run.quality_every_epoch=false"]
    )
    t = Trainer(cfg, run_dir=tmp_path / "run", data=digits)
    t.start()
    early = None
    deadline = time.time() + 300
    while early is None and t.is_active() and time.time() < deadline:
        snap = t.snapshot()
        if snap.preview is not None:
            early = snap
        time.sleep(0.02)
    t.join(300)
    assert early is not None, t.status().message
    assert early.epoch == 0 and not early.epochs  # no epoch had ended yet
    assert 0 < early.preview.step == early.preview_step < early.steps_per_epoch
    assert early.preview.grid_png.startswith(b"\x89PNG")
    done = t.snapshot()
    assert done.state == "finished", done.message
    assert [r.epoch for r in done.epochs] == [1, 2]
    assert sorted(p.name for p in (tmp_path / "run").glob("grid_epoch_*.png")) == [
        "grid_epoch_0001.png",
        "grid_epoch_0002.png",
    ]


def test_the_quality_judge_loaded_on_its_helper_thread_rates_the_first_epoch(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=1", "run.grid_size=4"])
    t = Trainer(cfg, data=small_digits)
    t.start()
    t.join(300)
    snap = t.snapshot()
    assert snap.state == "finished", snap.message
    assert snap.epochs[0].quality and snap.epochs[0].quality["recognized_share"] is not None


def test_the_first_grid_timer_prints_one_json_line_with_every_phase():
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "gan_core.cli.first_grid", "--preset", "fast-demo"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-500:]
    [line] = [x for x in done.stdout.splitlines() if x.strip()]
    out = json.loads(line)
    phases = ("import_s", "data_s", "build_s", "judge_s", "trace_s", "first_epoch_s", "grid_s", "quality_s")
    assert all(out[name] >= 0 for name in phases)
    if "early_grid_step" in out:  # a machine fast enough to end epoch 1 within half a second of training has none
        assert 0 < out["early_grid_step"] < out["steps_per_epoch"]
    assert out["early_grid_s"] <= out["epoch_grid_s"] and out["total_s"] > 0
