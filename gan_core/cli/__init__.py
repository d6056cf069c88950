"""`python -m gan_core` / `gan-lab`: train, sample, bench, presets, metrics, toy; and `make bench`.

Modules: `bench`, `bench_report`, `main`, `quiet_tensorflow`, `train`.

Public names are exported lazily (PEP 562), so importing one light module does not
load TensorFlow through its neighbours.
"""

from importlib import import_module

_EXPORTS = {
    "UsageError": "main",
    "bench_step": "bench",
    "build_parser": "main",
    "config_from_args": "train",
    "epoch_line": "train",
    "import_tensorflow_quietly": "quiet_tensorflow",
    "main": "bench_report",
    "run_train": "train",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the module that defines `name` on first use."""
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
