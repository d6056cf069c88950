"""Image sets users bring (tests/data/cases/images) and more of the same kinds: degenerate
sizes, strips, files over the limits, broken zips, CMYK, sets smaller than one batch."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

from gan_core.data import (  # noqa: E402
    MIN_BATCH,
    DataError,
    UserImageLimits,
    fitted_batch_size,
    load_images,
    load_images_from_folder,
    load_images_from_zip_bytes,
)

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

CASES = ROOT / "tests" / "data" / "cases" / "images"


def _save(path: Path, array, fmt="PNG", **options) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(array, dtype=np.uint8)).save(path, format=fmt, **options)


def _gray(height, width, value=128):
    return np.full((height, width), value, dtype=np.uint8)


def _cli(*args, env_extra=None, timeout=600):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "gan_core", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


# -- the case files ----------------------------------------------------------------------------


def test_odd_sizes_case_skips_degenerate_and_oversized_images_in_one_summary():
    data = load_images(str(CASES / "odd_sizes"))
    assert len(data) == 5  # 3 normal 28x28, the landscape photo and the portrait
    assert data.summary == ("5 images loaded; 4 files skipped (3 smaller than 8 px on a side, 1 larger than 4096x4096)")


def test_non_square_case_photos_are_centre_cropped(tmp_path):
    for name in ("landscape_192x108_0.jpg", "portrait_60x200_0.png"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_bytes((CASES / "odd_sizes" / name).read_bytes())
        loaded = load_images_from_folder(folder, image_size=28).images[0]
        with Image.open(CASES / "odd_sizes" / name) as image:
            rgb = image.convert("RGB")
        w, h = rgb.size
        side = min(w, h)
        box = ((w - side) // 2, (h - side) // 2, (w - side) // 2 + side, (h - side) // 2 + side)
        expected = np.asarray(rgb.crop(box).resize((28, 28), Image.Resampling.LANCZOS))
        if loaded.shape[-1] == 1:
            expected = expected[..., :1]
        assert np.abs(loaded.astype(int) - expected.astype(int)).max() <= 2, name


def test_broken_mix_case_loads_its_40_good_images_and_counts_the_9_others():
    data = load_images(str(CASES / "broken_mix.zip"))
    assert len(data) == 40
    assert data.summary == "40 images loaded; 9 files skipped (7 not an image, 2 damaged)"


def test_cmyk_case_is_21_colour_images():
    data = load_images(str(CASES / "small_set_21_cmyk.zip"))
    assert data.images.shape == (21, 32, 32, 3) and not data.skipped
    assert data.summary == "21 images loaded"
    assert len({tuple(image.reshape(-1, 3).mean(axis=0).round()) for image in data.images}) > 10


# -- more of the same kinds ----------------------------------------------------------------------


def test_small_images_and_strips_are_skipped_and_counted_whatever_their_format(tmp_path):
    _save(tmp_path / "icon.gif", _gray(7, 7), fmt="GIF")  # under 8 px
    _save(tmp_path / "line.bmp", _gray(2, 300), fmt="BMP")  # a strip, and under 8 px
    _save(tmp_path / "banner.jpg", _gray(30, 130), fmt="JPEG")  # 4.3:1
    _save(tmp_path / "tall.webp", _gray(170, 40), fmt="WEBP")  # 4.25:1
    _save(tmp_path / "edge_4_to_1.png", _gray(8, 32))  # exactly 4:1 and 8 px: kept
    _save(tmp_path / "photo.png", _gray(40, 60))
    data = load_images_from_folder(tmp_path)
    assert len(data) == 2
    assert data.summary == ("2 images loaded; 4 files skipped (2 aspect ratio over 4:1, 2 smaller than 8 px on a side)")


def test_only_degenerate_images_is_one_line_naming_the_rules(tmp_path):
    _save(tmp_path / "a.png", _gray(1, 1))
    _save(tmp_path / "b.png", _gray(3, 3))
    with pytest.raises(DataError) as err:
        load_images_from_folder(tmp_path)
    message = str(err.value)
    assert "2 files skipped (2 smaller than 8 px on a side)" in message and "\n" not in message
    assert "at least 8 px a side" in message


def test_zip_with_bad_entries_uses_the_good_ones_and_counts_the_rest():
    good = io.BytesIO()
    Image.fromarray(_gray(20, 20, 90)).save(good, format="PNG")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for i in range(8):
            archive.writestr(f"set/{i}.png", good.getvalue())
        archive.writestr("set/empty.png", b"")
        archive.writestr("set/page.jpg", b"<html>404</html>")
        noisy = io.BytesIO()
        Image.fromarray(np.random.default_rng(3).integers(0, 256, (40, 40), dtype=np.uint8)).save(noisy, "PNG")
        archive.writestr("set/cut.png", noisy.getvalue()[: len(noisy.getvalue()) // 2])  # a broken download
    data = load_images_from_zip_bytes(buf.getvalue(), "mine.zip")
    assert len(data) == 8
    assert data.summary == "8 images loaded; 3 files skipped (2 not an image, 1 damaged)"


def test_cmyk_jpeg_keeps_its_colours(tmp_path):
    rgb = np.zeros((32, 32, 3), dtype=np.uint8)
    rgb[:16] = (200, 40, 30)  # red top
    rgb[16:] = (20, 60, 180)  # blue bottom
    Image.fromarray(rgb).convert("CMYK").save(tmp_path / "print.jpg", format="JPEG", quality=95)
    assert Image.open(tmp_path / "print.jpg").mode == "CMYK"
    image = load_images_from_folder(tmp_path, image_size=32).images[0].astype(int)
    assert np.abs(image[4:12, 4:28] - (200, 40, 30)).max() <= 12
    assert np.abs(image[20:28, 4:28] - (20, 60, 180)).max() <= 12


def test_palette_and_gray_alpha_images_are_converted(tmp_path):
    palette = Image.fromarray(np.tile(np.arange(0, 200, 10, dtype=np.uint8), (20, 1))).convert("P")
    palette.save(tmp_path / "palette.png")
    la = Image.fromarray(np.dstack([_gray(20, 20, 30), np.full((20, 20), 255, np.uint8)]), mode="LA")
    la.save(tmp_path / "gray_alpha.png")
    data = load_images_from_folder(tmp_path, image_size=20)
    assert data.images.shape == (2, 20, 20, 1)
    assert sorted(int(image.min()) for image in data.images) == [0, 30]


def test_pillow_warning_text_is_never_printed(tmp_path):
    # Pillow warns between MAX_IMAGE_PIXELS and twice that; lowered here so a small file triggers it
    _save(tmp_path / "set" / "big.png", _gray(40, 40))
    code = (
        "from PIL import Image; Image.MAX_IMAGE_PIXELS = 1000\n"
        "from gan_core.data import load_images\n"
        f"print(len(load_images({str(tmp_path / 'set')!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "default", "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "1", done.stderr
    assert "Warning" not in done.stderr and "DecompressionBomb" not in done.stderr, done.stderr


def test_decoding_is_bounded_in_total_pixels(tmp_path):
    for i in range(3):
        _save(tmp_path / f"{i}.png", _gray(100, 100))
    with pytest.raises(DataError) as err:
        load_images_from_folder(tmp_path, limits=UserImageLimits(max_total_pixels=25_000))
    assert str(err.value) == (
        "'" + tmp_path.name + "' holds more than 25,000 pixels of images in total "
        "(width x height as decoded); use fewer or smaller images"
    )
    assert len(load_images_from_folder(tmp_path, limits=UserImageLimits(max_total_pixels=30_000))) == 3


def test_decoding_is_bounded_in_wall_time(tmp_path):
    for i in range(3):
        _save(tmp_path / f"{i}.png", _gray(100, 100))
    with pytest.raises(DataError, match=r"took more than 0 s \(0 images so far\): use fewer or smaller"):
        load_images_from_folder(tmp_path, limits=UserImageLimits(max_seconds=0.0))


# -- sets smaller than one batch -----------------------------------------------------------------


@pytest.mark.parametrize("n, batch, expected", [(40, 32, 32), (21, 32, 20), (9, 64, 8), (8, 8, 8), (64, 64, 64)])
def test_batch_is_lowered_to_the_largest_even_size_the_set_fills(n, batch, expected):
    fitted, note = fitted_batch_size(n, batch, "'mine'")
    assert fitted == expected
    assert (note == "") == (expected == batch)
    if note:
        assert note == (
            f"'mine' has {n} images, fewer than one batch of {batch}: training with batch size "
            f"{expected} (the smallest allowed is {MIN_BATCH})"
        )


def test_a_set_below_the_floor_is_one_line():
    with pytest.raises(DataError) as err:
        fitted_batch_size(7, 32, "'tiny.zip'")
    assert str(err.value) == "'tiny.zip' has 7 images; training needs at least 8 (the smallest batch): add more images"


def test_cli_trains_the_21_image_case_with_a_lowered_batch_and_says_so(tmp_path):
    out = tmp_path / "run"
    done = _cli(
        "train",
        "--preset",
        "dcgan-hacks",
        "--data",
        str(CASES / "small_set_21_cmyk.zip"),
        "--epochs",
        "1",
        "--out",
        str(out),
        env_extra={"GAN_LAB_CACHE": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert (
        "note: 'small_set_21_cmyk.zip' has 21 images, fewer than one batch of 32: training with batch "
        "size 20 (the smallest allowed is 8)"
    ) in done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads((out / "config.json").read_text())["run"]["batch_size"] == 20


def test_cli_prints_the_skipped_summary_of_the_broken_mix_case(tmp_path):
    done = _cli(
        "train",
        "--preset",
        "seed-tutorial",
        "--data",
        str(CASES / "broken_mix.zip"),
        "--epochs",
        "1",
        "--out",
        str(tmp_path / "run"),
        env_extra={"GAN_LAB_CACHE": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    assert "note: 40 images loaded; 9 files skipped (7 not an image, 2 damaged)" in done.stderr


def test_cli_refuses_a_set_below_the_floor_in_one_line_with_exit_2(tmp_path):
    for i in range(5):
        _save(tmp_path / "five" / f"{i}.png", _gray(28, 28, 40 * i))
    done = _cli("train", "--data", str(tmp_path / "five"), "--epochs", "1", "--out", str(tmp_path / "run"))
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: 'five' has 5 images; training needs at least 8 (the smallest batch): add more images"
    )
    assert not (tmp_path / "run").exists()
