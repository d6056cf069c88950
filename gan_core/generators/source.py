"""Where generators come from (the shipped pretrained one, training runs, uploads) and how to load them.

A generator is a Keras 3 model saved as `.keras`: (batch, latent_dim) in, (batch, H, W, C)
out with C in {1, 3}. A class-conditional one (see gan_core/nets/conditional.py) takes a one-hot class
code after z and says so in its name. Its config.json, when there is one, says how to
sample its latent space and how to read its pixels; without one we assume and say so.
Running a loaded one (latent points to images, interpolation strips) is running.py.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.generators.checks import (
    GeneratorError,
    check_generator_shape,
    check_size,
    model_shapes,
    read_archive,
    read_archive_bounded,
)
from gan_core.generators.files import KerasArchive, load_error_line
from gan_core.generators.latent import sample_latent
from gan_core.generators.output_range import PROBE_SEED, TANH_RANGE, decide_output_range, output_activation
from gan_core.nets.conditional import classes_of

PRETRAINED_DIR_ENV = "GAN_LAB_PRETRAINED_DIR"
GENERATOR_FILE = "generator.keras"
CONFIG_FILE = "config.json"

# One fixed batch shape for every model call: Keras traces its predict function once per
# input shape, so padding to this size keeps every later call on the first trace.
CHUNK = 32


@dataclass(frozen=True)
class GeneratorSource:
    """Where a generator comes from and how to use it: `name` shown to users, `path` of its
    .keras file, its run's `config` (None for an upload), `latent_dim` (z without the class
    code), `latent_distribution` ("gaussian" or "uniform"), `tanh_output` (pixels in [-1, 1],
    else [0, 1]), `image_shape` (H, W, C) once loaded, `assumptions` (one-line notes on what was
    guessed), `classes` (one-hot class inputs after z; 0: unconditional) and `output_range`
    (the model outputs mapped to pixels 0 and 255, measured by output_range.py on loading).
    """

    name: str
    path: Path
    config: TrainConfig | None
    latent_dim: int  # size of z, without the class code
    latent_distribution: str  # "gaussian" or "uniform"
    tanh_output: bool  # pixels in [-1, 1]; False: [0, 1]
    image_shape: tuple[int, int, int] | None = None  # known once the model is loaded
    assumptions: tuple[str, ...] = ()  # what we guessed because there was no config
    classes: int = 0  # one-hot class inputs after z (0: unconditional)
    output_range: tuple[float, float] | None = None  # model output mapped to pixels 0..255; from
    # output_range.py once the model is loaded

    @property
    def pixel_range(self) -> tuple[float, float]:
        """(low, high) of the model's output that map to pixel values 0 and 255."""
        if self.output_range is not None:
            return self.output_range
        return (-1.0, 1.0) if self.tanh_output else (0.0, 1.0)

    def latent(self, seed: int, n: int, labels=None) -> np.ndarray:
        """n points this generator takes: z from its distribution, then the class code
        (labels, or classes in turn) when it is conditional."""
        return sample_latent(seed, n, self.latent_dim, self.latent_distribution, self.classes, labels)

    @property
    def mtime(self) -> float:
        """Modification time of the model file: a training run rewrites it every epoch."""
        try:
            return self.path.stat().st_mtime
        except OSError:
            return 0.0


# -- finding generators ---------------------------------------------------------------


