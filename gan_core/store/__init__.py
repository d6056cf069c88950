"""Run folders on disk: layout, checkpoints and resume state, atomic file writes.

Modules: `checkpoint`, `fileio`, `runs`, `saver`.

Public names are exported lazily (PEP 562), so importing one light module does not
load TensorFlow through its neighbours.
"""

from importlib import import_module

_EXPORTS = {
    "CheckpointError": "checkpoint",
    "DATA_FILE": "runs",
    "FOLDER": "checkpoint",
    "KEEP": "checkpoint",
    "MANIFEST": "checkpoint",
    "PAUSE_ENV": "checkpoint",
    "PUBLISHED": "runs",
    "RunError": "runs",
    "RunFolder": "runs",
    "RunSaver": "saver",
    "TRAINED_GENERATOR": "checkpoint",
    "TRIMMED": "runs",
    "atomic_write_bytes": "fileio",
    "atomic_write_text": "fileio",
    "atomic_write_with": "fileio",
    "checkpoints": "checkpoint",
    "default_runs_dir": "runs",
    "fsync_path": "fileio",
    "is_complete": "checkpoint",
    "keeps_its_data": "runs",
    "latest_checkpoint": "checkpoint",
    "load_run_data": "runs",
    "new_run_id": "runs",
    "prune": "checkpoint",
    "read_state": "checkpoint",
    "restore_checkpoint": "checkpoint",
    "save_failed_message": "saver",
    "weights_finite": "saver",
    "write_checkpoint": "checkpoint",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the module that defines `name` on first use."""
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
