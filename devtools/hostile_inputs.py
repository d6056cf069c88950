"""Hostile uploads, written cheaply into a folder, and what each one costs the server.

Each maker writes one file a browser could upload (or a run folder `sample --run` could be
pointed at) and returns its path: CSVs of quotes and commas that make `csv.Sniffer` run in
time quadratic in a line's length, a first line past the csv module's field limit, the
largest valid points file, `.keras` archives whose config.json inflates to 1 GiB of JSON
whitespace or asks for a 10^9-unit Dense or a 16384x16384 image, and image zips that
inflate a thousandfold or hold 100,000 entries. The tests use the makers; `python -m
devtools.hostile_inputs` measures each input's wall time, peak memory and how far it slows
a busy Python thread (a training's loop stands in for it) in a fresh process each.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PRETRAINED = ROOT / "assets" / "pretrained"
MIB = 1024 * 1024


# -- points CSVs -----------------------------------------------------------------------


def quotes_and_commas_csv(folder: Path, kib: int = 64) -> Path:
    """One line of `","` repeated to `kib` KiB: the Sniffer's quote regex backtracks over it."""
    path = Path(folder) / f"quotes_commas_{kib}k.csv"
    path.write_text(('","' * (kib * 1024 // 3 + 1))[: kib * 1024])
    return path


def long_first_line_csv(folder: Path, chars: int = 200_000) -> Path:
    """A first line of `chars` digits (past the csv module's 131,072-character field limit),
    then 400 good rows."""
    path = Path(folder) / "long_first_line.csv"
    rows = "".join(f"{np.cos(i):.5f},{np.sin(i):.5f}\n" for i in range(400))
    path.write_text("1" * chars + "\n" + rows)
    return path


def largest_points_csv(folder: Path, megabytes: float = 7.9) -> Path:
    """A valid x,y file just under the 8 MiB upload cap (about 400,000 rows on a ring)."""
    path = Path(folder) / "largest_points.csv"
    rng = np.random.default_rng(0)
    n = int(megabytes * MIB / 18)
    xy = rng.normal(size=(n, 2)) * 2.0
    text = "x,y\n" + "\n".join(f"{x:.6f},{y:.6f}" for x, y in xy) + "\n"
    path.write_text(text[: int(megabytes * MIB)].rsplit("\n", 1)[0] + "\n")
    return path


# -- generator archives ------------------------------------------------------------------


def _pretrained_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(PRETRAINED / "generator.keras") as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_keras(path: Path, entries: dict[str, bytes], config: dict) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries.items():
            archive.writestr(name, json.dumps(config) if name == "config.json" else data)
    return path


def whitespace_config_keras(folder: Path, gib: float = 1.0) -> Path:
    """The pretrained generator whose config.json is followed by `gib` GiB of spaces (valid
    JSON), deflated at level 9: about 1 MB on disk."""
    path = Path(folder) / "whitespace_config.keras"
    entries = _pretrained_entries()
    chunk = b" " * MIB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("metadata.json", entries["metadata.json"])
        with archive.open("config.json", "w", force_zip64=True) as member:
            member.write(entries["config.json"])
            for _ in range(int(gib * 1024)):
                member.write(chunk)
        archive.writestr("model.weights.h5", entries["model.weights.h5"])
    return path


def huge_dense_keras(folder: Path, units: int = 10**9) -> Path:
    """The pretrained generator with its first Dense asking for `units` units (reshaped to
    (units / 64000, 1000, 64), its weights file unchanged): building it would allocate
    110 x units floats before any weight is read."""
    entries = _pretrained_entries()
    config = json.loads(entries["config.json"])
    for layer in config["config"]["layers"]:
        if layer["class_name"] == "Dense":
            layer["config"]["units"] = units
        if layer["class_name"] == "Reshape":
            layer["config"]["target_shape"] = [units // 64_000, 1000, 64]
        layer.pop("build_config", None)  # a hostile file need not record the built shapes
    return _write_keras(Path(folder) / "huge_dense.keras", entries, config)


def huge_image_keras(folder: Path, side: int = 16384) -> Path:
    """The pretrained generator with a Resizing layer to side x side after its head: few
    parameters, but one probe batch of 32 images would take 32 * side^2 * 4 bytes."""
    entries = _pretrained_entries()
    config = json.loads(entries["config.json"])
    layers = config["config"]["layers"]
    last = config["config"]["output_layers"][0]
    layers.append(
        {
            "module": "keras.layers",
            "class_name": "Resizing",
            "config": {"name": "huge_resize", "height": side, "width": side, "interpolation": "nearest"},
            "registered_name": None,
            "name": "huge_resize",
            "inbound_nodes": [
                {
                    "args": [
                        {
                            "class_name": "__keras_tensor__",
                            "config": {"shape": [None, 28, 28, 1], "dtype": "float32", "keras_history": [last, 0, 0]},
                        }
                    ],
                    "kwargs": {},
                }
            ],
        }
    )
    config["config"]["output_layers"] = ["huge_resize", 0, 0]
    return _write_keras(Path(folder) / "huge_image.keras", entries, config)


def run_folder_with(folder: Path, generator: Path) -> Path:
    """A run folder for `sample --run`: the pretrained config.json beside `generator`."""
    run = Path(folder) / f"run_{generator.stem}"
    run.mkdir(parents=True, exist_ok=True)
    shutil.copy(PRETRAINED / "config.json", run / "config.json")
    shutil.copy(generator, run / "generator.keras")
    return run


# -- image zips ---------------------------------------------------------------------------


def _png(seed: int) -> bytes:
    from PIL import Image

    pixels = np.random.default_rng(seed).integers(0, 256, size=(28, 28), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="PNG")
    return buf.getvalue()


def zip_bomb_images(folder: Path, entries: int = 150) -> Path:
    """Three good PNGs and `entries` members of 1 MiB of zeros each (about 1 KB packed, a
    thousandfold): each member stays under a per-entry 1 MB check."""
    path = Path(folder) / "bomb_images.zip"
    zeros = bytes(MIB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for i in range(3):
            archive.writestr(f"good_{i}.png", _png(i))
        for i in range(entries):
            archive.writestr(f"pad/{i:04d}.png", zeros)
    return path


def many_entries_zip(folder: Path, entries: int = 99_999) -> Path:
    """Three good PNGs and `entries` - 3 empty members: a zip directory as long as the file
    limit allows."""
    path = Path(folder) / "many_entries.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for i in range(3):
            archive.writestr(f"good_{i}.png", _png(i))
        for i in range(entries - 3):
            archive.writestr(f"e/{i:06d}.dat", b"")
    return path


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
