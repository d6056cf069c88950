"""The trainer pool on Ray, end to end on a real local Ray instance (two CPUs, a small object
store): a training runs in an actor, the app follows it, changes it live, pauses and stops
it, and finds its run folder complete; a full cluster and bad addresses get one line."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gan_core.config.presets import preset
from gan_core.config.tree import ConfigError
from gan_core.jobs.job import PoolBusy
from gan_core.run.snapshot import HackChange
from gan_core.run.trainer import Trainer

from support import wait_for_snapshot

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def ray_pool():
    import ray

    from gan_core.jobs.ray_backend import ray_pool as make_pool

    pool = make_pool("local", num_cpus=2, object_store_memory=100 * 2**20, include_dashboard=False)
    yield pool
    pool.stop_all()
    ray.shutdown()


def wait_for(job, predicate, what, timeout=150):
    return wait_for_snapshot(job, predicate, timeout, what)


def test_a_training_on_ray_is_followed_changed_paused_and_stopped(ray_pool, small_digits, tmp_path):
    import ray

    from gan_core.jobs.ray_cluster import ClusterAdmission

    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=500", "run.grid_size=4"])
    run_dir = tmp_path / "run"
    job_id = ray_pool.start_training(cfg, run_dir=run_dir, data=small_digits)
    job = ray_pool.get(job_id)
    assert job.is_active()

    snap = wait_for(job, lambda s: s.step >= 5, "the first steps")
    assert snap.state == "running" and len(snap.series["g_loss"]) >= 5

    # The cluster (2 CPUs) cannot hold a second training that asks for 2 CPUs beside this one.
    admission, ray_pool.admission = ray_pool.admission, ClusterAdmission(cpus=2, gpus=0)
    try:
        busy = ray_pool.busy_message()
        assert busy and "1 training running, 0 queued" in busy and "2 CPUs" in busy
        with pytest.raises(PoolBusy):
            ray_pool.start_training(cfg, run_dir=tmp_path / "other", data=small_digits)
        assert not (tmp_path / "other").exists()
    finally:
        ray_pool.admission = admission

    with pytest.raises(ConfigError):
        job.set_hack("hacks.flip_probability", 2.0)  # refused here, before the actor sees it
    job.set_hack("hacks.flip_probability", 0.3)
    snap = wait_for(job, lambda s: s.changes, "the hack change marker")
    change = snap.changes[-1]
    assert isinstance(change, HackChange) and change.key == "hacks.flip_probability" and change.new == 0.3
    assert snap.hacks["hacks.flip_probability"] == 0.3

    job.pause()
    paused = wait_for(job, lambda s: s.state == "paused", "the pause")
    time.sleep(1.0)
    assert job.snapshot().step == paused.step  # no step while paused

    assert job.stop(timeout=30)
    final = job.snapshot()
    assert final.state == "stopped" and not job.is_active()
    assert len(final.series["g_loss"]) == final.step  # every step's row reached the app

    # The run folder the actor wrote: config, generator, a checkpoint at the last step, one
    # metrics row per step, the change in changes.jsonl.
    names = {p.name for p in run_dir.iterdir()}
    assert {"config.json", "metrics.jsonl", "generator.keras", "checkpoints", "changes.jsonl"} <= names
    assert f"{final.step:08d}" in {p.name for p in (run_dir / "checkpoints").iterdir()}
    rows = [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == list(range(1, final.step + 1))
    assert "flip_probability" in (run_dir / "changes.jsonl").read_text()

    # The ended training's actor is gone, so its CPU is the cluster's again.
    end = time.time() + 30
    while ray.available_resources().get("CPU", 0) < 2 and time.time() < end:
        time.sleep(0.2)
    assert ray.available_resources().get("CPU", 0) == 2
    assert ray_pool.busy_message() is None


def test_a_training_larger_than_the_cluster_is_refused_with_one_line(ray_pool, small_digits, tmp_path):
    from gan_core.jobs.pool import TrainerPool
    from gan_core.jobs.ray_cluster import ClusterAdmission

    made = []
    pool = TrainerPool(make_trainer=lambda *a, **k: made.append(1), admission=ClusterAdmission(cpus=3, gpus=0))
    with pytest.raises(PoolBusy) as e:
        pool.start_training(preset("fast-demo"), run_dir=tmp_path / "run", data=small_digits)
    assert "The Ray cluster is full: 0 trainings running, 0 queued (2 CPUs" in str(e.value)
    assert "\n" not in str(e.value) and not made

    # What runs on this machine (a comparison, a playground burst) still takes this machine's slots.
    with pool.slot():
        pass
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=0"])
    local = pool.get(pool.start(lambda: Trainer(cfg, data=small_digits)))
    assert local.stop(timeout=60)


def _cli(tmp_path, env_extra, *args):
    env = dict(os.environ, GAN_LAB_RUNS=str(tmp_path / "runs"), **env_extra)
    env.pop("RAY_ADDRESS", None)
    return subprocess.run(
        [sys.executable, "-m", "gan_core", "train", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )


def test_cli_trains_on_a_local_ray(tmp_path):
    out = tmp_path / "run"
    env = {"GAN_LAB_RAY_CPUS": "1"}
    r = _cli(
        tmp_path, env, "--backend", "ray", "--preset", "fast-demo", "--max-seconds", "2",
        "--final-samples", "0", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Finished:" in r.stderr
    state = json.loads(next((out / "checkpoints").iterdir()).joinpath("state.json").read_text())
    assert state["step"] > 0 and (out / "generator.keras").exists()


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("nonsense", "error: GAN_LAB_RAY_ADDRESS must be 'auto', 'local', 'ray://host:port' or 'host:port'"),
        ("ray://127.0.0.1:1", "error: no Ray cluster answers at 'ray://127.0.0.1:1'"),
    ],
)
def test_a_bad_or_unreachable_ray_address_is_one_line(tmp_path, address, expected):
    r = _cli(tmp_path, {"GAN_LAB_RAY_ADDRESS": address}, "--preset", "fast-demo", "--epochs", "1")
    lines = [line for line in r.stderr.splitlines() if line.startswith("error")]
    assert r.returncode == 2 and lines == [lines[0]] and lines[0].startswith(expected), r.stderr[-1500:]
    assert not (tmp_path / "runs").exists()  # nothing was made


def test_the_train_page_shows_a_bad_ray_address_in_one_line(monkeypatch, open_page):
    import gan_core.jobs.server as pool_module

    monkeypatch.setenv("GAN_LAB_RAY_ADDRESS", "nonsense")
    monkeypatch.setattr(pool_module, "_SHARED", None)  # the server's pool is made on first use
    at = open_page(Path(__file__).parent.parent / "app_pages" / "train.py")
    assert [e.value for e in at.error] == [
        "GAN_LAB_RAY_ADDRESS must be 'auto', 'local', 'ray://host:port' or 'host:port', got 'nonsense'"
    ]
    assert pool_module._SHARED is None  # the next page run tries again
