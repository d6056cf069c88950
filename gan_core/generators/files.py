"""What a generator file is when Keras cannot load it, in one line.

Keras reports an HDF5 file, a weights-only file, a truncated archive and a PNG with the
same generic line, and hides an unknown layer's class name in the exception chain. These
functions look at the file (and the chain) to name the problem and what to do.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
_UNKNOWN_CLASS = re.compile(r"Could not locate (?:class|function) '([^']+)'|Unknown (?:layer|object)[^']*'([^']+)'")


def model_file_problem(path: Path) -> str | None:
    """None when `path` looks like a complete .keras archive, else one line saying what it is.

    Checks the leading bytes (HDF5 signature: a Keras 2 model or a weights file), the zip's
    central directory (missing: the file is cut short), its checksums and its config.json.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as e:
        return f"cannot read it ({e.strerror or e})"
    if not head:
        return "the file is empty"
    if head.startswith(HDF5_SIGNATURE):
        return _hdf5_problem(path)
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            return (
                "the file is incomplete (cut short, so not a .keras zip archive as it stands): "
                "copy or download it again"
            )
        return "it is not a .keras zip archive (corrupt, or another format renamed)"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "config.json" not in names:
                if any(name.endswith(".weights.h5") for name in names):
                    return (
                        "a weights-only archive (no config.json): build the model in code, load these "
                        "weights and save it with model.save('name.keras')"
                    )
                return "the archive has no config.json: it is not a saved Keras model"
            bad = archive.testzip()
            if bad is not None:
                return f"the file is damaged or incomplete ({bad} fails its checksum): copy or download it again"
            json.loads(archive.read("config.json"))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        return f"the file is damaged or incomplete ({type(e).__name__}): copy or download it again"
    return None


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
