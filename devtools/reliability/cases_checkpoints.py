"""No run lost: SIGKILL inside a save, Ctrl-C mid-epoch, a disk that refuses, NaN and the roll-back.

Each case drives the real command line (`python -m gan_core train`) or the real trainer,
with real signals and real file-system failures (RLIMIT_FSIZE gives "File too large" even
to root; a regular file where a folder should be makes mkdir fail).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from devtools.reliability import Case

ROOT = Path(__file__).resolve().parents[2]
# 5,000 digits at batch 1000 (500 real images a step): 10 steps per epoch.
TRAIN = [
    "train",
    "--preset",
    "fast-demo",
    "--set",
    "run.batch_size=1000",
    "--set",
    "run.grid_size=4",
    "--set",
    "run.quality_every_epoch=false",
    "--final-samples",
    "0",
]
SPE = 10


def _cli(*args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gan_core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def _start(*args, env=None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "gan_core", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _jsonl(path: Path) -> list:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _steps(run: Path) -> list:
    return [r["step"] for r in _jsonl(run / "metrics.jsonl")]


def _wait(predicate, proc: subprocess.Popen, what: str, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}) before {what}: {proc.stderr.read()[-300:]}")
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def _kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    proc.stderr.close()


def _unbroken_orders(epochs: int, n: int = 5000, seed: int = 0) -> list:
    """Fingerprints of the epochs' data orders in a run never interrupted: one shuffle
    generator seeded with run.seed, one permutation per epoch (as GanStep does)."""
    import hashlib

    import numpy as np

    rng = np.random.default_rng(seed)
    # train_step.order_digest, written out so this process does not load TensorFlow
    return [hashlib.sha1(rng.permutation(n).astype(np.int32).tobytes()).hexdigest()[:16] for _ in range(epochs)]


def sigkill_mid_save(work: Path) -> str:
    """SIGKILL with 2 of the 6 files of the second checkpoint written; resume; compare with an unbroken run."""
    run = work / "run"
    proc = _start(*TRAIN, "--epochs", "3", "--out", str(run), env={"GAN_LAB_TEST_CHECKPOINT_PAUSE": "0.6"})
    partial = run / "checkpoints" / f".{2 * SPE:08d}.partial"
    _wait(lambda: partial.is_dir() and len(list(partial.glob("*.*"))) >= 2, proc, "the second checkpoint's save")
    _kill(proc)
    rows_at_kill = len(_steps(run))
    out = _cli("train", "--resume", str(run), "--epochs", "3", "--final-samples", "0")
    assert out.returncode == 0, out.stderr[-300:]
    steps = _steps(run)
    assert steps == list(range(1, 3 * SPE + 1)), f"rows {steps[:3]}..{steps[-3:]} ({len(steps)})"
    orders = [e["order"] for e in _jsonl(run / "epochs.jsonl")]
    assert orders == _unbroken_orders(3), "the data order differs from an unbroken run's"
    left = sorted(p.name for p in (run / "checkpoints").iterdir())
    assert left == [f"{2 * SPE:08d}", f"{3 * SPE:08d}"], left
    return (
        f"killed inside checkpoint {2 * SPE} ({rows_at_kill} rows on disk); resumed from step {SPE}: "
        f"{len(steps)} rows, one per step, epoch data orders = an unbroken run's, checkpoints {left}"
    )


def sigkill_at_random_times(work: Path) -> str:
    """Two SIGKILLs at random moments, each after one more epoch was saved, each followed by --resume."""
    run = work / "run"
    rng = random.Random(12)
    kills = []
    proc = _start(*TRAIN, "--epochs", "3", "--out", str(run))
    for _ in range(2):
        saved = len(_jsonl(run / "epochs.jsonl")) if (run / "epochs.jsonl").exists() else 0
        _wait(
            lambda saved=saved: (run / "epochs.jsonl").exists() and len(_jsonl(run / "epochs.jsonl")) > saved,
            proc,
            "one more saved epoch",
        )
        delay = rng.uniform(0.0, 1.0)
        time.sleep(delay)
        if proc.poll() is not None:
            break
        _kill(proc)
        kills.append(f"{delay:.2f} s after the save of step {_steps(run)[-1]}")
        proc = _start("train", "--resume", str(run), "--epochs", "3", "--final-samples", "0")
    proc.wait(300)
    assert proc.returncode == 0, proc.stderr.read()[-300:]
    proc.stderr.close()
    steps = _steps(run)
    assert steps == list(range(1, 3 * SPE + 1)), f"rows {steps[:3]}..{steps[-3:]} ({len(steps)})"
    epochs = _jsonl(run / "epochs.jsonl")
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    assert [e["order"] for e in epochs] == _unbroken_orders(3), "the data order differs from an unbroken run's"
    return (
        f"killed {'; '.join(kills)}; after resuming: {len(steps)} rows, one per step, "
        f"epochs 1-3 in an unbroken run's data order"
    )


def stop_mid_epoch_keeps_tail(work: Path) -> str:
    """Ctrl-C (SIGINT) mid-epoch: the rows and a checkpoint up to the stopping step are on disk."""
    run = work / "run"
    proc = _start(*TRAIN, "--max-seconds", "600", "--out", str(run))
    _wait(lambda: (run / "epochs.jsonl").exists(), proc, "the first epoch")
    time.sleep(0.7)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-300:]
    stopped = [line for line in err.splitlines() if line.startswith("Stopped at step")]
    assert stopped, err[-300:]
    step = int(stopped[-1].split()[3].rstrip("."))
    assert _steps(run) == list(range(1, step + 1)), "metrics rows are not one per step up to the stop"
    newest = sorted((run / "checkpoints").iterdir())[-1]
    assert json.loads((newest / "state.json").read_text())["step"] == step
    return (
        f"Ctrl-C at step {step} ({step % SPE} steps into epoch {step // SPE + 1}): "
        f"{step} rows and checkpoint {step} on disk"
    )


def _limit_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def unwritable_runs_folder(work: Path) -> str:
    """A run folder that cannot be made (exit 2, one line), and a disk that refuses mid-run (one warning)."""
    blocker = work / "runs"
    blocker.write_text("a file where the runs folder should be")
    out = _cli(*TRAIN, "--epochs", "1", "--out", str(blocker / "run"))
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2 and len(lines) == 1, out.stderr[-300:]
    run = work / "run"
    full = _cli(*TRAIN, "--epochs", "2", "--out", str(run), preexec_fn=_limit_file_size)
    assert full.returncode == 0, full.stderr[-300:]
    warnings = [line for line in full.stderr.splitlines() if line.startswith("warning: Cannot save")]
    assert len(warnings) == 1 and "Training goes on without saving" in warnings[0], full.stderr[-400:]
    assert f"Finished: {2 * SPE} steps" in full.stderr
    return f"'{lines[0]}'; files over 64 KiB refused: '{warnings[0][9:90]}…', trained on to step {2 * SPE}"


def nan_pause_and_roll_back(work: Path) -> str:
    """A learning rate far past any slider makes the weights NaN; the run pauses; roll back; train on."""
    import numpy as np

    from gan_core.config.presets import preset
    from gan_core.data import load_images
    from gan_core.run.trainer import Trainer

    cfg = preset("fast-demo").with_overrides(
        ["run.epochs=0", "run.max_seconds=0", "run.grid_size=4", "run.quality_every_epoch=false", "run.batch_size=1000"]
    )
    run = work / "run"
    t = Trainer(cfg, run_dir=run, data=load_images("mnist-5k"))
    t.start()

    def until(predicate, timeout=120):
        end = time.time() + timeout
        while time.time() < end:
            snap = t.snapshot()
            if predicate(snap):
                return snap
            time.sleep(0.01)
        raise AssertionError(f"timed out in state {t.snapshot().state}: {t.snapshot().message}")

    until(lambda s: s.epoch >= 1 and t.last_good_step())
    good = t.last_good_step()
    end = time.time() + 60
    while t.snapshot().state != "paused" and time.time() < end:
        t._gan_step.set_learning_rates(1e38, 1e38)
        time.sleep(0.01)
    paused = until(lambda s: s.state == "paused" and "training paused" in s.message)
    assert t.last_good_step() == good, "a checkpoint with non-finite weights was written"
    t.roll_back()
    back = until(lambda s: s.message.startswith("Rolled back"))
    assert back.step == good and len(back.series["g_loss"]) == good
    t.resume()
    until(lambda s: s.step >= good + SPE + 2)
    assert t.stop(timeout=60)
    steps = _steps(run)
    assert steps == list(range(1, t.snapshot().step + 1))
    assert all(np.isfinite(r["g_loss"]) for r in _jsonl(run / "metrics.jsonl"))
    return (
        f"'{paused.message[:48]}…' at step {paused.step}; rolled back to {good}; trained on to "
        f"{steps[-1]}: rows one per step, all finite"
    )


CASES = [
    Case("sigkill_mid_save", sigkill_mid_save),
    Case("sigkill_at_random_times", sigkill_at_random_times),
    Case("stop_mid_epoch_keeps_tail", stop_mid_epoch_keeps_tail),
    Case("unwritable_runs_folder", unwritable_runs_folder),
    Case("nan_pause_and_roll_back", nan_pause_and_roll_back),
]
