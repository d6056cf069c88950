"""The user's own images (folders and zips) as untrusted input, including what a user can get wrong."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

from gan_core.data import DataError, UserImageLimits, load_images, load_images_from_folder, load_images_from_zip_bytes  # noqa: E402

# ---------------------------------------------------------------- user images


def _png(path, array, fmt="PNG") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(array, dtype=np.uint8)).save(path, format=fmt)


def _gray(height, width, value=128):
    return np.full((height, width), value, dtype=np.uint8)


def _zip_bytes(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _png_bytes(array) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.asarray(array, dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def test_grayscale_folder_becomes_28_pixel_squares(tmp_path):
    # a wide image: black left and right thirds, white middle; the center crop keeps the middle
    wide = np.zeros((20, 60), dtype=np.uint8)
    wide[:, 20:40] = 255
    _png(tmp_path / "set" / "wide.png", wide)
    _png(tmp_path / "set" / "sub" / "small.bmp", _gray(10, 10, 50), fmt="BMP")
    _png(tmp_path / "set" / "photo.jpg", np.stack([_gray(40, 30, 90)] * 3, axis=-1), fmt="JPEG")

    data = load_images(str(tmp_path / "set"))

    assert data.name == "set" and data.labels is None
    assert data.images.shape == (3, 28, 28, 1) and data.images.dtype == np.uint8
    by_mean = sorted(float(image.mean()) for image in data.images)
    assert by_mean[0] == pytest.approx(50, abs=1) and by_mean[1] == pytest.approx(90, abs=2)
    assert by_mean[2] == pytest.approx(255, abs=1)


def test_one_colour_image_makes_the_set_rgb_at_32_pixels(tmp_path):
    _png(tmp_path / "a.png", _gray(30, 30))
    _png(tmp_path / "b.png", np.dstack([_gray(30, 30, 200), _gray(30, 30, 10), _gray(30, 30, 10)]))

    data = load_images_from_folder(tmp_path)

    assert data.images.shape == (2, 32, 32, 3)
    colours = sorted(image[0, 0].tolist() for image in data.images)
    assert colours == [[128, 128, 128], [200, 10, 10]]


def test_every_accepted_format_loads(tmp_path):
    for suffix, fmt, options in (
        (".png", "PNG", {}),
        (".jpg", "JPEG", {}),
        (".jpeg", "JPEG", {}),
        (".bmp", "BMP", {}),
        (".gif", "GIF", {}),
        (".webp", "WEBP", {"lossless": True}),
    ):
        Image.fromarray(_gray(12, 12, 60)).save(tmp_path / f"img{suffix}", format=fmt, **options)
    data = load_images_from_folder(tmp_path)
    assert data.images.shape == (6, 28, 28, 1)
    assert np.abs(data.images.astype(int) - 60).max() <= 2


def test_16_bit_grayscale_is_scaled_not_clipped(tmp_path):
    Image.fromarray(np.full((8, 8), 257 * 100, dtype=np.uint16)).save(tmp_path / "deep.png")
    assert set(np.unique(load_images_from_folder(tmp_path).images).tolist()) == {100}


def test_image_size_sets_the_side(tmp_path):
    _png(tmp_path / "a.png", _gray(50, 40))
    assert load_images(str(tmp_path), image_size=16).images.shape == (1, 16, 16, 1)


def test_image_size_out_of_range_is_rejected(tmp_path):
    _png(tmp_path / "a.png", _gray(50, 40))
    with pytest.raises(DataError, match="image size must be between"):
        load_images_from_folder(tmp_path, image_size=2)


def test_file_content_decides_not_the_name(tmp_path):
    _png(tmp_path / "real_image.txt", _gray(8, 8))
    (tmp_path / "fake.png").write_text("just text")
    (tmp_path / "notes.md").write_text("hello")

    data = load_images_from_folder(tmp_path)

    assert len(data) == 1


def test_hidden_files_and_macos_metadata_are_ignored(tmp_path):
    _png(tmp_path / "digit.png", _gray(8, 8))
    _png(tmp_path / ".thumbnail.png", _gray(8, 8))
    _png(tmp_path / "__MACOSX" / "digit.png", _gray(8, 8))
    _png(tmp_path / ".cache" / "digit.png", _gray(8, 8))
    assert len(load_images_from_folder(tmp_path)) == 1


def test_transparent_pixels_become_white(tmp_path):
    rgba = np.zeros((10, 10, 4), dtype=np.uint8)  # fully transparent black
    rgba[:5, :, :] = [0, 0, 0, 255]  # top half opaque black
    _png(tmp_path / "icon.png", rgba)
    image = load_images_from_folder(tmp_path, image_size=10).images[0, ..., 0]
    assert image[0].max() == 0 and image[-1].min() == 255


def test_zip_upload_and_zip_path_give_the_same_images(tmp_path):
    files = {
        "digits/one.png": _png_bytes(_gray(28, 28, 10)),
        "digits/two.png": _png_bytes(_gray(40, 40, 240)),
        "__MACOSX/digits/._one.png": b"resource fork",
        "readme.txt": b"my digits",
    }
    data = _zip_bytes(files)
    (tmp_path / "digits.zip").write_bytes(data)

    uploaded = load_images_from_zip_bytes(data, "upload.zip")
    from_path = load_images(str(tmp_path / "digits.zip"))

    assert uploaded.name == "upload.zip" and from_path.name == "digits.zip"
    assert uploaded.images.shape == (2, 28, 28, 1)
    np.testing.assert_array_equal(uploaded.images, from_path.images)


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="no such folder"):
        load_images_from_folder(tmp_path / "nope")


def test_empty_folder(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    with pytest.raises(DataError, match="has no files"):
        load_images(str(tmp_path))


def test_folder_without_images_says_how_many_files_were_skipped(tmp_path):
    for name in ("a.txt", "b.csv", "c.png"):
        (tmp_path / name).write_text("not an image")
    with pytest.raises(DataError) as err:
        load_images(str(tmp_path))
    message = str(err.value)
    assert "no images" in message and "3 files skipped (3 not an image)" in message and "PNG" in message


def test_damaged_image_is_counted_as_damaged(tmp_path):
    whole = _png_bytes(np.random.default_rng(1).integers(0, 256, (64, 64), dtype=np.uint8))
    (tmp_path / "cut.png").write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match=r"1 file skipped \(1 damaged\)"):
        load_images_from_folder(tmp_path)


@pytest.mark.parametrize("suffix", [".png", ""])  # named as images, or found only by content
def test_too_many_images(tmp_path, suffix):
    for i in range(3):
        _png(tmp_path / f"{i}{suffix}", _gray(8, 8))
    with pytest.raises(DataError, match="more than 2 images"):
        load_images_from_folder(tmp_path, limits=UserImageLimits(max_images=2))


def test_images_over_the_side_limit_are_left_out(tmp_path):
    _png(tmp_path / "long.png", _gray(4, 4100))
    _png(tmp_path / "ok.png", _gray(8, 8))
    assert len(load_images_from_folder(tmp_path)) == 1
    (tmp_path / "ok.png").unlink()
    with pytest.raises(DataError, match="larger than 4096x4096"):
        load_images_from_folder(tmp_path)


def test_a_file_that_is_not_a_zip(tmp_path):
    (tmp_path / "images.tar").write_bytes(b"tar data")
    with pytest.raises(DataError, match="not a .zip"):
        load_images(str(tmp_path / "images.tar"))


def test_corrupt_zip(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(DataError, match="'broken.zip' is not a readable zip file"):
        load_images(str(tmp_path / "broken.zip"))


@pytest.mark.parametrize("entry", ["../escape.png", "/etc/abs.png", "a/../../b.png", "C:\\win.png"])
def test_zip_entries_outside_the_archive_are_refused(entry):
    data = _zip_bytes({"fine.png": _png_bytes(_gray(8, 8)), entry: _png_bytes(_gray(8, 8))})
    with pytest.raises(DataError, match="unsafe path"):
        load_images_from_zip_bytes(data, "evil.zip")


def test_zip_bomb_is_refused():
    data = _zip_bytes({"zeros.bmp": bytes(20 * 1024 * 1024)})  # 20 MB of zeros, ~20 kB packed
    with pytest.raises(DataError, match="zip bomb"):
        load_images_from_zip_bytes(data, "bomb.zip")


def test_zip_over_the_size_limit_is_refused():
    data = _zip_bytes({f"{i}.png": _png_bytes(_gray(32, 32)) for i in range(3)}, zipfile.ZIP_STORED)
    with pytest.raises(DataError, match="unpacks to .* MB, more than"):
        load_images_from_zip_bytes(data, "big.zip", limits=UserImageLimits(max_total_bytes=200))


def test_password_protected_zip_is_refused():
    data = bytearray(_zip_bytes({"a.png": _png_bytes(_gray(8, 8))}, zipfile.ZIP_STORED))
    # set the "encrypted" flag bit in the local and central headers, as an encrypting zip tool does
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + flag_offset
        data[at] |= 0x1
    with pytest.raises(DataError, match="password protected"):
        load_images_from_zip_bytes(bytes(data), "secret.zip")


def test_zip_without_files():
    with pytest.raises(DataError, match="has no files"):
        load_images_from_zip_bytes(_zip_bytes({"folder/": b"", "__MACOSX/x.png": b""}), "empty.zip")


def test_zip_with_a_damaged_entry():
    image = _png_bytes(np.random.default_rng(2).integers(0, 256, (16, 16), dtype=np.uint8))
    data = bytearray(_zip_bytes({"a.png": image}, zipfile.ZIP_STORED))
    data[data.index(image) + len(image) // 2] ^= 0xFF  # flip bits inside the stored file: its CRC fails
    with pytest.raises(DataError, match="'hurt.zip' is damaged at a.png"):
        load_images_from_zip_bytes(bytes(data), "hurt.zip")
