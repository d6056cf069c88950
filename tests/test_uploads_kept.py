"""Uploads in the app: identified by their content, and still selected after a visit to
another page (Streamlit drops a page's widget state when another page is shown)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]

from ui.train_controls import UPLOAD_OPTION  # noqa: E402

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

CASES = ROOT / "tests" / "data" / "cases"
TIMEOUT = 120  # the first run imports TensorFlow; a generator upload loads a model


@pytest.fixture
def app(tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("GAN_LAB_CACHE", str(tmp_path / "cache"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _visit(at: AppTest, page: str, back: str) -> None:
    """Show another page, then come back, as a user clicking the menu does."""
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    at.switch_page(back).run()
    assert not at.exception, [e.message for e in at.exception]


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption] + [c.value for c in at.sidebar.caption]


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _bmp(value: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((16, 16), value, dtype=np.uint8)).save(buf, format="BMP")
    return buf.getvalue()


def test_train_upload_survives_a_page_switch_and_its_caption_says_what_was_left_out(app):
    app.sidebar.selectbox(key="dataset").set_value(UPLOAD_OPTION).run()
    app.sidebar.file_uploader(key="upload_zip").upload(
        "broken_mix.zip", (CASES / "images" / "broken_mix.zip").read_bytes()
    ).run()
    summary = "40 images loaded; 9 files skipped (7 not an image, 2 damaged)"
    crop = "each image is centre-cropped to a square, then resized"
    assert any(summary in c and crop in c for c in _captions(app)), _captions(app)
    assert not app.error

    _visit(app, "app_pages/playground.py", "app_pages/train.py")

    assert app.sidebar.selectbox(key="dataset").value == UPLOAD_OPTION
    assert any(summary in c for c in _captions(app)), _captions(app)
    assert any("Using **broken_mix.zip** (uploaded before)" in c for c in _captions(app))
    assert not app.error and not app.button(key="btn_start").disabled


def test_train_page_fits_the_batch_or_refuses_before_start(app):
    app.sidebar.selectbox(key="dataset").set_value(UPLOAD_OPTION).run()
    app.sidebar.file_uploader(key="upload_zip").upload(
        "small.zip", (CASES / "images" / "small_set_21_cmyk.zip").read_bytes()
    ).run()
    infos = [i.value for i in app.sidebar.info]
    assert any("has 21 images, fewer than one batch of 32: training with batch size 20" in i for i in infos), infos
    assert app.session_state["pending_config"].run.batch_size == 20

    app.sidebar.file_uploader(key="upload_zip").upload("five.zip", _zip({f"{i}.bmp": _bmp(40 * i) for i in range(5)}))
    app.run()
    assert [e.value for e in app.error] == [
        "'five.zip' has 5 images; training needs at least 8 (the smallest batch): add more images"
    ]
    assert app.button(key="btn_start").disabled


def test_two_zips_with_the_same_name_and_size_are_two_data_sets(app):
    # BMPs stored uncompressed all have the same size: one zip holds a text file in place of a fourth image
    first = _zip({"a.bmp": _bmp(10), "b.bmp": _bmp(20), "c.bmp": _bmp(30), "d.bmp": b"x" * len(_bmp(0))})
    second = _zip({"a.bmp": _bmp(10), "b.bmp": _bmp(20), "c.bmp": _bmp(30), "d.bmp": _bmp(40)})
    assert len(first) == len(second)
    app.sidebar.selectbox(key="dataset").set_value(UPLOAD_OPTION).run()
    uploader = app.sidebar.file_uploader(key="upload_zip")
    uploader.upload("set.zip", first).run()
    assert any(c.startswith("3 images loaded; 1 file skipped (1 not an image)") for c in _captions(app))
    app.sidebar.file_uploader(key="upload_zip").upload("set.zip", second).run()
    assert any(c.startswith("4 images loaded ·") for c in _captions(app)), _captions(app)


def test_playground_csv_survives_a_page_switch(app):
    app.switch_page("app_pages/playground.py").run()
    app.selectbox(key="toy_dataset").set_value("Your own points (CSV)").run()
    app.file_uploader(key="toy_csv").upload(
        "semicolon_decimal_comma.csv", (CASES / "points" / "semicolon_decimal_comma.csv").read_bytes()
    ).run()
    assert not app.error and not app.info

    _visit(app, "app_pages/hacks_guide.py", "app_pages/playground.py")

    assert app.selectbox(key="toy_dataset").value == "Your own points (CSV)"
    assert not app.error and not app.info, [i.value for i in app.info]
    assert any("Using **semicolon_decimal_comma.csv**" in c for c in _captions(app))


def test_latent_explorer_upload_survives_a_page_switch(app):
    app.switch_page("app_pages/latent_explorer.py").run()
    app.selectbox(key="latent_generator").set_value("Upload a .keras file").run()
    app.file_uploader(key="latent_upload").upload(
        "output_0_to_255.keras", (CASES / "models" / "output_0_to_255.keras").read_bytes()
    ).run()
    assert any("output in [0, 255]" in c for c in _captions(app)), _captions(app)
    assert any("output range ≈ [0, 255], not [0, 1]" in i.value for i in app.info)

    _visit(app, "app_pages/hacks_guide.py", "app_pages/latent_explorer.py")

    assert app.selectbox(key="latent_generator").value == "Upload a .keras file"
    assert any("output in [0, 255]" in c for c in _captions(app)), _captions(app)
    assert any("Using **output_0_to_255.keras**" in c for c in _captions(app))
