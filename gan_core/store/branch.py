"""Branching a run: a new run folder that goes on from one of a run's saved epochs.

A run keeps a checkpoint at the end of each epoch (checkpoint.py keeps up to EPOCH_KEEP of
them), and each is a starting point: `branch_point` finds epoch N's, `start_config` gives the
parent's settings as they were then (config.json with the live hacks of that moment), and
`make_branch` writes a new run folder that a resumed Trainer continues from that checkpoint:

  config.json     the branch's settings (the parent's at epoch N with the changed values)
  lineage.json    parent, epoch, step, the parent's seconds then, the changed settings
  metrics.jsonl   the parent's rows up to epoch N's last step, COPIED (so are changes.jsonl,
  epochs.jsonl,   epochs.jsonl, health.jsonl and the grids): a branch stands on its own, its
  ...             curves start at step 0, and deleting the parent never breaks it
  checkpoints/    the parent's epoch checkpoints up to N, hard links (no bytes copied; a copy
                  where the file system refuses links)
  data.npz        the parent's kept upload, linked, when it has one

The folder is built under a hidden name beside `out` and renamed into place, so a branch is
listed whole or not at all. The new run's own rows continue at step + 1.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from gan_core.config.branching import changed_keys, check_branch
from gan_core.config.settings import IMAGE, live_markers
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.store import checkpoint
from gan_core.store.lineage import Lineage, read_lineage, write_lineage
from gan_core.store.runs import DATA_FILE, RunError, RunFolder

_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}")  # one folder name, not hidden


@dataclass(frozen=True)
class BranchPoint:
    """A run's saved epoch a branch can start from: the folder `run` holding it, `epoch` (1..),
    its last `step`, the training seconds `elapsed` then, its complete checkpoint folder, that
    checkpoint's state (step, epoch, elapsed, live hacks, how many change rows), and
    `parent_id`, the run it is an epoch of (`run`'s name, or a branch's parent when read from
    the branch's own copy)."""

    run: Path
    epoch: int
    step: int
    elapsed: float
    checkpoint: Path
    state: dict = field(repr=False)
    parent_id: str = ""


def epoch_steps(run: RunFolder) -> dict[int, int]:
    """{epoch: its last step} from the run's epochs.jsonl (rows that are not objects with whole
    numbers are left out)."""
    out = {}
    for row in run.read_jsonl("epochs.jsonl"):
        if isinstance(row, dict) and isinstance(row.get("epoch"), int) and isinstance(row.get("step"), int):
            out[row["epoch"]] = row["step"]
    return out


def branch_epochs(run_path) -> list[int]:
    """The epochs of the run at `run_path` that still have a checkpoint to branch from, oldest
    first: one listing of checkpoints/ and epochs.jsonl, no checkpoint opened (a page lists
    them for many runs; `branch_point` checks the one chosen)."""
    run = RunFolder(run_path)
    try:
        names = {p.name for p in (run.path / checkpoint.FOLDER).iterdir()}
    except OSError:
        return []
    return sorted(epoch for epoch, step in epoch_steps(run).items() if f"{step:08d}" in names)


def has_checkpoint(run_path, step: int) -> bool:
    """Whether the run keeps a checkpoint folder of `step` (one stat; `branch_point` checks it whole)."""
    return (Path(run_path) / checkpoint.FOLDER / f"{int(step):08d}").is_dir()


def branch_point(run_path, epoch: int) -> BranchPoint:
    """Epoch `epoch`'s starting point in the run at `run_path`. RunError (one line) when the
    folder is no run, or that epoch has no complete checkpoint (the line lists the epochs that
    have one)."""
    run = RunFolder.open(run_path)
    steps = epoch_steps(run)
    folder = run.path / checkpoint.FOLDER / f"{steps.get(epoch, -1):08d}"
    if epoch in steps and checkpoint.is_complete(folder):
        try:
            state = checkpoint.read_state(folder)
        except checkpoint.CheckpointError as e:
            raise RunError(str(e)) from None
        if state.get("epoch") == epoch and state.get("step") == steps[epoch]:
            elapsed = float(state.get("elapsed", 0.0))
            return BranchPoint(run.path, epoch, steps[epoch], elapsed, folder, state, run.path.name)
    kept = branch_epochs(run.path)
    if not kept:
        raise RunError(f"run {run.path.name} has no saved epoch to branch from yet: one is saved at each epoch's end")
    raise RunError(f"run {run.path.name} keeps no checkpoint of epoch {epoch}: branch from epoch {_words(kept)}")


def branch_start(branch_path) -> BranchPoint:
    """Where the branch at `branch_path` started (its lineage.json): its own copy of the
    parent's checkpoint, else the parent's, beside it in the same folder. RunError (one line)
    when the run is no branch or neither checkpoint is kept."""
    branch_path = Path(branch_path)
    lineage = read_lineage(branch_path)
    if lineage is None:
        raise RunError(f"run {branch_path.name} is not a branch of another run")
    try:
        point = branch_point(branch_path, lineage.epoch)
    except RunError:
        if not _PLAIN_NAME.fullmatch(lineage.parent):
            raise
        point = branch_point(branch_path.parent / lineage.parent, lineage.epoch)
    if point.step != lineage.step:
        raise RunError(f"run {branch_path.name}'s record of where it branched does not match its files")
    return replace(point, parent_id=lineage.parent)


def _words(epochs: list[int]) -> str:
    shown = [str(e) for e in epochs[-12:]]
    if len(epochs) > 12:
        shown.insert(0, "…")
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def start_config(point: BranchPoint) -> TrainConfig:
    """The parent's settings at the branch point: its config.json with the live hacks its
    checkpoint recorded (what the parent's continuation trains with). RunError when they
    cannot be read."""
    cfg = RunFolder.open(point.run).config()
    try:
        for key, value in (point.state.get("hacks") or {}).items():
            if key in live_markers(IMAGE):
                cfg = cfg.with_value(key, value)
        return cfg.validated()
    except ConfigError as e:
        raise RunError(f"the checkpoint of epoch {point.epoch} holds settings that cannot be read: {e}") from None


def with_seconds(cfg: TrainConfig, point: BranchPoint, seconds: float) -> TrainConfig:
    """`cfg` trained `seconds` more after the branch point: the run's budget counts from its
    step 0 (the parent's seconds included, as its curves and its learning-rate decay do), so
    run.max_seconds becomes the parent's seconds then plus `seconds`, with no epoch limit."""
    return cfg.with_overrides([f"run.max_seconds={point.elapsed + float(seconds)}", "run.epochs=0"]).validated()


def budget_problem(cfg: TrainConfig, point: BranchPoint) -> str | None:
    """One line when `cfg`'s budget (counted from the run's step 0) is spent already at the
    branch point, so the branch would train nothing; else None."""
    if cfg.run.max_seconds and cfg.run.max_seconds <= point.elapsed:
        return (
            f"the budget of {cfg.run.max_seconds:g} s is spent at epoch {point.epoch} "
            f"({point.elapsed:.0f} s): give the branch more seconds to train"
        )
    if cfg.run.epochs and cfg.run.epochs <= point.epoch:
        return (
            f"the budget of {cfg.run.epochs} epochs is spent at epoch {point.epoch}: "
            "give the branch more epochs or seconds"
        )
    return None


def make_branch(point: BranchPoint, cfg: TrainConfig, out) -> RunFolder:
    """Write the branch of `point` with settings `cfg` as the run folder `out` (see the module
    note) and return it; a Trainer with resume=True then continues it.

    Raises ConfigError (one line naming them) when `cfg` changes a setting a branch may not
    change (gan_core.config.branching), RunError when `out` already holds files or the
    checkpoint went away meanwhile (the parent's thinning), OSError when the disk refuses.
    Nothing is left at `out` when it raises (an empty folder there is kept as it was).
    """
    cfg = cfg.validated()
    start = start_config(point)
    check_branch(start, cfg, point.epoch)
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise RunError(f"{out} already holds files: choose another folder for the branch")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.branch-{secrets.token_hex(4)}"
    try:
        run = RunFolder.create(partial, cfg)
        changed = {key: _plain(value) for key, value in _values(cfg, changed_keys(start, cfg)).items()}
        write_lineage(partial, Lineage(point.parent_id, point.epoch, point.step, point.elapsed, changed))
        _copy_history(RunFolder(point.run), run, point)
        _link_checkpoints(point, partial)
        os.rename(partial, out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return RunFolder(out)


def _values(cfg: TrainConfig, keys: list[str]) -> dict:
    return {key: getattr(getattr(cfg, key.split(".")[0]), key.split(".")[1]) for key in keys}


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


HISTORY = ("metrics.jsonl", "changes.jsonl", "epochs.jsonl", "health.jsonl")


def history_rows(run: RunFolder, point: BranchPoint) -> dict[str, list[dict]]:
    """{file name: rows} of `run`'s HISTORY files up to the branch point: the per-step rows and
    health events up to its step, its epochs, and the change rows its checkpoint counted (a
    change at the very step of a save may come after it). `run` is the parent, or a branch of
    it holding the same rows up to the point."""
    changes = int(point.state.get("changes", 0) or 0)
    keep = {
        "metrics.jsonl": lambda row, i: row.get("step", 0) <= point.step,
        "changes.jsonl": lambda row, i: i < changes and row.get("step", 0) <= point.step,
        "epochs.jsonl": lambda row, i: row.get("epoch", 0) <= point.epoch,
        "health.jsonl": lambda row, i: row.get("step", 0) <= point.step,
    }
    out = {}
    for name, wanted in keep.items():
        rows = []
        for i, row in enumerate(run.read_jsonl(name)):
            if not isinstance(row, dict) or not wanted(row, i):
                break  # rows are in step order: the first one past the point ends them
            rows.append(row)
        out[name] = rows
    return out


def _copy_history(parent: RunFolder, run: RunFolder, point: BranchPoint) -> None:
    """The parent's per-step rows, changes, epochs, health events and grids up to the point."""
    for name, rows in history_rows(parent, point).items():
        if rows:
            (run.path / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for epoch in range(1, point.epoch + 1):
        grid = parent.grid_path(epoch)
        if grid.exists():
            _link(grid, run.grid_path(epoch))
    if (parent.path / DATA_FILE).exists():
        _link(parent.path / DATA_FILE, run.path / DATA_FILE)


def _link_checkpoints(point: BranchPoint, out: Path) -> None:
    """The parent's epoch checkpoints up to the point, linked file by file; RunError when the
    point's own did not arrive whole (removed by the parent's thinning meanwhile)."""
    parent = RunFolder(point.run)
    steps = epoch_steps(parent)
    for epoch in branch_epochs(parent.path):
        if epoch > point.epoch:
            continue
        name = f"{steps[epoch]:08d}"
        source, target = parent.path / checkpoint.FOLDER / name, out / checkpoint.FOLDER / name
        target.mkdir(parents=True)
        try:
            for item in source.iterdir():
                _link(item, target / item.name)
        except FileNotFoundError:
            shutil.rmtree(target, ignore_errors=True)  # an older one thinned away meanwhile
    if not checkpoint.is_complete(out / checkpoint.FOLDER / point.checkpoint.name):
        raise RunError(f"the checkpoint of epoch {point.epoch} was removed meanwhile: branch from another epoch")


def _link(src: Path, dst: Path) -> None:
    """Hard-link `src` at `dst` (the files are never written in place), else copy it."""
    try:
        os.link(src, dst)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(src, dst)
