"""Serving a class: `make run` prints the teacher link once, a bad class setting is one line,
a network-facing server shows no error details, and XSRF and CORS protection stay on."""

import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from devtools.app_harness import free_port
from ui.serve import streamlit_command

ROOT = Path(__file__).resolve().parents[1]


def test_a_server_on_the_network_shows_browsers_no_error_details_and_keeps_xsrf_and_cors():
    local, network = streamlit_command("localhost", 8501), streamlit_command("0.0.0.0", 8501)
    assert "--client.showErrorDetails" not in local
    assert network[network.index("--client.showErrorDetails") + 1] == "none"
    assert not any("enableXsrfProtection" in a or "enableCORS" in a for a in network)
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config.get("server", {}).get("enableXsrfProtection", True) is True
    assert config.get("server", {}).get("enableCORS", True) is True


def test_make_run_prints_the_teacher_link_from_the_environment_and_serves(tmp_path):
    port = free_port()
    env = dict(os.environ, GAN_LAB_TEACHER_TOKEN="t" * 24, GAN_LAB_RUNS=str(tmp_path), GAN_LAB_PREWARM="0")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = proc.stdout.readline().strip()
        assert first == f"Teacher link (keep it to yourself): http://localhost:{port}/?teacher={'t' * 24}"
        assert "trainings at once" in proc.stdout.readline()
        for _ in range(120):  # the same process is now the Streamlit server
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    assert r.read().decode().strip() == "ok"
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the server did not answer")
    finally:
        proc.terminate()
        proc.wait(30)


def test_a_bad_class_setting_stops_make_run_with_one_line():
    env = dict(os.environ, GAN_LAB_TEACHER_TOKEN="short", GAN_LAB_MAX_TRAININGS="2")
    out = subprocess.run([sys.executable, "-m", "ui.serve"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip() == "error: GAN_LAB_TEACHER_TOKEN must be 16 to 128 letters, digits, '-' or '_'"
    env = dict(os.environ, GAN_LAB_MAX_TRAININGS="lots")
    out = subprocess.run([sys.executable, "-m", "ui.serve"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert (
        out.returncode == 2 and out.stderr.strip() == "error: GAN_LAB_MAX_TRAININGS must be a whole number, got 'lots'"
    )
