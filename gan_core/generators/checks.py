"""Whether a file may be loaded as a generator, decided before Keras builds it.

Three checks, each refusing in one line (GeneratorError): the archive (files.py: its zip
directory's sizes, CRCs, config.json within its limit), read for an upload in a bounded
worker process (the server's GIL stays free); the model's shapes (a generator takes
(batch, n) and returns (batch, H, W, 1 or 3)); and its size from its config
(model_size.py: parameters, image side, largest layer output) without building weights.
"""

from __future__ import annotations

from pathlib import Path

from gan_core.generators.files import ArchiveProblem, KerasArchive, load_error_line, read_keras_archive
from gan_core.generators.model_size import measure_config, size_problem
from gan_core.uploads.bounded_worker import WorkLimits, WorkRefused, run_bounded

# Reading an uploaded archive: its directory, CRCs (up to 100 MB of weights) and config.json
# take well under a second; h5py, for an HDF5 file, is imported within the memory.
ARCHIVE_LIMITS = WorkLimits(seconds=20.0, memory_mb=512, imports=("gan_core.generators.files",))


class GeneratorError(ValueError):
    """A generator could not be found, read or used; the message is one line a user can act on."""


def _shape_text(shapes) -> str:
    def one(s):
        """One shape as text, None shown as 'batch': (batch, 28, 28, 1)."""
        return "(" + ", ".join("batch" if d is None else str(d) for d in s) + ")"

    return one(shapes[0]) if len(shapes) == 1 else "[" + ", ".join(one(s) for s in shapes) + "]"


def model_shapes(model) -> tuple[list[tuple], list[tuple]]:
    """(input shapes, output shapes) of a Keras model; GeneratorError when it has none defined."""
    try:
        return [tuple(t.shape) for t in model.inputs], [tuple(t.shape) for t in model.outputs]
    except (AttributeError, TypeError, ValueError):
        raise GeneratorError(
            "this file is not a generator: its inputs and outputs are not defined "
            "(save a functional or Sequential model with an Input)"
        ) from None


def check_generator_shape(ins: list[tuple], outs: list[tuple]) -> tuple[int, tuple[int, int, int]]:
    """(input size, (H, W, C)) of a model taking `ins` and returning `outs`; GeneratorError
    (one line) unless it takes (batch, n) and returns (batch, H, W, 1 or 3)."""
    if not ins or not outs:
        raise GeneratorError(
            "this file is not a generator: its inputs and outputs are not defined "
            "(save a functional or Sequential model with an Input)"
        )
    ok = (
        len(ins) == 1
        and len(ins[0]) == 2
        and ins[0][1] is not None
        and len(outs) == 1
        and len(outs[0]) == 4
        and outs[0][3] in (1, 3)
        and outs[0][1] is not None
        and outs[0][2] is not None
    )
    if not ok:
        raise GeneratorError(
            f"this file is not a generator: it takes {_shape_text(ins)} and returns "
            f"{_shape_text(outs)}; a generator takes (batch, latent_dim) and returns "
            f"(batch, height, width, 1 or 3)"
        )
    return int(ins[0][1]), (int(outs[0][1]), int(outs[0][2]), int(outs[0][3]))


def read_archive(path: Path, shown_name: str) -> KerasArchive:
    """The checked archive (files.read_keras_archive); GeneratorError naming what the file is."""
    try:
        return read_keras_archive(path)
    except ArchiveProblem as e:
        raise GeneratorError(f"{shown_name} could not be read as a Keras model: {e}") from None


def check_size(config: dict, path: Path, shown_name: str) -> None:
    """Measure the model `config` describes without building its weights (model_size.py);
    GeneratorError (one line) when Keras cannot build it, it is not a generator, or it passes
    a size limit."""
    try:
        size = measure_config(config)
    except Exception as e:  # Keras raises many kinds for a bad config; the user needs one line
        raise GeneratorError(
            f"{shown_name} could not be read as a Keras model: {load_error_line(e, str(path), shown_name)}"
        ) from None
    check_generator_shape(list(size.input_shapes), list(size.output_shapes))
    problem = size_problem(size)
    if problem:
        raise GeneratorError(f"{shown_name} is too large to load here: {problem}")


def read_archive_bounded(path: Path, shown_name: str) -> KerasArchive:
    """read_keras_archive in a bounded worker (gan_core.uploads.bounded_worker); GeneratorError (one
    line) for a problem with the file or a worker that ran past ARCHIVE_LIMITS."""
    try:
        return run_bounded(read_keras_archive, (str(path),), limits=ARCHIVE_LIMITS, what=shown_name)
    except ArchiveProblem as e:
        raise GeneratorError(f"{shown_name} could not be read as a Keras model: {e}") from None
    except WorkRefused as e:
        raise GeneratorError(str(e)) from None
