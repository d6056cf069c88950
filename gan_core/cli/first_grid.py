"""`python -m gan_core.cli.first_grid`: where the seconds to the first grid go.

Prints ONE JSON line (seconds):

- `import_s`: TensorFlow, Keras and the trainer's modules, in a fresh process;
- `data_s`, `build_s`, `judge_s`, `trace_s`: what the Trainer does before its first
  training step returns: load the data set, build G, D and the optimizers, start loading
  (or training, on a cold cache) the quality judge on a helper thread, trace the compiled
  step (its first call: tracing, graph optimization, the first run);
- `first_epoch_s`: the first epoch's remaining steps; `grid_s`: drawing the fixed-latent grid
  and encoding it as PNG; `judge_wait_s`: what the first epoch's end still waits for the
  judge; `quality_s`: the epoch's quality meter;
- `early_grid_s`, `epoch_grid_s`: from `Trainer.start()` to the first grid on its board
  (the early one after a few steps, then the first epoch's), measured on the real Trainer
  in a second fresh process; `total_s` = `import_s` + `early_grid_s` (+ the page's draw,
  measured in a browser, not here).

The phases are the Trainer's own calls, one after the other, so their sum is what a
start waited for before the early grid existed. Each part runs in its own process: a
second model build in a warm process takes a fraction of the first.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time


def _clock():
    last = [time.perf_counter()]

    def lap() -> float:
        now = time.perf_counter()
        seconds, last[0] = now - last[0], now
        return round(seconds, 3)

    return lap


def phases(preset_name: str) -> dict:
    """The Trainer's start-up phases, timed one by one in this (fresh) process."""
    lap = _clock()
    import numpy as np

    from gan_core.nets.tensorflow_runtime import import_tensorflow_quietly

    import_tensorflow_quietly()
    from gan_core.config.presets import preset
    from gan_core.data import fit_config_to_data, load_images
    from gan_core.generators.images import image_grid, png_bytes, upscale
    from gan_core.run.epoch_end import GRID_SCALE, EpochEnd
    from gan_core.run.snapshot import Board
    from gan_core.step.gan_step import GanStep

    out = {"import_s": lap()}
    cfg = preset(preset_name)
    data = load_images(cfg.data.source)
    cfg, _ = fit_config_to_data(cfg, len(data), data.name)
    out["data_s"] = lap()
    step = GanStep(cfg, data.images, labels=data.labels)
    out["build_s"] = lap()
    work = EpochEnd(cfg, step, data, None, Board())
    out["judge_s"] = lap()
    np.asarray(step.step())
    out["trace_s"] = lap()
    steps, last = 1, None
    while not step.epoch_complete:
        last = step.step()
        steps += 1
    np.asarray(last)
    out["first_epoch_s"] = lap()
    out["steps_per_epoch"] = steps
    png_bytes(upscale(image_grid(work.samples(work.grid_z, cfg), cols=cfg.run.grid_size), GRID_SCALE))
    out["grid_s"] = lap()
    meter = work.meter  # loaded on a helper thread since EpochEnd was made: waits only if still busy
    out["judge_wait_s"] = lap()
    if meter is not None:
        meter.report(work.samples(work.quality_z, cfg))
    out["quality_s"] = lap()
    return out


def trainer_grids(preset_name: str) -> dict:
    """Seconds from Trainer.start() to its first early grid and to its first epoch's grid,
    with a run folder as the Train page gives it (in this fresh process, TensorFlow imported first)."""
    from gan_core.nets.tensorflow_runtime import import_tensorflow_quietly

    import_tensorflow_quietly()
    from gan_core.config.presets import preset
    from gan_core.run.trainer import Trainer

    with tempfile.TemporaryDirectory() as tmp:
        trainer = Trainer(preset(preset_name), run_dir=f"{tmp}/run")
        t0 = time.perf_counter()
        trainer.start()
        out: dict = {}
        try:
            deadline = t0 + 300
            while "epoch_grid_s" not in out and time.perf_counter() < deadline:
                status = trainer.status()
                if status.state == "failed":
                    raise RuntimeError(status.message)
                now = round(time.perf_counter() - t0, 3)
                if getattr(status, "preview_step", 0) and "early_grid_s" not in out:
                    out.update(early_grid_s=now, early_grid_step=status.preview_step)
                if status.epoch >= 1:
                    out["epoch_grid_s"] = now
                    out.setdefault("early_grid_s", now)
                time.sleep(0.01)
        finally:
            trainer.stop(timeout=10)
        out["compile_s"] = round(trainer.status().compile_seconds, 3)
    return out


def _child(part: str, preset_name: str) -> dict:
    cmd = [sys.executable, "-m", "gan_core.cli.first_grid", "--part", part, "--preset", preset_name]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
    raise RuntimeError(f"the {part} part printed no JSON: {tail[0]}")


def main(argv=None) -> int:
    """Time both parts, each in a fresh process, and print one JSON line; returns 0."""
    ap = argparse.ArgumentParser(prog="python -m gan_core.cli.first_grid", description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="dcgan-hacks")
    ap.add_argument("--part", choices=("phases", "trainer"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.part:
        print(json.dumps(phases(a.preset) if a.part == "phases" else trainer_grids(a.preset)))
        return 0
    out = {"first_grid_preset": a.preset, **_child("phases", a.preset), **_child("trainer", a.preset)}
    out["total_s"] = round(out["import_s"] + out["early_grid_s"], 3)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
