"""What a generator file is, in one line, judged before Keras reads it.

Keras reports an HDF5 file, a weights-only file, a truncated archive and a PNG with the
same generic line, and hides an unknown layer's class name in the exception chain. These
functions look at the file (and the chain) to name the problem and what to do.

`keras.models.load_model` reads config.json whole and parses it: a 1 MB `.keras` whose
config.json inflated to 1 GiB of JSON whitespace took `sample` to a 2.8 GB peak (measured on
the product before this check; docs/measured.md). `read_keras_archive` checks every entry's
size in the zip's central directory first (zip_directory.py), then reads config.json within
its limit and counts its layers, so Keras only ever reads an archive whose parts are bounded.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gan_core.uploads.zip_directory import MB, inflation_problem, read_json_entry

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
_UNKNOWN_CLASS = re.compile(r"Could not locate (?:class|function) '([^']+)'|Unknown (?:layer|object)[^']*'([^']+)'")

# The upload limit (maxUploadSize in .streamlit/config.toml): no part of a generator may
# unpack to more than an upload can carry.
UPLOAD_MAX_BYTES = 100 * MB
CONFIG_MAX_BYTES = 4 * MB  # config.json: ours take 8 KB, a 200-layer model about 0.3 MB
SMALL_ENTRY_MAX_BYTES = 1 * MB  # metadata.json, gan_lab_training.json: under 1 KB
SMALL_ENTRIES = ("metadata.json", "gan_lab_training.json")
MAX_ENTRIES = 64  # Keras writes 3 (config, metadata, weights), plus assets for a few layers
MAX_TOTAL_BYTES = UPLOAD_MAX_BYTES + CONFIG_MAX_BYTES + 2 * SMALL_ENTRY_MAX_BYTES
# Layers (nested models' layers included): ours have 10-30. Measuring and loading hold the
# server's GIL for each layer: a 254-layer chain took 2.6 s to measure (model_size.py) and
# 14 s in load_model on two cores at load 19, about 10 and 55 ms a layer.
MAX_LAYERS = 256


class ArchiveProblem(ValueError):
    """A generator file is not a bounded, complete .keras archive; the message is one line."""


@dataclass(frozen=True)
class KerasArchive:
    """What a checked .keras archive holds: its parsed config.json (a dict with
    'class_name' and 'config') and how many layers it declares, nested ones included."""

    config: dict
    layers: int


def read_keras_archive(path) -> KerasArchive:
    """The checked contents of the .keras file at `path` (a str or Path).

    Checks, before Keras reads anything: the leading bytes (an HDF5 signature: a Keras 2
    model or a weights file), the zip's central directory (missing: the file is cut short),
    each entry's declared size (config.json at most CONFIG_MAX_BYTES, metadata at most
    SMALL_ENTRY_MAX_BYTES, anything else at most UPLOAD_MAX_BYTES, MAX_ENTRIES entries),
    inflation ratios (zip_directory.py), every entry's CRC, and config.json as JSON with at
    most MAX_LAYERS layers. Raises ArchiveProblem (one line) for the first check that fails.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as e:
        raise ArchiveProblem(f"cannot read it ({e.strerror or e})") from None
    if not head:
        raise ArchiveProblem("the file is empty")
    if head.startswith(HDF5_SIGNATURE):
        raise ArchiveProblem(_hdf5_problem(path))
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            raise ArchiveProblem(
                "the file is incomplete (cut short, so not a .keras zip archive as it stands): "
                "copy or download it again"
            )
        raise ArchiveProblem("it is not a .keras zip archive (corrupt, or another format renamed)")
    try:
        with zipfile.ZipFile(path) as archive:
            return _checked_contents(archive)
    except ArchiveProblem:
        raise
    # zipfile raises these for damaged, encrypted (RuntimeError) or exotic (NotImplementedError) archives
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ) as e:
        raise ArchiveProblem(
            f"the file is damaged or incomplete ({type(e).__name__}): copy or download it again"
        ) from None


