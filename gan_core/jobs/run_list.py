"""The runs folder as a list: one summary per run, newest first, and deleting a run safely.

Reads only small files (config.json, status.json, the newest checkpoint's state.json,
epochs.jsonl), never a model: the Runs page lists dozens of runs on every rerun. A folder
that cannot be read is listed as unreadable with one line, never raised: one bad folder
must not hide the others.

Deleting renames the folder to a hidden trash name first (one atomic rename on POSIX file
systems), then removes it: a delete cut short leaves a hidden folder the list skips (and
the next delete clears), never a half-deleted run that looks valid.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from gan_core.config.tree import TrainConfig
from gan_core.jobs.seats import Seat, may_delete, may_see
from gan_core.store import run_status
from gan_core.store.branch import branch_epochs
from gan_core.store.checkpoint import CheckpointError, latest_checkpoint, read_state
from gan_core.store.lineage import Lineage, read_lineage
from gan_core.store.run_owner import read_owner
from gan_core.store.runs import RunError, RunFolder

log = logging.getLogger(__name__)

TRASH_PREFIX = ".trash-"
UNREADABLE = "unreadable"
CUSTOM = "custom"
# A run id is one folder name: letters, digits, '.', '_' and '-', not starting with '.'.
_RUN_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")


class DeleteRefused(ValueError):
    """A run cannot be deleted (bad id, outside the runs folder, still training); one line."""


@dataclass(frozen=True)
class RunSummary:
    """One row of the runs list.

    `run_id` is the folder's name, `path` the folder. `status` is "running", "paused",
    "starting", "stopping", "finished", "stopped", "failed", "interrupted" or "unreadable"
    (then `problem` says why in one line and the other fields are empty). `preset` is the
    preset whose networks, optimizers and hacks the run started with, or "custom";
    `data` the data source; `steps` the steps trained (the live trainer's count, else the end
    record's or the newest checkpoint's); `best_quality` the best epoch's headline figure in [0, 1] (recognized
    share, or the mean of precision and recall for label-free data), `quality_text` its
    words; `created` the run's start as a Unix time (config.json's mtime); `grid` the last
    epoch grid PNG; `has_generator` whether generator.keras exists; `owner` the seat id that
    started it (None for a run of the CLI or of an older version: the teacher's). `lineage` says
    which run and epoch a branch went on from (None: no branch), `children` the ids of the
    listed runs branched from this one, `branch_epochs` the epochs it can be branched from.
    """

    run_id: str
    path: Path
    status: str
    created: float
    problem: str = ""
    preset: str = ""
    data: str = ""
    steps: int = 0
    best_quality: float | None = None
    quality_text: str = ""
    grid: Path | None = None
    has_generator: bool = False
    config: TrainConfig | None = None
    owner: str | None = None
    lineage: Lineage | None = None
    children: tuple[str, ...] = ()
    branch_epochs: tuple[int, ...] = ()

    @property
    def readable(self) -> bool:
        """Whether the folder holds a readable run (its config could be read)."""
        return self.status != UNREADABLE

    @property
    def active(self) -> bool:
        """Whether a training still writes into this folder (it must not be deleted)."""
        return self.status in ("starting", "running", "paused", "stopping")


def preset_of(cfg: TrainConfig) -> str:
    """The name of the preset whose model, optimizer and hacks `cfg` has (data, budget and
    seed may differ), else "custom"."""
    from gan_core.config.presets import preset, preset_names

    for name in preset_names():
        base = preset(name)
        if (cfg.model, cfg.optimizer, cfg.hacks) == (base.model, base.optimizer, base.hacks):
            return name
    return CUSTOM


def best_quality(run: RunFolder) -> tuple[float | None, str]:
    """(score in [0, 1], its words) of the run's best epoch in epochs.jsonl, or (None, "")."""
    from gan_core.metrics.wording import headline

    best: tuple[float | None, str] = (None, "")
    for row in run.read_jsonl("epochs.jsonl"):
        quality = row.get("quality") if isinstance(row, dict) else None
        if not quality:
            continue
        try:
            text, score = headline(quality)
        except (KeyError, TypeError, ValueError):
            continue  # a row from a damaged file: the others still count
        if best[0] is None or score > best[0]:
            best = (float(score), text)
    return best


def _steps(run: RunFolder, record: dict | None) -> int:
    if record is not None and isinstance(record.get("step"), int):
        return record["step"]
    folder = latest_checkpoint(run.path)
    if folder is None:
        return 0
    try:
        return int(read_state(folder).get("step", 0))
    except (CheckpointError, TypeError, ValueError):
        return 0


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _status(path: Path, live: dict) -> str:
    status = live.get(str(path.resolve()))
    if status is not None:
        return status.state
    state = run_status.disk_state(path)
    record = run_status.read_record(path) or {}
    if state == "running" and record.get("pid") == os.getpid() and record.get("host") == socket.gethostname():
        # This process's trainers are all in `live`: one that is not has ended without its record.
        return run_status.INTERRUPTED
    return state


def summarize(path: Path, live: dict | None = None) -> RunSummary:
    """The summary of the run folder `path`; `live` maps resolved folder paths (str) to the
    status (`.state`, `.step`) of the job training there in this process (the pool's
    `run_states()`).
    Never raises: an unreadable folder gives status "unreadable" and a one-line `problem`."""
    live = live or {}
    created = _mtime(path / "config.json") or _mtime(path)
    owner = read_owner(path)
    try:
        run = RunFolder.open(path)
        cfg = run.config()
    except RunError as e:
        status = live[str(path.resolve())].state if str(path.resolve()) in live else UNREADABLE
        problem = "waiting in line to start" if status == "queued" else str(e).splitlines()[0] or "unreadable"
        return RunSummary(path.name, path, status, created, problem=problem, owner=owner)
    score, text = best_quality(run)
    grids = run.grid_paths()
    training = live.get(str(path.resolve()))
    return RunSummary(
        run_id=path.name,
        path=path,
        status=_status(path, live),
        created=created,
        preset=preset_of(cfg),
        data=cfg.data.source,
        # A training in this process is further on than its last checkpoint.
        steps=training.step if training is not None else _steps(run, run_status.read_record(path)),
        best_quality=score,
        quality_text=text,
        grid=grids[-1] if grids else None,
        has_generator=(path / "generator.keras").is_file(),
        config=cfg,
        owner=owner,
        lineage=read_lineage(path),
        branch_epochs=tuple(branch_epochs(path)),
    )


def list_runs(runs_dir, live: dict | None = None, seat: Seat | None = None, others: bool = True) -> list[RunSummary]:
    """Every run folder in `runs_dir` that `seat` may see (all without a seat: the CLI, the
    teacher's Class page), newest first (by start time, then name); hidden folders (a delete's
    trash, a partial write) are skipped; [] when the folder is missing. `others`: whether
    students see each other's runs (the class's rule). `live` as in `summarize`."""
    root = Path(runs_dir)
    try:
        folders = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []
    if seat is not None:  # the owner file is read first: others' runs are not even summarized
        folders = [p for p in folders if may_see(seat, read_owner(p), others)]
    found = [summarize(p, live) for p in folders]
    found.sort(key=lambda s: (s.created, s.run_id), reverse=True)
    return with_children(found)


def with_children(runs: list[RunSummary]) -> list[RunSummary]:
    """`runs` with each one's `children`: the listed runs whose lineage names it, oldest first."""
    children: dict[str, list[str]] = {}
    for summary in reversed(runs):
        if summary.lineage is not None:
            children.setdefault(summary.lineage.parent, []).append(summary.run_id)
    return [replace(s, children=tuple(children.get(s.run_id, ()))) for s in runs]


def run_path(runs_dir, run_id: str) -> Path:
    """The folder of run `run_id` inside `runs_dir`; DeleteRefused (one line) for an id that is
    not one plain folder name (empty, '..', a '/', a hidden name) or that points outside."""
    if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id) or run_id in (".", ".."):
        shown = repr(run_id)[:60]
        raise DeleteRefused(f"{shown} is not a run id: a run id is one folder name inside the runs folder")
    root = Path(runs_dir).resolve()
    path = (root / run_id).resolve()
    if path.parent != root:
        raise DeleteRefused(f"'{run_id}' is not a run in the runs folder")
    return path


