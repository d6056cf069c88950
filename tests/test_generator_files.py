"""Generator files users bring (tests/data/cases/models) and more of the same kinds: outputs in
another range, a config that disagrees with the model, unknown layer classes, HDF5 and
weights-only files, archives cut short."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

from gan_core.config.presets import preset  # noqa: E402
from gan_core.generators.output_range import PROBE_SEED, decide_output_range  # noqa: E402
from gan_core.generators.running import generate  # noqa: E402
from gan_core.generators.source import GeneratorError, load_generator, load_uploaded_generator, run_source  # noqa: E402

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

CASES = ROOT / "tests" / "data" / "cases" / "models"


def _upload(name: str):
    return load_uploaded_generator((CASES / name).read_bytes(), name)


def _raw(model, source, n=8) -> np.ndarray:
    return np.asarray(model.predict_on_batch(source.latent(0, n)), dtype=np.float64)


def _tiny_generator(head):
    """A real untrained generator, latent 16 -> (28, 28, 1), whose last layers are `head(x)`."""
    import keras

    z = keras.Input((16,))
    x = keras.layers.Dense(7 * 7 * 4)(z)
    x = keras.layers.Reshape((7, 7, 4))(x)
    x = keras.layers.Conv2DTranspose(1, 4, strides=4, padding="same")(x)
    return keras.Model(z, head(x))


def _keras_bytes(model, tmp_path: Path) -> bytes:
    path = tmp_path / "model.keras"
    model.save(str(path))
    return path.read_bytes()


# -- the case files ----------------------------------------------------------------------------


def test_output_0_to_255_case_is_scaled_from_the_measured_range():
    model, source = _upload("output_0_to_255.keras")
    assert source.pixel_range == (0.0, 255.0)
    assert "output range ≈ [0, 255], not [0, 1]" in source.assumptions
    images = generate(model, source.latent(0, 8), source.pixel_range)
    np.testing.assert_array_equal(images, np.clip(np.rint(_raw(model, source)), 0, 255).astype(np.uint8))
    assert images.mean() < 200  # it was drawn all white


def test_output_0_to_1_case_in_a_tanh_run_folder_follows_the_model_with_a_warning(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(CASES / "output_0_to_1.keras", run / "generator.keras")
    (run / "config.json").write_text(preset("dcgan-hacks").to_json())  # says tanh
    model, source = load_generator(run_source(run))
    assert source.pixel_range == (0.0, 1.0) and source.tanh_output is False
    assert (
        "its config says tanh output [-1, 1], the model ends in sigmoid [0, 1]: using the model's" in source.assumptions
    )
    images = generate(model, source.latent(0, 8), source.pixel_range)
    np.testing.assert_array_equal(images, np.clip(np.rint(_raw(model, source) * 255), 0, 255).astype(np.uint8))


def test_sample_command_uses_the_models_range_and_prints_the_warning(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    shutil.copy(CASES / "output_0_to_1.keras", run / "generator.keras")
    (run / "config.json").write_text(preset("dcgan-hacks").to_json())
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run(
        [sys.executable, "-m", "gan_core", "sample", "--run", str(run), "--n", "32", "--out", str(tmp_path / "s.npy")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "note: its config says tanh output [-1, 1], the model ends in sigmoid [0, 1]" in done.stderr
    images = np.load(tmp_path / "s.npy")
    # read as tanh, this model's sigmoid outputs (0.44-0.57) became a uniform grey of 184-202
    assert images.min() < 170


def test_unregistered_custom_layer_case_names_the_class():
    with pytest.raises(GeneratorError) as err:
        _upload("unregistered_custom_layer.keras")
    assert str(err.value) == (
        "unregistered_custom_layer.keras could not be read as a Keras model: "
        "unknown layer class 'PixelNorm': custom code is not loaded"
    )


def test_hdf5_case_is_recognised():
    with pytest.raises(GeneratorError) as err:
        _upload("hdf5_model_renamed.keras")
    assert str(err.value) == (
        "hdf5_model_renamed.keras could not be read as a Keras model: "
        "an HDF5 (Keras 2) model: open it in Keras and save it again as .keras"
    )


# -- more of the same kinds ----------------------------------------------------------------------


def test_a_centred_8_bit_output_is_measured(tmp_path):
    import keras

    model = _tiny_generator(lambda x: keras.layers.Rescaling(127.5)(keras.layers.Activation("tanh")(x * 20.0)))
    _, source = load_uploaded_generator(_keras_bytes(model, tmp_path), "centred.keras")
    assert source.pixel_range == (-127.5, 127.5)
    assert "output range ≈ [-128, 128], not [-1, 1]" in source.assumptions


def test_a_linear_head_is_scaled_from_what_it_outputs(tmp_path):
    model = _tiny_generator(lambda x: x * 1000.0 + 500.0)  # fits none of the usual ranges
    loaded, source = load_uploaded_generator(_keras_bytes(model, tmp_path), "linear.keras")
    assert any(
        note.startswith("output range measured as [")
        and note.endswith("scaled from it (no tanh or sigmoid at the end)")
        for note in source.assumptions
    )
    images = generate(loaded, source.latent(PROBE_SEED, 32), source.pixel_range)
    assert images.min() == 0 and images.max() == 255  # the probe's outputs span every pixel value


@pytest.mark.parametrize(
    "probe, activation, config, expected, note",
    [
        (np.linspace(0.45, 0.55, 50), "sigmoid", None, (0.0, 1.0), "output activation is sigmoid: pixels in [0, 1]"),
        (np.linspace(3, 240, 50), "sigmoid", None, (0.0, 255.0), "output range ≈ [0, 255], not [0, 1]"),
        (
            np.linspace(-0.9, 0.95, 50),
            None,
            None,
            (-1.0, 1.0),
            "output range ≈ [-1, 1] (no tanh or sigmoid at the end)",
        ),
        (np.linspace(0.1, 0.9, 50), None, "tanh", (-1.0, 1.0), None),
        (
            np.linspace(0.1, 0.9, 50),
            "sigmoid",
            "tanh",
            (0.0, 1.0),
            "its config says tanh output [-1, 1], the model ends in sigmoid [0, 1]: using the model's",
        ),
        (
            np.linspace(-0.2, 0.8, 50),
            "tanh",
            "sigmoid",
            (-1.0, 1.0),
            "its config says sigmoid output [0, 1], the model ends in tanh [-1, 1]: using the model's",
        ),
    ],
)
def test_output_range_decision(probe, activation, config, expected, note):
    decision = decide_output_range(probe, activation, config)
    assert decision.range == expected
    assert (note in decision.notes) if note else decision.notes == ()


def test_a_generator_that_outputs_nan_is_one_line(tmp_path):
    model = _tiny_generator(lambda x: x * float("nan"))
    with pytest.raises(GeneratorError, match=r"nan.keras: the generator's output on a probe batch is not finite"):
        load_uploaded_generator(_keras_bytes(model, tmp_path), "nan.keras")


def test_another_unknown_layer_class_is_named(tmp_path):
    # the case file with its custom class renamed: any class the app cannot import is named
    source = zipfile.ZipFile(CASES / "unregistered_custom_layer.keras")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            archive.writestr(name, data.replace(b"PixelNorm", b"SpectralWarp") if name == "config.json" else data)
    with pytest.raises(GeneratorError, match=r"unknown layer class 'SpectralWarp': custom code is not loaded$"):
        load_uploaded_generator(out.getvalue(), "warp.keras")


def test_weights_only_files_are_recognised(tmp_path):
    model = _tiny_generator(lambda x: x)
    model.save_weights(str(tmp_path / "g.weights.h5"))
    with pytest.raises(GeneratorError, match=r"an HDF5 weights-only file \(no model architecture\)"):
        load_uploaded_generator((tmp_path / "g.weights.h5").read_bytes(), "g.keras")
    # a .keras archive with its config.json taken out
    whole = zipfile.ZipFile(io.BytesIO(_keras_bytes(model, tmp_path)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in whole.namelist():
            if name != "config.json":
                archive.writestr(name, whole.read(name))
    with pytest.raises(GeneratorError, match=r"a weights-only archive \(no config.json\)"):
        load_uploaded_generator(out.getvalue(), "w.keras")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_an_archive_cut_short_says_it_is_incomplete(keep):
    data = (CASES / "output_0_to_1.keras").read_bytes()
    with pytest.raises(GeneratorError, match=r"the file is incomplete \(cut short"):
        load_uploaded_generator(data[: int(len(data) * keep)], "cut.keras")


def test_a_damaged_archive_member_says_so():
    data = bytearray((CASES / "output_0_to_1.keras").read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("model.weights.h5")
    data[info.header_offset + 30 + len(info.filename) + 200] ^= 0xFF  # inside the weights
    with pytest.raises(GeneratorError, match=r"damaged or incomplete \(model.weights.h5 fails its checksum\)"):
        load_uploaded_generator(bytes(data), "hurt.keras")


def test_uploads_are_loaded_with_safe_mode(tmp_path):
    import keras

    model = _tiny_generator(lambda x: keras.layers.Lambda(lambda t: t * 2.0)(x))
    with pytest.raises(GeneratorError, match=r"a Lambda layer \(Python code\), which is not run from uploaded"):
        load_uploaded_generator(_keras_bytes(model, tmp_path), "lambda.keras")
    assert json.loads(zipfile.ZipFile(tmp_path / "model.keras").read("config.json"))  # a real archive
