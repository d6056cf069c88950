"""Soak: many trainings and comparisons started and stopped, many browser sessions opened and dropped.

Each case measures threads and resident memory once the first round has warmed up
TensorFlow's and Streamlit's one-off pools and caches, then again after the soak, and
fails when threads were left behind or memory grew past a bound.
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

from devtools.class_sim import server_pid
from devtools.reliability import Case

CYCLES = 50
# Resident memory the trainings may add after the warm-up, in all (a plateau, not a rate).
# A traced step leaves 10-45 MiB of TensorFlow's native memory behind when everything of it
# on the Python side is freed (its function graphs stay referenced from the C++ side), which
# grew the server by ~480 MiB over 50 cycles. The trainer now reuses one compiled step per
# configuration (gan_core/step/cache.py): the warm-up traces the only one, and the
# 50 cycles then added 10 MiB (allocator and Python caches). 40 MiB is 4x that and less than
# what one more trace per ten cycles would add.
MAX_GROWTH_MIB_TRAININGS = 40.0
# The same bound for comparisons: each used to build its two steps outside the step cache and
# so left two traced steps behind (see the report of `comparisons`); they now take them from
# the cache like a training does.
COMPARE_CYCLES = 20
READINGS = 3
MAX_GROWTH_MIB_COMPARISONS = 40.0
# A dropped browser session must leave nothing once Streamlit has forgotten it.
MAX_GROWTH_MIB_SESSIONS = 60.0


def _proc_status(pid: int | str = "self") -> dict:
    """Threads (the kernel's count: Python's and TensorFlow's alike) and VmRSS (MiB) of a process."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return {"threads": int(fields["Threads"]), "rss_mib": int(fields["VmRSS"].split()[0]) / 1024}


def _settle(seconds: float = 1.0) -> None:
    import gc

    gc.collect()
    time.sleep(seconds)


# -- trainings ------------------------------------------------------------------------------------
def trainer_cycles(cycles: int, warm_up: int = 2, train_every: int = 5) -> dict:
    """Start and stop `cycles` trainings of one configuration through a pool of one slot; every
    `train_every`th runs a few steps (the step is compiled or reused, and the loop's work done),
    the others are stopped while they start. Returns before/after figures; raises
    AssertionError on a leftover or a refusal."""
    from gan_core.config.presets import preset
    from gan_core.data import ImageSet, load_images
    from gan_core.jobs.pool import TrainerPool
    from gan_core.run.trainer import Trainer

    digits = load_images("mnist-5k")
    data = ImageSet(digits.images[:640], digits.labels[:640], "soak-digits")
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=0", "run.grid_size=2", "run.quality_every_epoch=false"]
    )
    pool = TrainerPool(max_active=1, idle_seconds=600)

    def one(i: int) -> None:
        """Start training `i` through the pool, train a few steps every `train_every`-th time, stop it."""
        trainer_id = pool.start(lambda: Trainer(cfg, data=data))  # PoolBusy here: a slot was never freed
        trainer = pool.get(trainer_id)
        if i % train_every == 0:
            deadline = time.time() + 120
            while trainer.status().step < 3 and trainer.is_active() and time.time() < deadline:
                time.sleep(0.05)
        trainer.stop(timeout=120)
        assert not trainer.alive, f"cycle {i}: the training thread outlived stop()"
        assert trainer.status().state == "stopped", f"cycle {i}: {trainer.status().message}"

    for i in range(warm_up):
        one(i * train_every)
    _settle()
    before = _proc_status() | {"py_threads": sorted(t.name for t in threading.enumerate())}
    for i in range(cycles):
        one(i)
    _settle()
    after = _proc_status() | {"py_threads": sorted(t.name for t in threading.enumerate())}
    assert pool.active_count() == 0 and pool.busy_message() is None
    return {"before": before, "after": after, "cycles": cycles}


def _soak_digits():
    """640 of the embedded digits: 10 steps an epoch at batch 64."""
    from gan_core.data import ImageSet, load_images

    digits = load_images("mnist-5k")
    return ImageSet(digits.images[:640], digits.labels[:640], "soak-digits")


def comparison_pairs() -> list[tuple]:
    """The two A/B pairs a comparison soak alternates: a live hack (label flips; both arms
    have one graph, so they need two steps of one configuration at once) and an
    architecture hack (BatchNorm on and off: two graphs)."""
    from gan_core.config.presets import preset

    base = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=0", "run.grid_size=2", "run.quality_every_epoch=false"]
    )
    return [
        (base.with_value("hacks.flip_probability", 0.0), base.with_value("hacks.flip_probability", 0.2)),
        (base, base.with_value("model.batch_norm", False)),
    ]


