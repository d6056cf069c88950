"""What a browser can make the server do: upload size, and no code run from an uploaded model."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_server_refuses_uploads_above_100_mb():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert 0 < config["server"]["maxUploadSize"] <= 100
    assert config["server"]["address"] == "localhost"  # `streamlit run` alone stays local too


def test_an_uploaded_model_that_needs_unsafe_loading_is_refused_and_its_code_never_runs(tmp_path):
    import keras

    from gan_core.generators.source import GeneratorError, load_uploaded_generator

    marker = tmp_path / "code-ran"
    # A Lambda layer carries Python bytecode; this one leaves a file behind whenever it runs.
    function = eval(f"lambda t: (open({str(marker)!r}, 'w').close(), t)[1]")  # noqa: S307
    z = keras.Input((8,))
    x = keras.layers.Dense(28 * 28)(z)
    x = keras.layers.Lambda(function)(x)
    model = keras.Model(z, keras.layers.Reshape((28, 28, 1))(x))
    model.save(tmp_path / "g.keras")
    marker.unlink()  # building the model above ran it once

    with pytest.raises(GeneratorError, match=r"^g\.keras could not be read as a Keras model: .*Lambda"):
        load_uploaded_generator((tmp_path / "g.keras").read_bytes(), "g.keras")
    assert not marker.exists()
