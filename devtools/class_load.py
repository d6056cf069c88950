"""Every student a run of their own: `python -m devtools.class_load --trainings 4 --seconds 90`.

Starts the app on a free port (headless) with `GAN_LAB_MAX_TRAININGS` set to the number of
trainings, opens that many student sessions over Streamlit's websocket (devtools.st_client;
each is a browser of its own, so a seat of its own), waits `--settle` seconds (a class's server
is up before its students press Start; the first page open prewarms one default step per
training at once), and presses Start training in all of them within a second, on the default
preset (dcgan-hacks). Then it watches each run folder's
epochs.jsonl, which the app's own quality meter writes at each epoch's end, and notes how many
seconds after its Start each training first recognized at least 90% of its samples; it samples
the server's resident memory meanwhile (its peak, VmHWM, at the end).

Prints ONE JSON line: trainings, seconds_to_90 (one figure per training, null for one that never
got there within --seconds), best_recognized (each training's best share), steps (each
training's steps at its last epoch's end), peak_rss_mb (the server process), settle_seconds
and wall_seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

from devtools.app_harness import app_server
from devtools.st_client import StreamlitSession

START_LABEL = "Start training"
TARGET = 0.9


def _server_pid(runs: Path) -> int | None:
    """The app server's pid, from the status record its first training writes in its run folder."""
    for status in runs.glob("*/status.json"):
        try:
            pid = json.loads(status.read_text()).get("pid")
        except (OSError, ValueError):
            continue
        if isinstance(pid, int):
            return pid
    return None


def _memory_mb(pid: int | None, field: str) -> float:
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _best_share(run: Path) -> tuple[float | None, int]:
    """(best recognized share so far, last step) of the run folder's epochs.jsonl."""
    best, step = None, 0
    try:
        lines = (run / "epochs.jsonl").read_text().splitlines()
    except OSError:
        return None, 0
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue  # a line being written
        share = (row.get("quality") or {}).get("recognized_share")
        step = max(step, int(row.get("step", 0)))
        if isinstance(share, int | float):
            best = share if best is None else max(best, share)
    return best, step


async def measure(
    url: str, runs: Path, trainings: int, seconds: float, settle: float = 0.0, timeout: float = 300.0
) -> dict:
    """Open `trainings` student sessions, wait `settle` seconds, press Start in each at once,
    and follow their run folders for `seconds` after the Starts; returns the figures (see the
    module's docstring)."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    students = [StreamlitSession(ws_url) for _ in range(trainings)]
    for student in students:
        await student.open(timeout)
    await asyncio.sleep(settle)
    started = time.monotonic()
    await asyncio.gather(*(student.click(START_LABEL) for student in students))
    reached: dict[str, float] = {}
    best: dict[str, float | None] = {}
    steps: dict[str, int] = {}
    pid, peak_seen = None, 0.0
    try:
        while time.monotonic() - started < seconds:
            await asyncio.sleep(1.0)
            now = time.monotonic() - started
            pid = pid or _server_pid(runs)
            peak_seen = max(peak_seen, _memory_mb(pid, "VmRSS"))
            for run in sorted(p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")):
                share, step = _best_share(run)
                best[run.name], steps[run.name] = share, step
                if share is not None and share >= TARGET and run.name not in reached:
                    reached[run.name] = now
    finally:
        peak = max(peak_seen, _memory_mb(pid, "VmHWM"))
        for student in students:
            await student.close()
    names = sorted(best)[:trainings]
    return {
        "trainings": trainings,
        "seconds_to_90": [round(reached[n], 1) if n in reached else None for n in names],
        "best_recognized": [round(best[n], 3) if best[n] is not None else None for n in names],
        "steps": [steps[n] for n in names],
        "peak_rss_mb": round(peak),
    }


def main(argv: list[str] | None = None) -> int:
    """The command line: --trainings N, --seconds S; prints one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m devtools.class_load", description=__doc__.splitlines()[0])
    parser.add_argument("--trainings", type=int, default=4, help="students who press Start together (default 4)")
    parser.add_argument("--seconds", type=float, default=90.0, help="seconds followed after the Starts")
    parser.add_argument(
        "--settle", type=float, default=30.0, help="seconds between opening the pages and the Starts (default 30)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.trainings <= 32 or args.seconds < 5 or not 0 <= args.settle <= 600:
        parser.error("--trainings must be in 1..32, --seconds at least 5 and --settle in 0..600")
    with tempfile.TemporaryDirectory(prefix="class-load-") as tmp:
        runs = Path(tmp) / "runs"
        runs.mkdir()
        env = {"GAN_LAB_MAX_TRAININGS": str(args.trainings), "GAN_LAB_IDLE_SECONDS": "3600", "GAN_LAB_PREWARM": "1"}
        with app_server(runs, extra_env=env) as url:
            t0 = time.perf_counter()
            figures = asyncio.run(measure(url, runs, args.trainings, args.seconds, args.settle))
            figures["settle_seconds"] = args.settle
            figures["wall_seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
