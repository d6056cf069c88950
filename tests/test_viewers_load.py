"""The viewers load script, briefly: a real app server, a run started over the websocket, two viewers."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a soak or a load: minutes, run by `make test`, not `make test-fast`

ROOT = Path(__file__).resolve().parents[1]


def test_the_load_script_prints_one_json_line_and_its_viewers_receive_the_grid_and_updates():
    done = subprocess.run(
        [sys.executable, "-m", "devtools.viewers_load", "--viewers", "2", "--seconds", "8"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, done.stdout
    figures = json.loads(lines[0])
    assert figures["viewers"] == 2
    for key in ("steps_per_s_alone", "steps_per_s_viewed", "ratio"):
        assert isinstance(figures[key], float) and figures[key] > 0, key
    assert figures["viewer_grids_min"] >= 1  # each viewer was sent an epoch's grid
    assert figures["viewer_deltas_min"] > 10  # and the status and panels as they updated


def test_the_load_script_refuses_a_bound_it_cannot_measure_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "devtools.viewers_load", "--viewers", "2", "--seconds", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].endswith("--viewers must be >= 0 and --seconds >= 4")
