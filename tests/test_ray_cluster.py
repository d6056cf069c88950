"""A class on a real two-node Ray cluster on this machine, started as docs/scaling.md says:
a token made by `ray get-auth-token --generate` and RAY_AUTH_MODE=token for every node and
the app, `ray start --head` (which trains nothing) and `ray start --address` for a worker
with a runs folder of its own. The app trains a run on the worker node, gets the whole run
folder back through Ray into its own runs folder (the same files a run in the app's process
writes, a generator the Latent explorer loads, checkpoints a resume continues from), and the
worker's copy is gone; a driver without the token is refused.

Every Ray process the test starts is stopped at the end, failed or not: each node's
`ray start --block` runs in a session of its own, is asked to stop with SIGTERM (it drains
and stops its raylet, GCS and workers), and anything of that session still there is killed.
A SIGTERM to pytest itself still runs that teardown, and should pytest die anyway, the
kernel sends each `ray start` (and the app's process) a SIGTERM (PR_SET_PDEATHSIG).
"""

import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from gan_core.config.presets import preset
from gan_core.store import checkpoint, run_status

pytestmark = pytest.mark.ray

REPO = Path(__file__).resolve().parent.parent
RAY = Path(sys.executable).with_name("ray")
OVERRIDES = ["run.max_seconds=0", "run.epochs=2", "run.grid_size=4"]
START_SECONDS = 180  # a node on two busy cores takes 20-60 s to come up
STOP_SECONDS = 60

