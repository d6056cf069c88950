"""Importing TensorFlow: once under a lock for a server's many sessions, and without its
start-up chatter on stderr for a command.

TensorFlow 2.21 on CPUs with AVX-512 logs "oneDNN custom operations are on" (twice) from C++
before absl reads its log settings, so TF_CPP_MIN_LOG_LEVEL does not silence it. A command
whose errors are one line on stderr must not print four lines of notices first, so the
entry points import TensorFlow once with file descriptor 2 pointed at /dev/null.
"""

from __future__ import annotations

import os
import sys
import threading


def import_tensorflow_quietly():
    """Import TensorFlow (once per process) with its native start-up logging discarded."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            # A failed import still raises: its Python exception carries the reason.
            import tensorflow
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return tensorflow


_IMPORT_LOCK = threading.Lock()


def import_tensorflow_once() -> None:
    """Import TensorFlow and Keras under one lock before any page does.

    Two browser sessions opening at once import them from two script threads; TensorFlow's
    circular imports can then hand one thread a half-initialized module.
    """
    with _IMPORT_LOCK:
        import keras  # noqa: F401
        import tensorflow  # noqa: F401