def model_file_problem(path: Path) -> str | None:
    """None when `path` is a complete, bounded .keras archive (read_keras_archive), else
    one line saying what it is."""
    try:
        read_keras_archive(path)
    except ArchiveProblem as e:
        return str(e)
    return None


def _checked_contents(archive: zipfile.ZipFile) -> KerasArchive:
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if "config.json" not in names:
        if any(name.endswith(".weights.h5") for name in names):
            raise ArchiveProblem(
                "a weights-only archive (no config.json): build the model in code, load these "
                "weights and save it with model.save('name.keras')"
            )
        raise ArchiveProblem("the archive has no config.json: it is not a saved Keras model")
    if len(infos) > MAX_ENTRIES:
        raise ArchiveProblem(f"the archive has {len(infos):,} entries; a saved model has at most {MAX_ENTRIES}")
    for info in infos:
        limit = _entry_limit(info.filename)
        if info.file_size > limit:
            raise ArchiveProblem(
                f"its {info.filename} unpacks to {info.file_size / MB:,.1f} MB; a generator's "
                f"{info.filename} may have at most {limit // MB} MB"
            )
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise ArchiveProblem(
            f"it unpacks to {total / MB:,.1f} MB; a generator may unpack to at most {MAX_TOTAL_BYTES // MB} MB"
        )
    bomb = inflation_problem(infos)
    if bomb:
        raise ArchiveProblem(f"it {bomb}: refusing a possible zip bomb")
    bad = archive.testzip()
    if bad is not None:
        raise ArchiveProblem(f"the file is damaged or incomplete ({bad} fails its checksum): copy or download it again")
    try:
        config = read_json_entry(archive, archive.getinfo("config.json"), CONFIG_MAX_BYTES)
    except ValueError as e:
        raise ArchiveProblem(f"the file is damaged or incomplete ({e}): copy or download it again") from None
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict) or "class_name" not in config:
        raise ArchiveProblem("its config.json does not describe a Keras model")
    layers = count_layers(config)
    if layers > MAX_LAYERS:
        raise ArchiveProblem(f"its config declares {layers:,} layers; a generator may have at most {MAX_LAYERS}")
    return KerasArchive(config=config, layers=layers)


def _entry_limit(name: str) -> int:
    if name == "config.json":
        return CONFIG_MAX_BYTES
    if name in SMALL_ENTRIES:
        return SMALL_ENTRY_MAX_BYTES
    return UPLOAD_MAX_BYTES


def count_layers(config) -> int:
    """How many layers a Keras config declares: the items of every "layers" list in it,
    nested models' included (an iterative walk: the JSON may nest deeply)."""
    count, stack = 0, [config]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            layers = node.get("layers")
            if isinstance(layers, list):
                count += len(layers)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def _hdf5_problem(path: Path) -> str:
    try:
        import h5py

        with h5py.File(path, "r") as f:
            full_model = "model_config" in f.attrs
    except Exception:  # a damaged HDF5 file: h5py raises OSError or worse
        return "an HDF5 file that cannot be read (damaged or incomplete): copy or download it again"
    if full_model:
        return "an HDF5 (Keras 2) model: open it in Keras and save it again as .keras"
    return (
        "an HDF5 weights-only file (no model architecture): build the model in code, load these "
        "weights and save it with model.save('name.keras')"
    )


def load_error_line(error: BaseException, path_text: str, shown_name: str) -> str:
    """One line for an exception from keras.models.load_model: an unknown class is named
    (found anywhere in the exception chain), a Lambda refused by safe_mode says so."""
    chain, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(str(current))
        current = current.__cause__ or current.__context__
    for text in chain:
        match = _UNKNOWN_CLASS.search(text)
        if match:
            return f"unknown layer class '{match.group(1) or match.group(2)}': custom code is not loaded"
    if any("Lambda" in text and "safe_mode" in text for text in chain):
        return "it contains a Lambda layer (Python code), which is not run from uploaded files"
    text = str(error).strip().replace(path_text, shown_name)
    return text.splitlines()[0] if text else type(error).__name__