# The app's side, in a process of its own as the app is: joins the cluster, trains one run
# through the server's pool, notes what its runs folder holds while the run trains, prints JSON.
APP = r"""
import json, os, sys, time
import numpy as np
import ray
from gan_core.config.paths import default_runs_dir
from gan_core.config.presets import preset
from gan_core.data import ImageSet, load_images
from gan_core.jobs.ray_backend import ray_pool
from gan_core.store.runs import new_run_id

pool = ray_pool(os.environ["GAN_LAB_RAY_ADDRESS"])
end = time.time() + 120
while sum(n["Alive"] for n in ray.nodes()) < 2 and time.time() < end:
    time.sleep(0.5)
digits = load_images("mnist-5k")
idx = np.concatenate([np.where(digits.labels == c)[0][:64] for c in range(10)])
data = ImageSet(digits.images[idx], digits.labels[idx], "mnist-5k")
run_dir = default_runs_dir() / new_run_id("fast-demo")
job = pool.get(pool.start_training(preset("fast-demo").with_overrides(sys.argv[1:]), run_dir=run_dir, data=data))
# Once the first epoch has ended (its generator.keras written on the worker), the run pauses
# until the live copy has brought that file over, or 60 s: on busy cores the second epoch can
# end within one live pass, and what is asserted is that a running training's files come over.
seen, states, copying_since, held = set(), [], None, None
while job.is_active():
    status = job.status()
    state = status.state
    states.append(state)
    if state in ("running", "paused"):
        seen |= {p.name for p in run_dir.iterdir()} if run_dir.is_dir() else set()
    if held is None and state == "running" and status.step >= 20:
        job.pause()
        held = time.monotonic()
    if held is not None and held > 0 and ("generator.keras" in seen or time.monotonic() - held > 60):
        job.resume()
        held = -1.0
    if state == "stopping" and copying_since is None:
        copying_since = time.monotonic()
    time.sleep(0.2)
copy_seconds = time.monotonic() - copying_since if copying_since else None
snap = job.snapshot()
where = job.placement
print(json.dumps({
    "state": snap.state, "message": snap.message, "step": snap.step, "warnings": snap.warnings,
    "run_dir": str(run_dir), "board_run_dir": snap.run_dir, "seen_while_running": sorted(seen),
    "states": sorted(set(states)), "copy_seconds": copy_seconds,
    "placement": {"node_id": where.node_id, "folder": where.folder, "copied": where.copied},
    "nodes": [{"id": n["NodeID"], "head": "node:__internal_head__" in n["Resources"],
               "cpus": n["Resources"].get("CPU", 0)} for n in ray.nodes() if n["Alive"]],
}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_pids(sid: int) -> list[int]:
    """The processes of session `sid` (a node's `ray start` and everything it started)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:  # stat's 6th field: the session id
                found.append(int(entry.name))
    return found


def _stop_with_parent() -> None:
    """In the child, before exec: SIGTERM it when the process that started it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG


class _Node:
    """One `ray start ... --block` in a session of its own, its output in `log`."""

    def __init__(self, args, env, log: Path):
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [str(RAY), "start", "--block", *args],
                env=env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_stop_with_parent,
            )

    def wait_started(self) -> None:
        end = time.time() + START_SECONDS
        while time.time() < end:
            if "Ray runtime started" in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        raise AssertionError(f"ray start did not come up:\n{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> list[int]:
        """SIGTERM (a drain, then Ray stops the node's processes), SIGKILL for what is left;
        returns the processes that had to be killed."""
        sid = self.process.pid  # the leader of its own session
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        end = time.time() + 15
        while _session_pids(sid) and time.time() < end:
            time.sleep(0.5)
        left = _session_pids(sid)
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(10)
        return left


@pytest.fixture(scope="module")
def cluster():
    """A head (no CPUs: it trains nothing) and one worker node with 1 CPU and its own runs
    folder, token authentication on; yields (address, environment for the app, folder)."""
    root = Path(tempfile.mkdtemp(prefix="rc", dir="/tmp"))  # Ray's socket paths must stay short
    # The recipe: a token in ~/.ray/auth_token (a home of the test's own), private, and
    # RAY_AUTH_MODE=token for every node and the app.
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAY_")}
    env.update(HOME=str(root / "home"), RAY_USAGE_STATS_ENABLED="0")
    subprocess.run([str(RAY), "get-auth-token", "--generate"], env=env, check=True, capture_output=True, timeout=120)
    token = root / "home" / ".ray" / "auth_token"
    token.chmod(0o600)
    assert len(token.read_text().strip()) >= 32
    env["RAY_AUTH_MODE"] = "token"
    port = _free_port()
    common = ["--object-store-memory=80000000", "--disable-usage-stats", f"--temp-dir={root / 'ray'}"]
    nodes = []

    def interrupted(signum, frame):
        raise KeyboardInterrupt("SIGTERM")  # pytest tears fixtures down on an interrupt

    before = signal.signal(signal.SIGTERM, interrupted)
    try:
        head = _Node(
            ["--head", f"--port={port}", f"--ray-client-server-port={_free_port()}", "--num-cpus=0",
             "--include-dashboard=false", f"--dashboard-agent-listen-port={_free_port()}", *common],
            dict(env, GAN_LAB_RUNS=str(root / "head_runs")), root / "head.log",
        )  # fmt: skip
        nodes.append(head)
        head.wait_started()
        worker = _Node(
            [f"--address=127.0.0.1:{port}", "--num-cpus=1", f"--dashboard-agent-listen-port={_free_port()}", *common],
            dict(env, GAN_LAB_RUNS=str(root / "worker_runs")), root / "worker.log",
        )  # fmt: skip
        nodes.append(worker)
        worker.wait_started()
        yield f"127.0.0.1:{port}", env, root
    finally:
        left = [pid for node in reversed(nodes) for pid in node.stop()]
        shutil.rmtree(root, ignore_errors=True)
        signal.signal(signal.SIGTERM, before)
    assert not left, f"Ray processes that SIGTERM did not stop: {left}"


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_run_trained_on_the_worker_node_comes_back_whole(cluster, small_digits, tmp_path):
    address, env, root = cluster
    app_runs, worker_runs = tmp_path / "app_runs", root / "worker_runs"
    app_env = dict(
        env, GAN_LAB_RAY_ADDRESS=address, GAN_LAB_RUNS=str(app_runs), GAN_LAB_RAY_COPY_RUNS="1", GAN_LAB_RAY_CPUS="1"
    )
    started = time.time()
    r = subprocess.run(
        [sys.executable, "-c", APP, *OVERRIDES],
        env=app_env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=480,
        preexec_fn=_stop_with_parent,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in Path(out["run_dir"]).rglob("*") if p.is_file())
    print(
        f"\ntwo-node training and copy: {time.time() - started:.1f} s; shown as copying for "
        f"{out['copy_seconds']:.1f} s after the end; run folder {size / 2**20:.1f} MiB"
    )

    # It ran on the worker node: the head has no CPU for it, and the actor said where it was.
    heads = [n for n in out["nodes"] if n["head"]]
    workers = [n for n in out["nodes"] if not n["head"]]
    assert len(heads) == 1 and heads[0]["cpus"] == 0 and len(workers) == 1
    assert out["placement"]["node_id"] == workers[0]["id"]
    # ... in a run folder of the worker's own, which the app copied back through Ray.
    assert out["placement"]["copied"] and Path(out["placement"]["folder"]).parent == worker_runs / ".ray-worker"
    assert out["state"] == "finished" and out["step"] == 40, out
    assert not out["warnings"], out["warnings"]
    app_run = Path(out["run_dir"])
    assert app_run.parent == app_runs and out["board_run_dir"] == str(app_run)
    assert "stopping" in out["states"]  # shown as stopping while the last files came over
    # While it trained, the app already had the files pages read (not the checkpoints).
    assert {"config.json", "metrics.jsonl", "generator.keras", "status.json"} <= set(out["seen_while_running"])
    assert "checkpoints" not in out["seen_while_running"]

    # The same training in this process writes the same files: the copy is the whole run.
    from gan_core.run.trainer import Trainer

    cfg = preset("fast-demo").with_overrides(OVERRIDES)
    local = Trainer(cfg, run_dir=tmp_path / "local", data=small_digits)
    local.start()
    local.join(300)
    assert local.snapshot().state == "finished"
    assert _files(app_run) == _files(tmp_path / "local")
    assert [c.name for c in checkpoint.checkpoints(app_run)] == ["00000020", "00000040"]  # both complete
    rows = [json.loads(line) for line in (app_run / "metrics.jsonl").read_text().splitlines()]
    assert [row["step"] for row in rows] == list(range(1, 41))
    assert run_status.disk_state(app_run) == "finished"

    # The generator loads and samples the way the Latent explorer does it.
    from gan_core.generators.sampling import sample_images
    from gan_core.generators.source import load_generator, run_source

    model, source = load_generator(run_source(app_run))
    assert sample_images(model, source, 4).shape == (4, 28, 28, 1)
    # And the run resumes from the copied checkpoints, here, for a third epoch.
    more = Trainer(cfg.with_overrides(["run.epochs=3"]), run_dir=app_run, resume=True, data=small_digits)
    more.start()
    more.join(300)
    assert more.snapshot().state == "finished" and more.snapshot().step == 60

    # The worker's copy was removed once the app had it whole; the app's folder holds no claim.
    assert not (worker_runs / ".ray-worker").exists() or not any((worker_runs / ".ray-worker").iterdir())
    assert not (app_run / ".ray-claim").exists()


def test_a_driver_without_the_clusters_token_is_refused(cluster, tmp_path):
    address, env, _ = cluster
    home = tmp_path / "home"  # no ~/.ray/auth_token: someone else on the network
    home.mkdir()
    outsider = {k: v for k, v in env.items() if k != "RAY_AUTH_MODE"}
    outsider.update(
        HOME=str(home),
        GAN_LAB_RAY_ADDRESS=address,
        GAN_LAB_RUNS=str(tmp_path / "runs"),
        RAY_NUM_REDIS_GET_RETRIES="3",  # give up after 3 tries of about a second, not 20
    )
    r = subprocess.run(
        [sys.executable, "-m", "gan_core", "train", "--preset", "fast-demo", "--epochs", "1"],
        env=outsider,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
        preexec_fn=_stop_with_parent,
    )
    errors = [line for line in r.stderr.splitlines() if line.startswith("error")]
    assert r.returncode == 2 and len(errors) == 1, r.stderr[-2000:]
    assert errors[0].startswith(f"error: cannot use the Ray cluster at '{address}'")
    assert "RAY_AUTH_MODE=token" in errors[0]
    assert not (tmp_path / "runs").exists()
