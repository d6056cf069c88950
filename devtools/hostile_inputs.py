"""Hostile uploads, written cheaply into a folder, and what each one costs the server.

Each maker writes one file a browser could upload (or a run folder `sample --run` could be
pointed at) and returns its path: CSVs of quotes and commas that make `csv.Sniffer` run in
time quadratic in a line's length, a first line past the csv module's field limit, the
largest valid points file, `.keras` archives whose config.json inflates to 1 GiB of JSON
whitespace or asks for a 10^9-unit Dense or a 16384x16384 image, and image zips that
inflate a thousandfold or hold 100,000 entries. The tests use the makers; `python -m
devtools.hostile_measure` measures each input's wall time, peak memory and how far it slows
a busy Python thread (a training's loop stands in for it) in a fresh process each.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
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
