"""The class load script, briefly: a real app server, two students who press Start together."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _class_load(*flags: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devtools.class_load", *flags], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.slow  # starts a server and trains two networks: make test, not make test-fast
def test_two_students_starting_together_both_train_and_the_script_prints_one_json_line():
    done = _class_load("--trainings", "2", "--seconds", "40", "--settle", "15", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    assert figures["trainings"] == 2 and figures["settle_seconds"] == 15
    assert len(figures["seconds_to_90"]) == 2
    assert all(steps > 0 for steps in figures["steps"]), figures  # each finished an epoch of its own
    assert all(share is not None and share > 0.1 for share in figures["best_recognized"]), figures
    assert 200 < figures["peak_rss_mb"] < 6000, figures


@pytest.mark.parametrize("flags", [("--trainings", "0"), ("--seconds", "1"), ("--settle", "-3")])
def test_the_class_load_script_refuses_a_bad_flag_in_one_line(flags):
    done = _class_load(*flags, timeout=120)
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .endswith("--trainings must be in 1..32, --seconds at least 5 and --settle in 0..600")
    )
