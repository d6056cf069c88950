"""The GIL share script, briefly: a real training beside a busy thread and a busy process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _gil_share(*flags: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devtools.gil_share", *flags], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.slow  # trains for about a minute: make test, not make test-fast
def test_the_gil_share_script_measures_each_phase_and_prints_one_json_line():
    done = _gil_share("--seconds", "6", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    assert len(figures["steps_per_s_alone"]) == 5 and all(r > 0 for r in figures["steps_per_s_alone"])
    assert set(figures["ratio"]) == {"gil_busy", "gil_busy_switch_1ms", "gil_busy_switch_0.2ms", "process_busy"}
    assert all(0 < r < 3 for r in figures["ratio"].values()), figures  # the training went on in every phase


def test_the_gil_share_script_refuses_a_bad_flag_in_one_line():
    done = _gil_share("--seconds", "1", timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith("--seconds must be in 6..120")
