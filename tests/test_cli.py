"""The command line as a user types it: real processes, real files."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


def cli(*args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "gan_core", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize(
    "args,expected",
    [
        (["train", "--preset", "nope"], "unknown preset 'nope'"),
        (["train", "--set", "hacks.flip_probability=0.9"], "hacks.flip_probability must be in [0, 0.5]"),
        (["train", "--set", "nonsense"], "--set expects key=value"),
        (["train", "--epochs", "x"], "invalid int value: 'x'"),
        (["train", "--epochs", "1", "--max-seconds", "3"], "not allowed with argument"),
        (["train", "--data", "no-such-folder/", "--epochs", "1"], "no-such-folder"),
        (
            ["train", "--set", "hacks.adversarial_loss=wgan"],
            "hacks.adversarial_loss must be 'bce', 'least-squares' or 'hinge'",
        ),
        (["train", "--set", "hacks.diff_augment=zoom"], "hacks.diff_augment: unknown policy 'zoom'"),
        (["train", "--set", "model.self_conditioning=1"], "model.self_conditioning must be 0 (off) or 2..100"),
        (["train", "--set", "run.precision=fp8"], "run.precision must be 'auto', 'fp32', 'bf16' or 'fp16'"),
        (["train", "--precision", "fp8"], "invalid choice: 'fp8'"),
        (["bogus"], "invalid choice: 'bogus'"),
        (["sample", "--run", "no-such-run", "--n", "3", "--out", "x.npy"], "is not a run folder"),
        (["metrics", "missing.npy"], "missing.npy"),
        (["bench", "--preset", "seed-tutorial", "--steps", "0"], "at least 1"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, expected):
    out = cli(*args)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], out.stderr
    assert "Traceback" not in out.stderr


def test_help_on_each_command():
    for command in ("train", "sample", "bench", "presets", "metrics", "toy"):
        out = cli(command, "--help")
        assert out.returncode == 0 and "usage:" in out.stdout


def test_presets_lists_each_with_a_line():
    out = cli("presets")
    names = [line.split()[0] for line in out.stdout.splitlines()]
    assert {"dcgan-hacks", "no-hacks", "seed-tutorial"} <= set(names)


def test_train_sample_metrics_round_trip(tmp_path):
    run = tmp_path / "run"
    out = cli(
        "train",
        "--preset",
        "fast-demo",
        "--epochs",
        "1",
        "--precision",
        "auto",
        "--set",
        "run.batch_size=250",
        "--set",
        "run.grid_size=4",
        "--final-samples",
        "200",
        "--out",
        str(run),
    )
    assert out.returncode == 0, out.stderr
    assert "epoch   1 |" in out.stderr  # the one-line summary per epoch
    # With "auto" asked for, the first line says what that became on this machine, and why.
    first = out.stderr.splitlines()[0]
    assert re.search(
        r" in (fp32|bf16) \(auto: (no native bf16 on this CPU|bf16 measured [0-9.]+x fp32's speed here)\)$", first
    ), first
    # The replay ring was float16, and on CPUs without AVX-512 FP16 TensorFlow printed "E0000 …
    # oneDNN supports DT_HALF only on platforms with AVX-512…" at every start, an error that was
    # none (test_stabilizers checks on every CPU that the ring holds no float16).
    assert "DT_HALF" not in out.stderr and "E0000" not in out.stderr, out.stderr
    final = json.loads(out.stdout.strip().splitlines()[-1])["final_quality"]
    assert final["n"] == 200 and 0 <= final["recognized_share"] <= 1
    assert (run / "grid_epoch_0001.png").exists() and (run / "generator.keras").exists()

    again = cli("train", "--epochs", "1", "--out", str(run))
    assert again.returncode == 2 and "already holds a run" in again.stderr

    npy = tmp_path / "samples.npy"
    out = cli("sample", "--run", str(run), "--n", "12", "--out", str(npy))
    assert out.returncode == 0, out.stderr
    images = np.load(npy)
    assert images.dtype == np.uint8 and images.shape == (12, 28, 28, 1)

    out = cli("metrics", str(npy))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["n"] == 12 and {"recognized_share", "classes_present", "frechet_distance"} <= set(report)

    resumed = cli("train", "--resume", str(run), "--epochs", "2", "--final-samples", "0")
    assert resumed.returncode == 0, resumed.stderr
    assert "epoch   2 |" in resumed.stderr


def test_train_takes_the_later_hacks_with_set(tmp_path):
    run = tmp_path / "run"
    sets = [
        "hacks.instance_noise=0.1",
        "hacks.replay_share=0.5",
        "hacks.adversarial_loss=least-squares",
        "hacks.r1_gamma=1",
        "hacks.diff_augment=translation,cutout,color",
        "run.batch_size=250",
        "run.grid_size=2",
        "run.quality_every_epoch=false",
    ]
    out = cli(
        "train",
        "--preset",
        "fast-demo",
        "--epochs",
        "1",
        "--final-samples",
        "0",
        "--out",
        str(run),
        *[a for s in sets for a in ("--set", s)],
    )
    assert out.returncode == 0, out.stderr
    hacks = json.loads((run / "config.json").read_text())["hacks"]
    assert (
        hacks["instance_noise"],
        hacks["replay_share"],
        hacks["adversarial_loss"],
        hacks["r1_gamma"],
        hacks["diff_augment"],
    ) == (0.1, 0.5, "least-squares", 1.0, "translation,cutout,color")
    assert "epoch   1 |" in out.stderr


def test_bench_prints_one_json_line():
    out = cli("bench", "--preset", "fast-demo", "--steps", "2", "--warmup", "1", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip())
    assert result["steps_per_s"] > 0 and result["batch"] == 64
