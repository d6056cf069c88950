"""Durable file writes: a reader never sees half a file, a crash never leaves one.

Every write goes to a temporary name beside the target, is flushed to the disk
(`fsync`), renamed into place, and the folder is fsynced so the rename itself survives a
power cut (the rename-then-fsync-the-directory pattern of POSIX file systems).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def fsync_path(path) -> None:
    """fsync a file or a folder by path (a folder's fsync makes its renames durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path, data: bytes) -> None:
    """Write `data` to `path` atomically and durably (see atomic_write_with); raises OSError."""
    atomic_write_with(path, lambda tmp: Path(tmp).write_bytes(data))


def atomic_write_text(path, text: str) -> None:
    """Write `text` as UTF-8 to `path` atomically and durably (see atomic_write_with); raises OSError."""
    atomic_write_bytes(path, text.encode("utf-8"))


def exclusive_write_text(path, text: str) -> None:
    """Write `text` as UTF-8 to a NEW file `path`, atomically and durably: FileExistsError when
    `path` exists already (it is left as it was), OSError when the disk refuses.

    The text is written to a temporary file beside `path` and hard-linked to its name: a link
    to an existing name fails, so of two writers racing for one name exactly one wins, and
    a reader never sees half a file. Where the file system has no hard links, the name is
    created with O_EXCL instead (still exclusive, not atomic for readers).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes files private; run folders are meant to be shared
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network and FUSE file systems)
            with open(path, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
    finally:
        os.remove(tmp)
    fsync_path(path.parent)


def atomic_write_with(path, writer: Callable[[str], object], suffix: str | None = None) -> None:
    """Call `writer(tmp_path)` for a temporary file beside `path`, fsync it, rename it into place.

    `suffix` keeps the extension for writers that insist on one (Keras wants '.keras').
    Raises whatever the writer or the file system raises (OSError for a full disk or an
    unwritable folder); the temporary file is removed then and `path` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix or ".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; run folders are meant to be shared
        fsync_path(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    fsync_path(path.parent)
