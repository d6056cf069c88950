"""Trained generators: where they come from (pretrained, runs, uploads), how to load and
run them, latent-space math, image conversion and encoding, sampling to files.

Modules: `files`, `images`, `latent`, `meta`, `output_range`, `pretrained`, `running`, `sampling`,
`source`.

Public names are exported lazily (PEP 562), so importing one light module does not
load TensorFlow through its neighbours.
"""

from importlib import import_module

_EXPORTS = {
    "CHUNK": "source",
    "CONFIG_FILE": "source",
    "DISTRIBUTIONS": "latent",
    "ENTRY": "meta",
    "GENERATOR_FILE": "source",
    "GeneratorError": "source",
    "GeneratorSource": "source",
    "HDF5_SIGNATURE": "files",
    "MIN_FILL": "output_range",
    "PRETRAINED_DIR_ENV": "source",
    "PROBE_SEED": "output_range",
    "RANGE_OF_ACTIVATION": "output_range",
    "RangeDecision": "output_range",
    "SIGMOID_RANGE": "output_range",
    "SLACK": "output_range",
    "TANH_RANGE": "output_range",
    "USUAL_RANGES": "output_range",
    "ZIP_SIGNATURE": "files",
    "angle_between": "latent",
    "build": "pretrained",
    "decide_output_range": "output_range",
    "generate": "running",
    "gif_bytes": "images",
    "image_grid": "images",
    "interpolate": "latent",
    "interpolation_strip": "running",
    "interpolation_strip_seconds": "running",
    "lerp": "latent",
    "list_run_sources": "source",
    "load_error_line": "files",
    "load_generator": "source",
    "load_uploaded_generator": "source",
    "main": "pretrained",
    "model_file_problem": "files",
    "nearest_real": "latent",
    "output_activation": "output_range",
    "png_bytes": "images",
    "pretrained_dir": "source",
    "pretrained_source": "source",
    "random_directions": "latent",
    "range_text": "output_range",
    "read_meta": "meta",
    "run_source": "source",
    "runs_dir": "source",
    "sample_images": "sampling",
    "sample_latent": "latent",
    "sample_run": "sampling",
    "save_generator_with_meta": "meta",
    "slerp": "latent",
    "strip_and_gif": "running",
    "to_model_scale": "images",
    "to_pixels": "output_range",
    "to_uint8": "images",
    "training_meta": "meta",
    "upscale": "images",
    "vector_arithmetic": "latent",
    "walk_2d": "latent",
    "walk_directions": "latent",
    "with_class_code": "latent",
    "with_training_meta": "source",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the module that defines `name` on first use."""
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
