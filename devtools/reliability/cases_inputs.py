"""Input cases: the files users bring (tests/data/cases), fed through the real loaders and CLI.

One case per kind: degenerate and oversized images, a zip with broken entries, a set
smaller than one batch and one below the floor, a decoding pixel budget, generators
whose output range or file format is not what the app expects, spreadsheet CSVs, and an
upload kept across a page switch.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

from .case import Case

ROOT = Path(__file__).resolve().parents[2]
CASE_FILES = ROOT / "tests" / "data" / "cases"


def _cli(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "GAN_LAB_CACHE": str(workdir / "cache"),
        "GAN_LAB_RUNS": str(workdir / "runs"),
    }
    return subprocess.run(
        [sys.executable, "-m", "gan_core", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _note_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "note:" in line or "error:" in line]


def degenerate_images(workdir: Path) -> str:
    """Images of degenerate sizes are skipped and counted in the one summary line; returns it."""
    from gan_core.data import load_images

    data = load_images(str(CASE_FILES / "images" / "odd_sizes"))
    expected = "5 images loaded; 4 files skipped (3 smaller than 8 px on a side, 1 larger than 4096x4096)"
    assert data.summary == expected, data.summary
    return data.summary


def broken_zip_via_cli(workdir: Path) -> str:
    """`train --data` on a zip with broken members trains on the readable ones and names the rest in one line."""
    done = _cli(
        workdir,
        "train",
        "--data",
        str(CASE_FILES / "images" / "broken_mix.zip"),
        "--epochs",
        "1",
        "--out",
        str(workdir / "run"),
    )
    assert done.returncode == 0, done.stderr[-300:]
    line = "note: 40 images loaded; 9 files skipped (7 not an image, 2 damaged)"
    assert line in done.stderr, _note_lines(done.stderr)
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr
    return f"exit 0; {line[6:]}"


def small_set_via_cli(workdir: Path) -> str:
    """`train --data` on 21 CMYK images (fewer than one batch of 32) trains at batch 20 and says so."""
    done = _cli(
        workdir,
        "train",
        "--data",
        str(CASE_FILES / "images" / "small_set_21_cmyk.zip"),
        "--epochs",
        "2",
        "--out",
        str(workdir / "run"),
    )
    assert done.returncode == 0, done.stderr[-300:]
    notes = [line for line in done.stderr.splitlines() if "fewer than one batch" in line]
    assert notes and "batch size 20" in notes[0], _note_lines(done.stderr)
    assert '"batch_size": 20' in (workdir / "run" / "config.json").read_text()
    return "exit 0, trained 2 epochs at batch 20 (21 images, batch 32), with a note"


def below_the_floor_via_cli(workdir: Path) -> str:
    """`train --data` on five images (below the floor of 8) exits 2 with one line and makes no run folder."""
    from PIL import Image

    folder = workdir / "five"
    folder.mkdir()
    for i in range(5):
        Image.fromarray(np.full((28, 28), 40 * i, np.uint8)).save(folder / f"{i}.png")
    done = _cli(workdir, "train", "--data", str(folder), "--epochs", "1", "--out", str(workdir / "run"))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, (done.returncode, lines[-3:])
    assert "training needs at least 8" in lines[0] and not (workdir / "run").exists()
    return f"exit 2: {lines[0]}"


def pixel_budget(workdir: Path) -> str:
    """40 flat 4096x4096 PNGs: ~25 kB each, 0.67 gigapixels in all, over the 0.5 gigapixel budget."""
    from PIL import Image

    from gan_core.data import DataError, load_images_from_zip_bytes

    page = io.BytesIO()
    Image.new("L", (4096, 4096), 200).save(page, format="PNG")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for i in range(40):
            archive.writestr(f"scan_{i:02d}.png", page.getvalue())
    try:
        load_images_from_zip_bytes(buf.getvalue(), "scans.zip")
    except DataError as e:
        assert "more than 500,000,000 pixels" in str(e), str(e)
        return f"{len(buf.getvalue()) // 1024} kB zip refused: {e}"
    raise AssertionError("a 0.67-gigapixel set was decoded in full")


def generator_range(workdir: Path) -> str:
    """An uploaded generator whose output is 0..255: its range is measured and noted, images not all white."""
    from gan_core.generators.running import generate
    from gan_core.generators.source import load_uploaded_generator

    name = "output_0_to_255.keras"
    model, source = load_uploaded_generator((CASE_FILES / "models" / name).read_bytes(), name)
    images = generate(model, source.latent(0, 16), source.pixel_range)
    assert source.pixel_range == (0.0, 255.0) and images.mean() < 200, (source.pixel_range, images.mean())
    note = [n for n in source.assumptions if "output range" in n][0]
    return f"{note}; mean pixel {images.mean():.0f} (was all white)"


def generator_config_disagrees_via_sample(workdir: Path) -> str:
    """`sample` on a run whose config disagrees with its 0..1 generator follows the generator, with a note."""
    from gan_core.config.presets import preset

    run = workdir / "run"
    run.mkdir()
    shutil.copy(CASE_FILES / "models" / "output_0_to_1.keras", run / "generator.keras")
    (run / "config.json").write_text(preset("dcgan-hacks").to_json())
    done = _cli(workdir, "sample", "--run", str(run), "--n", "64", "--out", str(workdir / "s.npy"))
    assert done.returncode == 0, done.stderr[-300:]
    images = np.load(workdir / "s.npy")
    notes = [line for line in done.stderr.splitlines() if "config says" in line]
    assert notes and images.min() < 170, (notes, images.min())
    return f"exit 0, pixels {images.min()}-{images.max()} (was grey 184-202); {notes[0]}"


def generator_files(workdir: Path) -> str:
    """Unusable generator uploads (unregistered custom layer, renamed HDF5, cut in half): one line each."""
    from gan_core.generators.source import GeneratorError, load_uploaded_generator

    whole = (CASE_FILES / "models" / "output_0_to_1.keras").read_bytes()
    files = {
        name: (CASE_FILES / "models" / name).read_bytes()
        for name in ("unregistered_custom_layer.keras", "hdf5_model_renamed.keras")
    }
    files["half.keras"] = whole[: len(whole) // 2]
    expected = {
        "unregistered_custom_layer.keras": "unknown layer class 'PixelNorm'",
        "hdf5_model_renamed.keras": "an HDF5 (Keras 2) model",
        "half.keras": "the file is incomplete",
    }
    said = []
    for name, data in files.items():
        try:
            load_uploaded_generator(data, name)
        except GeneratorError as e:
            assert expected[name] in str(e) and "\n" not in str(e), str(e)
            said.append(expected[name])
            continue
        raise AssertionError(f"{name} loaded")
    return "; ".join(said)


def spreadsheet_csvs(workdir: Path) -> str:
    """Every points CSV of the shared cases (spreadsheet exports) reads as (n, 2) points."""
    from gan_core.toy import read_points_csv

    shapes = {
        path.name: read_points_csv(path.read_bytes()).points.shape
        for path in sorted((CASE_FILES / "points").glob("*.csv"))
    }
    assert set(shapes.values()) == {(400, 2)}, shapes
    done = _cli(
        workdir,
        "toy",
        "--dataset",
        str(CASE_FILES / "points" / "semicolon_decimal_comma.csv"),
        "--max-seconds",
        "1",
        "--json",
    )
    assert done.returncode == 0, done.stderr[-300:]
    return f"{len(shapes)} files x 400 points; toy CLI on the ';' file exit 0"


def csv_over_the_row_limit(workdir: Path) -> str:
    """A 250,000-row points CSV is cut to the row limit with a note, not refused or read whole."""
    from gan_core.toy import read_points_csv

    angles = np.linspace(0, 2 * np.pi, 250_000)
    text = "".join(f"{np.cos(a):.4f};{np.sin(a):.4f}\n" for a in angles).replace(".", ",")
    read = read_points_csv(text)
    assert read.points.shape == (100_000, 2) and read.notes, read.notes
    return read.notes[0]


def upload_kept_across_pages(workdir: Path) -> str:
    """An uploaded image set stays chosen on the Train page after a visit to another page (AppTest)."""
    os.environ["GAN_LAB_RUNS"] = str(workdir / "runs")
    os.environ["GAN_LAB_CACHE"] = str(workdir / "cache")
    from streamlit.testing.v1 import AppTest

    from ui.train_controls import UPLOAD_OPTION

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.sidebar.selectbox(key="dataset").set_value(UPLOAD_OPTION).run()
    at.sidebar.file_uploader(key="upload_zip").upload(
        "broken_mix.zip", (CASE_FILES / "images" / "broken_mix.zip").read_bytes()
    ).run()
    at.switch_page("app_pages/playground.py").run()
    at.switch_page("app_pages/train.py").run()
    captions = [c.value for c in at.sidebar.caption]
    assert not at.exception and at.sidebar.selectbox(key="dataset").value == UPLOAD_OPTION
    assert any(c.startswith("40 images loaded; 9 files skipped") for c in captions), captions
    return "Train -> 2D playground -> Train: the uploaded zip is still selected, 40 images"


CASES = [
    Case("degenerate and oversized images", degenerate_images),
    Case("zip with broken entries (CLI)", broken_zip_via_cli),
    Case("21 images, batch 32 (CLI)", small_set_via_cli),
    Case("5 images, below the floor (CLI)", below_the_floor_via_cli),
    Case("0.67 gigapixels in a 1 MB zip", pixel_budget),
    Case("generator outputs [0, 255]", generator_range),
    Case("sigmoid generator, tanh config (sample)", generator_config_disagrees_via_sample),
    Case("custom layer, HDF5, cut-short files", generator_files),
    Case("spreadsheet CSVs", spreadsheet_csvs),
    Case("250,000-row CSV", csv_over_the_row_limit),
    Case("upload kept across a page switch", upload_kept_across_pages),
]
