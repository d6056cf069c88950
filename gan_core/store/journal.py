"""A small append-only journal of JSON objects, one per line, that survives a server restart.

Used for what the server learns while it runs and a teacher wants back after a restart (the
class's predictions, gan_core.jobs.predictions). Reading is bounded: only the last
`max_bytes` of the file are read, so a journal that grew (or was replaced by something
hostile) costs at most that much memory and time; a line that is not a JSON object, such as
the half line a crash left at the end, is skipped. Compaction rewrites the file atomically
(gan_core.store.fileio), so a reader never sees half of it.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from gan_core.store.fileio import atomic_write_text

MAX_BYTES = 4 * 2**20  # what a read takes at most; a journal is compacted long before this


class Journal:
    """The JSON-lines file `path`, of at most `max_bytes` read back. Thread-safe within one
    process. Writing raises OSError (a folder that is gone, a full disk): callers that can
    live without the file catch it."""

    def __init__(self, path, max_bytes: int = MAX_BYTES):
        self.path = Path(path)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._ends_clean = False  # whether the file is known to end with a whole line

    def read(self) -> list[dict]:
        """The objects in the file, oldest first; [] when there is no file. Only its last
        `max_bytes` are read (the first, cut line of that tail is dropped); lines that are not
        JSON objects are skipped. Raises OSError when the file cannot be read."""
        with self._lock:
            try:
                with open(self.path, "rb") as fh:
                    size = fh.seek(0, os.SEEK_END)
                    start = max(0, size - self.max_bytes)
                    fh.seek(start)
                    data = fh.read(self.max_bytes)
            except FileNotFoundError:
                return []
        lines = data.split(b"\n")
        if start > 0:
            lines = lines[1:]  # the tail began inside a line
        rows = []
        for line in lines:
            try:
                row = json.loads(line)
            except ValueError:  # UnicodeDecodeError too: a torn or foreign line
                continue
            if isinstance(row, dict):
                rows.append(row)
        return rows

    def append(self, row: dict) -> None:
        """Add `row` (a JSON-serializable dict) as one line. The file is opened in append mode
        and the line written in one call, so lines from threads of this process never
        interleave. Raises OSError."""
        line = _line(row).encode("utf-8")
        with self._lock, open(self.path, "ab+") as fh:
            if not self._ends_clean:  # once per process: a crash may have left half a line
                end = fh.seek(0, os.SEEK_END)
                if end and fh.seek(end - 1) is not None and fh.read(1) != b"\n":
                    line = b"\n" + line  # the torn line stays one bad line, this one stays whole
                self._ends_clean = True
            fh.write(line)

    def rewrite(self, rows: list[dict]) -> None:
        """Replace the file by `rows`, atomically and durably. Raises OSError."""
        text = "".join(_line(row) for row in rows)
        with self._lock:
            atomic_write_text(self.path, text)
            self._ends_clean = True


def _line(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
