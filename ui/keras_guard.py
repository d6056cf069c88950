"""Stop Streamlit from resetting Keras after every script run.

After each run (fragment reruns included, so once a second while training) Streamlit's
script runner calls `keras.backend.clear_session()`, which replaces Keras' thread-local
state for *every* thread - the trainer thread mid-build or mid-trace included - and
runs a full garbage collection that holds the GIL. Our trainers own their Keras
objects and need neither, so the app turns that clean-up off for this process.
"""

from __future__ import annotations


def keep_keras_state() -> None:
    """Replace Streamlit's per-run Keras clean-up with a no-op, once per process (idempotent);
    nothing to do where Streamlit has no script_runner module.
    """
    try:
        from streamlit.runtime.scriptrunner import script_runner
    except ImportError:  # a Streamlit without that module does not do the clean-up
        return
    if getattr(script_runner, "_clean_problem_modules", None) is not _no_cleanup:
        script_runner._clean_problem_modules = _no_cleanup


def _no_cleanup() -> None:
    """Keras sessions belong to the trainers; nothing to clean between script runs."""
