"""A/B comparisons: two configurations trained interleaved from the same start, the
arms' bookkeeping, and the one-line verdict.

Modules: `arm`, `job`, `setup`, `verdict`.

Public names are exported lazily (PEP 562), so importing one light module does not
load TensorFlow through its neighbours.
"""

from importlib import import_module

_EXPORTS = {
    "Arm": "arm",
    "CLEAR_LEAD": "verdict",
    "COLLAPSED_CLASSES": "verdict",
    "CompareError": "job",
    "CompareJob": "job",
    "CompareStatus": "job",
    "FLUSH_SECONDS": "job",
    "OverrideError": "setup",
    "SAME": "setup",
    "SHARED_KEYS": "job",
    "apply_lines": "setup",
    "base_pair": "setup",
    "build_pair": "setup",
    "card_ids": "setup",
    "card_label": "setup",
    "check_pair": "job",
    "collapsed": "verdict",
    "describe_difference": "setup",
    "differences": "job",
    "verdict": "verdict",
    "went_nan": "verdict",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the module that defines `name` on first use."""
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
