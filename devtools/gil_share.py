"""What slows a training that shares its process: `python -m devtools.gil_share --seconds 12`.

A class's pages run in the server's process, beside the trainings: their Python holds the
interpreter lock (GIL) that a training's thread needs to issue each step, and their native
work takes cores. This script separates the two. It trains the default preset in this process
(no budget) and measures its steps/s in phases, each followed by one alone again (the
machine's own drift falls on both sides):

- `gil_busy`: one Python thread in this process that never waits (holds the GIL as a page's
  Python would, at the interpreter's default switch interval of 5 ms);
- `gil_busy_switch_1ms`, `gil_busy_switch_0.2ms`: the same with `sys.setswitchinterval` lowered;
- `process_busy`: one busy process beside this one (takes a core, never the GIL).

Prints ONE JSON line: steps/s of each alone phase, each busy phase's steps/s and its ratio to
the mean of the alone phases before and after it. Noisy on a shared machine: compare ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

SWITCHES = {"gil_busy": 0.005, "gil_busy_switch_1ms": 0.001, "gil_busy_switch_0.2ms": 0.0002}
# The first epoch draws preview grids between steps: the phases start after it.


def _rate(trainer, seconds: float) -> float:
    s0, t0 = trainer.status().step, time.monotonic()
    time.sleep(seconds)
    return (trainer.status().step - s0) / (time.monotonic() - t0)


def _spin(stop: threading.Event) -> None:
    table: dict = {}
    while not stop.is_set():
        for i in range(1000):
            table[i % 97] = str(i)


def measure(seconds: float) -> dict:
    """The phases above, `seconds` each (the alone ones half as long); the figures as a dict."""
    from gan_core.config.presets import DEFAULT_PRESET, preset
    from gan_core.run.trainer import Trainer

    cfg = preset(DEFAULT_PRESET).with_overrides(["run.max_seconds=0", "run.epochs=0"]).validated()
    trainer = Trainer(cfg)
    trainer.start()
    try:
        while trainer.status().state != "running" or trainer.status().epoch < 1:
            time.sleep(0.5)
        alone, phases = [_rate(trainer, seconds / 2)], {}
        default_switch = sys.getswitchinterval()
        for name, switch in SWITCHES.items():
            sys.setswitchinterval(switch)
            stop = threading.Event()
            spinner = threading.Thread(target=_spin, args=(stop,), daemon=True)
            spinner.start()
            phases[name] = _rate(trainer, seconds)
            stop.set()
            spinner.join()
            sys.setswitchinterval(default_switch)
            alone.append(_rate(trainer, seconds / 2))
        busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:
            phases["process_busy"] = _rate(trainer, seconds)
        finally:
            busy.kill()
            busy.wait()
        alone.append(_rate(trainer, seconds / 2))
    finally:
        trainer.stop()
    around = {name: (alone[i] + alone[i + 1]) / 2 for i, name in enumerate(phases)}
    return {
        "steps_per_s_alone": [round(a, 2) for a in alone],
        "phases": {k: round(v, 2) for k, v in phases.items()},
        "ratio": {k: round(v / around[k], 3) for k, v in phases.items()},
        "cpu_count": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    """The command line: --seconds per busy phase (6..120); prints one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m devtools.gil_share", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12.0, help="seconds of each busy phase (default 12)")
    args = parser.parse_args(argv)
    if not 6 <= args.seconds <= 120:
        parser.error("--seconds must be in 6..120")
    print(json.dumps(measure(args.seconds)), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    raise SystemExit(main())
