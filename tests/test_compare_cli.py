"""`python -m gan_core compare` as a user types it: real processes, one JSON line per card."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

ROOT = Path(__file__).resolve().parents[1]


def cli(*args, timeout=900):
    return subprocess.run(
        [sys.executable, "-m", "gan_core", "compare", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize(
    "args,expected",
    [
        (["--card", "no-such-card", "--epochs", "1"], "unknown guide card 'no-such-card'"),
        (["--card", "label-flips"], "one of the arguments --max-seconds --epochs is required"),
        (
            ["--card", "label-flips", "--careful", "--epochs", "1", "--seed", "2147483646"],
            "seeds 2147483646 to 2147483648: run.seed must be",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_before_anything_trains(args, expected):
    out = cli(*args)
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], out.stderr
    assert out.stdout == ""


def test_a_careful_comparison_prints_each_arms_seeds_spread_and_verdict():
    out = cli("--card", "label-flips", "--careful", "--max-seconds", "0.3", "--set", "run.grid_size=2")
    assert out.returncode == 0, out.stderr[-2000:]
    (line,) = out.stdout.strip().splitlines()
    report = json.loads(line)
    assert report["card"] == "label-flips" and report["seeds"] == [0, 1, 2] and report["state"] == "finished"
    assert report["budget"] == {"max_seconds": 0.3, "epochs": 0}
    assert report["arms"]["A"]["settings"] == {"hacks.flip_probability": 0.05}
    runs = report["arms"]["A"]["runs"] + report["arms"]["B"]["runs"]
    assert [r["seed"] for r in runs] == [0, 1, 2, 0, 1, 2]
    assert len({r["steps"] for r in runs}) == 1 and runs[0]["steps"] > 0  # equal steps for all six
    assert all(0 <= r["quality"]["recognized_share"] <= 1 and not r["nan"] for r in runs)
    for arm in "AB":
        shares = [r["quality"]["recognized_share"] for r in report["arms"][arm]["runs"]]
        assert report["score"][arm] == {
            "mean": pytest.approx(sum(shares) / 3),
            "low": min(shares),
            "high": max(shares),
            "n": 3,
        }
    assert isinstance(report["within_noise"], bool) and isinstance(report["distance_within_noise"], bool)
    assert "3 seeds each. A − B = " in report["verdict"]