def pretrained_dir() -> Path:
    """The folder of the shipped pretrained generator: `GAN_LAB_PRETRAINED_DIR` when set,
    else the repository's `assets/pretrained/` (generator.keras and its config.json)."""
    override = os.environ.get(PRETRAINED_DIR_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "assets" / "pretrained"


def runs_dir() -> Path:
    """The folder of training runs (`GAN_LAB_RUNS`, else `runs/`; gan_core.store.runs)."""
    from gan_core.config.paths import default_runs_dir

    return default_runs_dir()


def _read_config(folder: Path) -> TrainConfig:
    try:
        text = (folder / CONFIG_FILE).read_text(encoding="utf-8")
    except OSError as e:
        raise GeneratorError(f"cannot read {folder / CONFIG_FILE}: {e.strerror or e}") from None
    try:
        return TrainConfig.from_json(text)
    except ConfigError as e:
        raise GeneratorError(f"{folder / CONFIG_FILE}: {e}") from None


def _source_from_config(name: str, path: Path, config: TrainConfig) -> GeneratorSource:
    return GeneratorSource(
        name=name,
        path=path,
        config=config,
        latent_dim=config.model.latent_dim,
        latent_distribution=config.hacks.latent_distribution,
        tanh_output=config.model.tanh_output,
    )


def pretrained_source() -> GeneratorSource:
    """The generator shipped with the app; GeneratorError (one line) when it is not there."""
    folder = pretrained_dir()
    path = folder / GENERATOR_FILE
    if not path.is_file():
        raise GeneratorError(f"no pretrained generator at {path}: train a run, or upload a .keras generator")
    return with_training_meta(_source_from_config("Pretrained", path, _read_config(folder)))


def run_source(folder) -> GeneratorSource:
    """One run folder's generator; GeneratorError when it has none yet or its config is bad."""
    folder = Path(folder)
    path = folder / GENERATOR_FILE
    if not (folder / CONFIG_FILE).is_file():
        raise GeneratorError(f"{folder} is not a run folder (no {CONFIG_FILE})")
    if not path.is_file():
        raise GeneratorError(f"{folder} has no {GENERATOR_FILE} yet (no finished epoch)")
    return with_training_meta(_source_from_config(folder.name, path, _read_config(folder)))


def list_run_sources(folder=None) -> list[GeneratorSource]:
    """Runs that have a generator and a readable config, newest model file first.

    Runs still starting (no generator yet) and broken ones (bad config) are left out:
    the list is for picking, and one bad folder must not hide the others.
    """
    folder = Path(folder) if folder is not None else runs_dir()
    if not folder.is_dir():
        return []
    found = []
    for run in folder.iterdir():
        try:
            source = run_source(run)
            if source.path.stat().st_size == 0:  # being written by a starting run
                continue
            found.append((source.path.stat().st_mtime, source))
        except (GeneratorError, OSError):
            continue
    found.sort(key=lambda pair: pair[0], reverse=True)
    return [source for _, source in found]


# -- the values it was trained with ------------------------------------------------------


def with_training_meta(source: GeneratorSource, file=None) -> GeneratorSource:
    """`source` sampled as its generator was last trained: the latent distribution recorded
    inside the .keras file (meta.py; `file` is the file or its bytes as a file
    object, default `source.path`) wins over a config's starting value, with a note when
    they differ. Unchanged for a file without the record."""
    from gan_core.generators.meta import read_meta

    meta = read_meta(source.path if file is None else file)
    if meta is None or meta["latent_distribution"] == source.latent_distribution and source.config is not None:
        return source
    latent = meta["latent_distribution"]
    notes = tuple(n for n in source.assumptions if not n.startswith("no config with the file: sampling"))
    if source.config is None:
        notes = (f"sampling a {latent} latent, as the file records it was trained",) + notes
    else:
        notes += (
            f"the latent was switched to {latent} during training (the run started with "
            f"{source.latent_distribution}): sampling {latent}",
        )
    return replace(source, latent_distribution=latent, assumptions=notes)


# -- loading and checking ---------------------------------------------------------------


def _dimensions(model) -> tuple[int, int, tuple[int, int, int]]:
    """(size of z, classes in the one-hot code after it, image shape) of a checked generator."""
    input_dim, image_shape = check_generator_shape(*model_shapes(model))
    classes = classes_of(model)
    return input_dim - classes, classes, image_shape


def _load_model(path: Path, shown_name: str, archive: KerasArchive | None = None):
    """The Keras model in `path`, loaded with safe_mode=True (never retried unsafe), after
    its archive (`archive`, when a bounded worker already read it) and its size were checked.
    GeneratorError names what the file is when it is not a loadable .keras archive."""
    if archive is None:
        archive = read_archive(path, shown_name)
    import keras  # deferred: the listing functions above must not pay for TensorFlow

    from gan_core.nets.saved_layers import register_saved_layers

    register_saved_layers()
    check_size(archive.config, path, shown_name)
    try:
        return keras.models.load_model(str(path), safe_mode=True, compile=False)
    except Exception as e:  # Keras raises many kinds for a bad archive; the user needs one line
        raise GeneratorError(
            f"{shown_name} could not be read as a Keras model: {load_error_line(e, str(path), shown_name)}"
        ) from None


def _with_output_range(model, source: GeneratorSource, config_says: str | None) -> GeneratorSource:
    """The source with the output range measured on a probe batch, and a note when it differs
    from what the model's activation or the config (`config_says`: 'tanh'/'sigmoid') declare."""
    activation = output_activation(model)
    probe = np.asarray(model.predict_on_batch(source.latent(PROBE_SEED, CHUNK)), dtype=np.float64)
    try:
        decision = decide_output_range(probe, activation, config_says)
    except ValueError as e:
        raise GeneratorError(f"{source.path.name}: {e}") from None
    return replace(
        source,
        output_range=decision.range,
        tanh_output=decision.range == TANH_RANGE,
        assumptions=source.assumptions + decision.notes,
    )


def load_generator(source: GeneratorSource):
    """(model, source with the model's latent size, image shape and measured output range),
    checked to be a generator. The model's own output range wins over its config.json,
    with a note when they disagree."""
    model = _load_model(source.path, source.path.name)
    latent_dim, classes, image_shape = _dimensions(model)
    notes = source.assumptions
    if source.config is not None and source.config.model.latent_dim != latent_dim:
        notes += (
            f"its config says latent size {source.config.model.latent_dim}, "
            f"the model takes {latent_dim}: using {latent_dim}",
        )
    source = replace(source, latent_dim=latent_dim, image_shape=image_shape, assumptions=notes, classes=classes)
    config_says = None
    if source.config is not None:
        config_says = "tanh" if source.config.model.tanh_output else "sigmoid"
    return model, _with_output_range(model, source, config_says)


def load_uploaded_generator(data: bytes, filename: str):
    """(model, source) from the bytes of an uploaded .keras file, with no config beside it.

    Its archive is checked in a bounded worker process (ARCHIVE_LIMITS; the zip directory
    and config.json parsing are pure Python that would hold the server's GIL), its size
    from its config without building it, and only then is it loaded here, with safe_mode, so
    a file cannot run code through Lambda layers. GeneratorError (one line) otherwise.
    """
    if not filename.lower().endswith(".keras"):
        raise GeneratorError(f"{filename} is not a .keras file: save the generator with model.save('name.keras')")
    if not data:
        raise GeneratorError(f"{filename} is empty")
    with tempfile.TemporaryDirectory(prefix="gan-lab-upload-") as tmp:
        path = Path(tmp) / "uploaded.keras"
        path.write_bytes(data)
        model = _load_model(path, filename, read_archive_bounded(path, filename))
    latent_dim, classes, image_shape = _dimensions(model)
    notes = ("no config with the file: sampling a Gaussian latent N(0, 1)",)
    if classes:
        notes += (f"conditional on {classes} classes: the last {classes} inputs are a one-hot class code",)
    source = GeneratorSource(
        name=f"Upload: {filename}",
        path=Path(filename),
        config=None,
        latent_dim=latent_dim,
        latent_distribution="gaussian",
        tanh_output=True,
        image_shape=image_shape,
        assumptions=notes,
        classes=classes,
    )
    return model, _with_output_range(model, with_training_meta(source, io.BytesIO(data)), None)