def comparison_cycles(cycles: int, warm_up: int = 4, stop_at_once_every: int = 4) -> dict:
    """Start and stop `cycles` comparisons through a pool of one slot, alternating the two
    pairs of `comparison_pairs`; each trains until both arms have made two steps (both
    steps traced or reused), except every `stop_at_once_every`th, stopped while it builds.
    The warm-up traces every step the pairs need and reuses each once. The RSS figures are
    medians of READINGS readings, one after each of the last cycles of the warm-up and of
    the soak: single readings scatter by about ±15 MiB around a flat line. Returns
    before/after figures; raises AssertionError on a leftover or a refusal."""
    from gan_core.compare.job import CompareJob
    from gan_core.jobs.pool import TrainerPool

    data = _soak_digits()
    pairs = comparison_pairs()
    pool = TrainerPool(max_active=1, idle_seconds=600)

    def rss_after(i: int, train: bool) -> float:
        """Start and stop comparison `i` (trained a few steps when `train`); the server's RSS after, in MiB."""
        cfg_a, cfg_b = pairs[i % len(pairs)]
        job = pool.get(pool.start(lambda: CompareJob(cfg_a, cfg_b, data=data)))
        deadline = time.time() + 120
        while train and job.status().step < 2 and job.is_active() and time.time() < deadline:
            time.sleep(0.05)
        assert not train or job.status().step >= 2, f"cycle {i}: {job.status().message}"
        job.stop(timeout=120)
        assert not job.alive, f"cycle {i}: the comparison's thread outlived stop()"
        assert job.status().state == "stopped", f"cycle {i}: {job.status().message}"
        _settle(0.3)
        return _proc_status()["rss_mib"]

    warm = [rss_after(i, train=True) for i in range(warm_up)]
    _settle()
    before = _proc_status() | {"py_threads": sorted(t.name for t in threading.enumerate())}
    soak = [rss_after(i, train=i % stop_at_once_every != stop_at_once_every - 1) for i in range(cycles)]
    _settle()
    after = _proc_status() | {"py_threads": sorted(t.name for t in threading.enumerate())}
    assert pool.active_count() == 0 and pool.busy_message() is None
    before["rss_mib"], after["rss_mib"] = statistics.median(warm[-READINGS:]), statistics.median(soak[-READINGS:])
    return {"before": before, "after": after, "cycles": cycles}


def _check(figures: dict, what: str, max_growth_mib: float) -> str:
    before, after = figures["before"], figures["after"]
    if "py_threads" in before:
        assert after["py_threads"] == before["py_threads"], (
            f"Python threads left behind: {sorted(set(after['py_threads']) - set(before['py_threads']))}"
        )
    assert after["threads"] <= before["threads"], f"threads {before['threads']} -> {after['threads']}"
    growth = after["rss_mib"] - before["rss_mib"]
    assert growth <= max_growth_mib, f"RSS grew {growth:.0f} MiB over {figures['cycles']} {what}"
    return (
        f"{figures['cycles']} {what}: threads {before['threads']} -> {after['threads']}, "
        f"RSS {before['rss_mib']:.0f} -> {after['rss_mib']:.0f} MiB"
    )


def trainings(workdir: Path) -> str:
    """50 trainings started and stopped: no thread left behind, RSS growth within its bound."""
    return _check(trainer_cycles(CYCLES), "trainings started and stopped", MAX_GROWTH_MIB_TRAININGS)


def comparisons(workdir: Path) -> str:
    """20 comparisons started and stopped: no thread left behind, RSS growth within its bound."""
    figures = comparison_cycles(COMPARE_CYCLES)
    return _check(figures, "comparisons started and stopped", MAX_GROWTH_MIB_COMPARISONS)


# -- browser sessions -----------------------------------------------------------------------------
# Streamlit keeps a dropped session this long for a reconnect (server.disconnectedSessionTTL,
# 120 s by default); the soak shortens it so the dropped sessions are due within the case.
SESSION_TTL_SECONDS = 2


def open_session(ws_url: str, wait_for_script: bool, timeout: float = 120.0) -> int:
    """One browser session over Streamlit's websocket: ask for a run of the app's first page,
    then, when `wait_for_script`, read until the run has finished, and drop the connection.
    Returns how many messages the server sent."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    received = 0
    with connect(ws_url, subprotocols=["streamlit"], open_timeout=timeout, max_size=None) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        ws.send(msg.SerializeToString())
        deadline = time.time() + timeout
        while wait_for_script and time.time() < deadline:
            forward = ForwardMsg()
            forward.ParseFromString(ws.recv(timeout=max(0.1, deadline - time.time())))
            received += 1
            if forward.WhichOneof("type") == "script_finished":
                return received
        if wait_for_script:
            raise AssertionError("the app's page did not finish within the time limit")
    return received


def session_cycles(cycles: int, workdir: Path, warm_up: int = 3) -> dict:
    """Open `cycles` sessions against a real app server, every other one dropped before its page
    has finished; the server's threads and RSS before (after warm-up) and after."""
    from devtools.app_harness import app_server

    runs = workdir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_SECONDS)}
    with app_server(runs, extra_env=env) as url:
        ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        pid = server_pid()
        for _ in range(warm_up):
            open_session(ws_url, wait_for_script=True)
        time.sleep(SESSION_TTL_SECONDS + 4)
        before = _proc_status(pid)
        shown = 0
        for i in range(cycles):
            shown += open_session(ws_url, wait_for_script=i % 2 == 0) > 0
        assert shown == (cycles + 1) // 2, "a page was not drawn"
        # The sessions' script threads end, and the dropped sessions are forgotten after the TTL.
        deadline = time.time() + SESSION_TTL_SECONDS + 60
        after = _proc_status(pid)
        while after["threads"] > before["threads"] and time.time() < deadline:
            time.sleep(1.0)
            after = _proc_status(pid)
        open_session(ws_url, wait_for_script=True)  # the server still answers
    return {"before": before, "after": after, "cycles": cycles}


def sessions(workdir: Path) -> str:
    """50 browser sessions opened and dropped: no thread left behind, RSS growth within its bound."""
    return _check(session_cycles(CYCLES, workdir), "browser sessions opened and dropped", MAX_GROWTH_MIB_SESSIONS)


CASES = [
    Case("50 trainings started and stopped", trainings),
    Case("20 comparisons started and stopped", comparisons),
    Case("50 browser sessions opened and dropped", sessions),
]
