"""A real `python -m gan_core train` killed with SIGKILL inside a checkpoint save, then
`--resume`: one metrics row per step, and the data order an unbroken run has."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

ROOT = Path(__file__).resolve().parents[1]
# 5,000 digits at batch 500 (250 real images a step): 20 steps per epoch, 60 in all.
TRAIN = [
    "train",
    "--preset",
    "fast-demo",
    "--set",
    "run.batch_size=500",
    "--set",
    "run.grid_size=4",
    "--set",
    "run.quality_every_epoch=false",
    "--final-samples",
    "0",
]
CHECKPOINT_FILES = (
    "generator.keras",
    "discriminator.keras",
    "optimizers.npz",
    "streams.npz",
    "state.json",
    "manifest.json",
)


def cli(*args, env=None, timeout=300, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "gan_core", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def kill_inside_save(run: Path, step: int, files_written: int, timeout=300) -> None:
    """Train with a pause between checkpoint files; SIGKILL once the checkpoint of `step`
    has `files_written` files in its partial folder."""
    env = {**os.environ, "GAN_LAB_TEST_CHECKPOINT_PAUSE": "0.6"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gan_core", *TRAIN, "--epochs", "3", "--out", str(run)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    partial = run / "checkpoints" / f".{step:08d}.partial"
    end = time.time() + timeout
    try:
        while time.time() < end:
            if partial.is_dir() and len([p for p in partial.iterdir() if not p.name.startswith(".")]) >= files_written:
                break
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.01)
        else:
            raise AssertionError(f"never saw {files_written} files in {partial}")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    run = tmp_path_factory.mktemp("reference") / "run"
    out = cli(*TRAIN, "--epochs", "3", "--out", str(run))
    assert out.returncode == 0, out.stderr
    return run


@pytest.mark.parametrize(
    "files_written",
    [1, 4, len(CHECKPOINT_FILES)],
    ids=["after-generator", "after-optimizers", "manifest-written-not-renamed"],
)
def test_sigkill_inside_a_save_then_resume_keeps_one_row_per_step_and_the_data_order(
    tmp_path, reference, files_written
):
    run = tmp_path / "run"
    kill_inside_save(run, 40, files_written)
    # Epoch 2's rows reached the disk before its checkpoint did; the checkpoint did not.
    assert max(r["step"] for r in jsonl(run / "metrics.jsonl")) >= 40 - 1
    assert sorted(p.name for p in (run / "checkpoints").iterdir() if not p.name.startswith(".")) == ["00000020"]

    out = cli("train", "--resume", str(run), "--epochs", "3", "--final-samples", "0")
    assert out.returncode == 0, out.stderr
    assert "epoch   2 |" in out.stderr and "epoch   1 |" not in out.stderr  # went on, did not replay
    steps = [r["step"] for r in jsonl(run / "metrics.jsonl")]
    assert steps == list(range(1, 61))
    epochs = jsonl(run / "epochs.jsonl")
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    assert [e["order"] for e in epochs] == [e["order"] for e in jsonl(reference / "epochs.jsonl")]
    left = sorted(p.name for p in (run / "checkpoints").iterdir())
    assert left == ["00000020", "00000040", "00000060"]  # every epoch end (for branching), no partial folder
    assert {p.name for p in (run / "checkpoints" / "00000060").iterdir()} == set(CHECKPOINT_FILES)
    state = json.loads((run / "checkpoints" / "00000060" / "state.json").read_text())
    assert state["step"] == 60 and state["epoch"] == 3


def test_a_run_folder_that_cannot_be_made_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = cli(*TRAIN, "--epochs", "1", "--out", str(blocker / "run"))
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot create the run folder" in lines[0] and "Traceback" not in out.stderr


def _limit_file_size():
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_disk_that_refuses_mid_run_gives_one_warning_and_training_goes_on(tmp_path):
    run = tmp_path / "run"
    # Files larger than 64 KiB fail with EFBIG ("File too large"), for root too: the models cannot be saved.
    out = cli(*TRAIN, "--epochs", "2", "--out", str(run), preexec_fn=_limit_file_size)
    assert out.returncode == 0, out.stderr
    warnings = [line for line in out.stderr.splitlines() if line.startswith("warning: Cannot save")]
    assert len(warnings) == 1, out.stderr
    assert "File too large" in warnings[0] and "Training goes on without saving" in warnings[0]
    assert "epoch   2 |" in out.stderr and "Finished: 40 steps" in out.stderr
    assert not [p for p in (run / "checkpoints").iterdir()]  # no half checkpoint left behind


def test_a_run_on_an_uploaded_set_resumes_and_samples_later(tmp_path, small_digits):
    from gan_core.config.presets import preset
    from gan_core.data import ImageSet
    from gan_core.run.trainer import Trainer

    upload = ImageSet(small_digits.images[:256], None, "upload")  # an upload has no labels
    cfg = preset("fast-demo").with_overrides(
        [
            "run.epochs=1",
            "run.max_seconds=0",
            "run.grid_size=4",
            "run.quality_every_epoch=false",
            "data.source=uploaded",
            "run.batch_size=128",
        ]
    )  # 256 images, 64 real a step: 4 steps an epoch
    run = tmp_path / "run"
    t = Trainer(cfg, run_dir=run, data=upload)
    t.start()
    t.join(300)
    assert t.snapshot().state == "finished", t.snapshot().message
    with np.load(run / "data.npz") as kept:
        assert np.array_equal(kept["images"], upload.images) and "labels" not in kept.files

    out = cli("train", "--resume", str(run), "--epochs", "2", "--final-samples", "0")
    assert out.returncode == 0, out.stderr
    assert [r["step"] for r in jsonl(run / "metrics.jsonl")] == list(range(1, 9))
    out = cli("sample", "--run", str(run), "--n", "5", "--out", str(tmp_path / "s.npy"))
    assert out.returncode == 0, out.stderr
    assert np.load(tmp_path / "s.npy").shape == (5, 28, 28, 1)
