"""A run folder's status record, status.json: how its training ended, or who is training it.

The trainer writes `{"state": "running", "pid", "host", "started"}` when it opens the
folder and `{"state": "finished" | "stopped" | "failed", "message", "step", "ended"}` when
its thread ends. A record still saying "running" whose process is gone means the process
died mid-run (a SIGKILL, a power cut): the run is "interrupted". A folder without a record
(written before the record existed) reads as "interrupted" too; its files are still valid.
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from gan_core.store.fileio import atomic_write_text

STATUS_FILE = "status.json"
ENDED = ("finished", "stopped", "failed")
INTERRUPTED = "interrupted"


def write_running(run_path) -> None:
    """Record that this process trains the run now; raises OSError when the disk refuses."""
    record = {"state": "running", "pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    atomic_write_text(Path(run_path) / STATUS_FILE, json.dumps(record))


def write_ended(run_path, state: str, message: str, step: int) -> None:
    """Record how the run ended: `state` one of ENDED, the trainer's one-line `message`, the
    last `step`. ValueError for another state; OSError when the disk refuses."""
    if state not in ENDED:
        raise ValueError(f"a run ends as one of {', '.join(ENDED)}, not '{state}'")
    record = {"state": state, "message": message, "step": int(step), "ended": time.time()}
    atomic_write_text(Path(run_path) / STATUS_FILE, json.dumps(record))


def read_record(run_path) -> dict | None:
    """The status record as written, or None when there is none or it cannot be read."""
    try:
        record = json.loads((Path(run_path) / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except (OSError, OverflowError, ValueError):
        return False
    return True


def disk_state(run_path) -> str:
    """What the folder itself says: "running" (its process is alive, here or on another
    host, where we cannot look), one of ENDED, or "interrupted"."""
    record = read_record(run_path)
    if record is None:
        return INTERRUPTED
    state = record.get("state")
    if state in ENDED:
        return state
    if state == "running":
        if record.get("host") != socket.gethostname():
            return "running"
        pid = record.get("pid")
        return "running" if isinstance(pid, int) and _process_alive(pid) else INTERRUPTED
    return INTERRUPTED