def delete_run(runs_dir, run_id: str, live: dict | None = None, seat: Seat | None = None) -> None:
    """Delete run `run_id` from `runs_dir` for `seat`: rename it to a hidden trash name, then
    remove it (and any trash an earlier delete left behind).

    Raises DeleteRefused (one line) for a bad id (see run_path), a missing folder, a run `seat`
    may not delete (only its owner or the teacher; pages always pass their seat, None is the
    CLI's own use), or a run that is still training (in `live`, as in `summarize`, or by its
    status record); OSError when the disk refuses the rename. Nothing is changed when it raises.
    """
    path = run_path(runs_dir, run_id)
    if not path.is_dir():
        raise DeleteRefused(f"there is no run '{run_id}' in the runs folder")
    if seat is not None and not may_delete(seat, read_owner(path)):
        raise DeleteRefused(f"run '{run_id}' is not yours: only its owner or the teacher can delete it")
    if summarize(path, live).active:
        raise DeleteRefused(f"run '{run_id}' is still training: stop it before deleting it")
    trash = path.with_name(f"{TRASH_PREFIX}{run_id}-{uuid.uuid4().hex[:8]}")
    os.rename(path, trash)
    # A class server's record of who deleted what (the seat id, never its token).
    log.info("run %s deleted by seat %s", run_id, seat.id if seat is not None else "of the command line")
    clear_trash(path.parent)


def clear_trash(runs_dir) -> None:
    """Remove the trash folders deletes left in `runs_dir` (best effort: what cannot be removed
    now stays hidden and is tried again at the next delete)."""
    for leftover in Path(runs_dir).glob(f"{TRASH_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)
