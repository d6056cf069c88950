"""Who started a run: the seat id (gan_core.jobs.seats) kept in the run folder's owner.json.

Written by the page that starts the run, before the training begins, so the Runs page and a
delete know the owner even after the server restarted. Only the seat's id is kept, a one-way
hash of the browser's token: the file hands nobody the seat.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from gan_core.store.fileio import atomic_write_text

OWNER_FILE = "owner.json"
_SEAT_ID = re.compile(r"[0-9a-f]{8,64}")


def write_owner(run_path, seat_id: str) -> None:
    """Record seat `seat_id` as the run's owner; ValueError for something that is not a seat id,
    OSError when the disk refuses."""
    if not _SEAT_ID.fullmatch(seat_id or ""):
        raise ValueError("not a seat id")
    atomic_write_text(Path(run_path) / OWNER_FILE, json.dumps({"owner": seat_id}))


def read_owner(run_path) -> str | None:
    """The run's owner (a seat id), or None: no record (a run of the CLI or of an older version),
    or one that cannot be read. Reads at most 4 KB."""
    try:
        with open(Path(run_path) / OWNER_FILE, "rb") as fh:
            record = json.loads(fh.read(4096))
    except (OSError, ValueError):
        return None
    owner = record.get("owner") if isinstance(record, dict) else None
    return owner if isinstance(owner, str) and _SEAT_ID.fullmatch(owner) else None
