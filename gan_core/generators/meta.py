"""The hack values a generator was last trained with, stored inside its `.keras` file.

A `.keras` file is a zip archive; Keras reads only its own entries (config.json,
metadata.json, model.weights.h5), so one more entry, `gan_lab_training.json`, rides
along wherever the file goes: a run's checkpoint, the Train page's download, an upload
to the Latent explorer. Sampling reads the latent distribution from it, so a generator
whose latent was switched live to uniform is sampled with uniform afterwards, whatever
the run's config.json (its starting values) says.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from gan_core.uploads.zip_directory import read_json_entry

ENTRY = "gan_lab_training.json"
META_MAX_BYTES = 1024 * 1024  # ours take under 1 KB


def training_meta(live_hacks: dict, step: int, tanh_output: bool, latent_dim: int) -> dict:
    """What sampling depends on, as plain JSON: the live hacks (dotted key -> value,
    `hacks.latent_distribution` among them), the step they were current at, the pixel
    range (tanh: [-1, 1], else [0, 1]) and the size of z."""
    return {
        "step": int(step),
        "hacks": {k: list(v) if isinstance(v, tuple) else v for k, v in live_hacks.items()},
        "latent_distribution": live_hacks.get("hacks.latent_distribution", "gaussian"),
        "tanh_output": bool(tanh_output),
        "latent_dim": int(latent_dim),
    }


def save_generator_with_meta(model, path, meta: dict) -> None:
    """`model.save(path)` (path ends in .keras), then the training values added to the archive."""
    model.save(str(path))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(ENTRY, json.dumps(meta, indent=2))


def read_meta(file) -> dict | None:
    """The training values inside a `.keras` file (a path or a binary file object), or None
    for a file without them (trained elsewhere, or before they were recorded), not a zip, or
    whose entry declares more than META_MAX_BYTES (checked before it is read)."""
    try:
        with zipfile.ZipFile(file if hasattr(file, "read") else Path(file)) as archive:
            if ENTRY not in archive.namelist():
                return None
            meta = read_json_entry(archive, archive.getinfo(ENTRY), META_MAX_BYTES)
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError, EOFError):
        return None
    if not isinstance(meta, dict) or meta.get("latent_distribution") not in ("gaussian", "uniform"):
        return None
    return meta
