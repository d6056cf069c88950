"""What each hostile upload (devtools/hostile_inputs.py) costs the server:
`python -m devtools.hostile_measure` writes every input into a temporary folder and feeds it,
in a fresh Python each, through the path a page or the CLI takes, beside a busy thread that
stands in for a training's loop; one line per input: wall seconds, peak memory, the busy
thread's rate and longest pause, and the outcome's first line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from devtools.hostile_inputs import (
    PRETRAINED,
    ROOT,
    huge_dense_keras,
    huge_image_keras,
    largest_points_csv,
    long_first_line_csv,
    many_entries_zip,
    quotes_and_commas_csv,
    run_folder_with,
    whitespace_config_keras,
    zip_bomb_images,
)

# -- measuring ------------------------------------------------------------------------------

# Child side: a counting thread stands in for a training loop; the call is what a page does
# with an upload (the bounded entry point where this checkout has one), timed from a server's
# state (TensorFlow imported for a generator, the worker pool started).
_CHILD = r"""
import json, resource, sys, threading, time
kind, path = sys.argv[1], sys.argv[2]
count, pause, stop = [0], [0.0], threading.Event()
def spin():
    last = time.perf_counter()
    while not stop.is_set():
        now = time.perf_counter()
        pause[0] = max(pause[0], now - last)
        last = now
        count[0] += 1
def call():
    data = open(path, "rb").read() if kind != "sample" else b""
    if kind == "points":
        try:
            from gan_core.toy.source import read_uploaded_points as read
        except ImportError:
            from gan_core.toy import read_points_csv as read
        return f"{read(data).points.shape[0]} points"
    if kind == "generator":
        from gan_core.generators.source import load_uploaded_generator
        model, source = load_uploaded_generator(data, "upload.keras")
        return f"loaded {source.image_shape}"
    if kind == "images":
        from gan_core.data import load_images_from_zip_bytes
        return load_images_from_zip_bytes(data, "upload.zip").summary
    if kind == "sample":
        import subprocess
        done = subprocess.run([sys.executable, "-m", "gan_core", "sample", "--run", path, "--n", "16",
                               "--out", path + "/s.npy"], capture_output=True, text=True)
        lines = (done.stdout + done.stderr).strip().splitlines()
        return f"exit {done.returncode}: " + (lines[-1] if lines else "")
# The server's state when an upload comes: TensorFlow imported and the worker pool running.
if kind == "generator":
    import keras
    from gan_core.nets.saved_layers import register_saved_layers
    register_saved_layers()
try:
    from gan_core.uploads.bounded_worker import WorkLimits, run_bounded
    run_bounded(len, (b"",), limits=WorkLimits(seconds=60, memory_mb=64))
except ImportError:
    pass
thread = threading.Thread(target=spin, daemon=True)
thread.start()
time.sleep(0.5)
base = count[0] / 0.5
count[0], pause[0] = 0, 0.0
start = time.perf_counter()
try:
    outcome = call()
except BaseException as e:
    text = str(e).strip().splitlines()
    outcome = f"{type(e).__name__}: {text[0] if text else ''} ({len(text)} lines)"
seconds = time.perf_counter() - start
stop.set()
mine = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("RESULT " + json.dumps({"seconds": seconds, "self_mib": mine, "children_mib": kids,
                              "thread_rate": count[0] / seconds / base if seconds else 1.0, "longest_pause": pause[0],
                              "outcome": outcome[:160]}))
"""


def measure(kind: str, path: Path, timeout: float) -> dict:
    """Run one upload in a fresh Python: wall seconds, peak RSS of the process and of its
    largest child (MiB), the busy thread's rate during the call over its rate before and its
    longest pause (s), and the outcome's first line. {'outcome': 'timed out'} past `timeout`
    seconds."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, kind, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
    except subprocess.TimeoutExpired:
        return {"outcome": f"timed out after {timeout:g} s", "seconds": timeout}
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"outcome": f"no result (exit {done.returncode}): {done.stderr.strip()[-300:]}"}


def cases(folder: Path) -> list[tuple[str, str, Callable[[], Path]]]:
    """(label, kind, maker) of every hostile input; each maker writes its input into
    `folder` when called and returns its path."""
    folder = Path(folder)

    def plain() -> Path:
        """The shipped pretrained generator copied into the folder (the plain sample's input)."""
        path = folder / "plain.keras"
        shutil.copy(PRETRAINED / "generator.keras", path)
        return path

    def bomb() -> Path:
        """The 1 GiB-of-whitespace .keras, written once into the folder."""
        path = folder / "whitespace_config.keras"
        return path if path.exists() else whitespace_config_keras(folder)

    return [
        ("CSV 64 KiB of quotes and commas", "points", lambda: quotes_and_commas_csv(folder, 64)),
        ("CSV 256 KiB of quotes and commas", "points", lambda: quotes_and_commas_csv(folder, 256)),
        ("CSV 1 MiB single line of quotes", "points", lambda: quotes_and_commas_csv(folder, 1024)),
        ("CSV first line of 200,000 chars", "points", lambda: long_first_line_csv(folder)),
        ("CSV 7.1 MiB valid (~400k rows)", "points", lambda: largest_points_csv(folder)),
        ("plain .keras upload (pretrained)", "generator", plain),
        (".keras, config.json 1 GiB of spaces", "generator", bomb),
        (".keras, Dense of 10^9 units", "generator", lambda: huge_dense_keras(folder)),
        (".keras, 16384x16384 output", "generator", lambda: huge_image_keras(folder)),
        ("sample --run, plain", "sample", lambda: run_folder_with(folder, plain())),
        ("sample --run, 1 GiB-space config", "sample", lambda: run_folder_with(folder, bomb())),
        ("image zip, 150 x 1 MiB of zeros", "images", lambda: zip_bomb_images(folder)),
        ("image zip, 99,999 entries", "images", lambda: many_entries_zip(folder)),
    ]


def main(argv=None) -> int:
    """Print one line per hostile input: seconds, peak MiB, busy thread's rate and longest
    pause, outcome."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before one input is stopped")
    parser.add_argument("--only", default="", help="run only inputs whose label contains this text")
    parser.add_argument("--json", action="store_true", help="one JSON line per input")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gan-lab-hostile-") as tmp:
        for label, kind, make in cases(Path(tmp)):
            if args.only and args.only not in label:
                continue
            result = measure(kind, make(), args.timeout)
            if args.json:
                print(json.dumps({"input": label, **result}), flush=True)
                continue
            peak = max(result.get("self_mib", 0), result.get("children_mib", 0))
            print(
                f"{label:38s} {result.get('seconds', 0):7.2f} s {peak:8.0f} MiB "
                f"rate {result.get('thread_rate', float('nan')):5.2f} "
                f"pause {result.get('longest_pause', float('nan')):6.2f} s  {result['outcome']}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
