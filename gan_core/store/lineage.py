"""Where a branch came from: lineage.json in a branch's run folder.

{"parent": the parent run's id (its folder name), "epoch": the parent's epoch it goes on from,
"step": that epoch's last step, "elapsed": the parent's training seconds then, "changed":
{key: the branch's value} for each setting it changed}. A run without the file is no branch.
Written once, when the branch is made (gan_core/store/branch.py); read by the trainer (the
branch marker on the curves), the Runs page (the lineage) and Compare (the branch's start).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from gan_core.store.fileio import atomic_write_text

LINEAGE_FILE = "lineage.json"
_MAX_BYTES = 64 * 1024  # a record names a run, an epoch and a few settings


@dataclass(frozen=True)
class Lineage:
    """A branch's record: `parent` (run id), `epoch` and `step` it goes on from (its first
    own step is step + 1), `elapsed` (the parent's training seconds at that step) and
    `changed` ({dotted key: value} of the settings the branch changed)."""

    parent: str
    epoch: int
    step: int
    elapsed: float = 0.0
    changed: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON object lineage.json holds."""
        return {
            "parent": self.parent,
            "epoch": self.epoch,
            "step": self.step,
            "elapsed": self.elapsed,
            "changed": self.changed,
        }

    @property
    def label(self) -> str:
        """One line: "branch of RUN at epoch N"."""
        return f"branch of {self.parent} at epoch {self.epoch}"


def write_lineage(run_path, lineage: Lineage) -> None:
    """Write `lineage` as the run's lineage.json atomically; OSError when the disk refuses."""
    atomic_write_text(Path(run_path) / LINEAGE_FILE, json.dumps(lineage.to_dict(), indent=2))


def read_lineage(run_path) -> Lineage | None:
    """The run's Lineage, or None: no record (not a branch), or one that cannot be read or
    has wrong types (reads at most 64 KB)."""
    try:
        with open(Path(run_path) / LINEAGE_FILE, "rb") as fh:
            raw = json.loads(fh.read(_MAX_BYTES))
        parent, epoch, step = raw["parent"], raw["epoch"], raw["step"]
        elapsed, changed = raw.get("elapsed", 0.0), raw.get("changed", {})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not (isinstance(parent, str) and _whole(epoch) and _whole(step) and isinstance(changed, dict)):
        return None
    if isinstance(elapsed, bool) or not isinstance(elapsed, int | float):
        return None
    return Lineage(parent, epoch, step, float(elapsed), changed)


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
