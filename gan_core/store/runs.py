"""A training run on disk: runs/<id>/ with config, metrics, grids, checkpoints and models.

Layout:
  config.json            the TrainConfig the run started with (live changes are in changes.jsonl)
  metrics.jsonl          one JSON object per step, steps 1, 2, ... each exactly once:
                         step and the per-step metrics (gan_core.step.gan_step.METRIC_NAMES)
  changes.jsonl          live hack changes: step, key, old, new, label
  epochs.jsonl           one JSON object per epoch: epoch, step, seconds, quality figures, and
                         `order`, a fingerprint of the data order the epoch trained on
  grid_epoch_NNNN.png    the fixed-latent grid after each epoch
  checkpoints/NNNNNNNN/  the last two complete checkpoints (see checkpoint.py): models,
                         optimizers, data order, random streams, state; written at every
                         epoch end, at stop and when the budget ends (mid-epoch included)
  generator.keras        the newest checkpoint's generator (a hard link), with the hacks it
  discriminator.keras    was trained with inside (gan_core/generators/meta.py)
  data.npz               an uploaded image set (uint8 images, int labels or none), kept so
                         the run can be resumed without the upload

Everything up to a checkpoint's step is on disk before the checkpoint is committed, so
`--resume` cuts metrics.jsonl, changes.jsonl and epochs.jsonl back to that step and goes on
from there: after a SIGKILL at any moment, one row per step, no gaps, no duplicates.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from pathlib import Path

import numpy as np

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.store import checkpoint
from gan_core.store.fileio import atomic_write_bytes, atomic_write_text, atomic_write_with, exclusive_write_text

DATA_FILE = "data.npz"
TRIMMED = ("metrics.jsonl", "changes.jsonl", "epochs.jsonl")  # rows keyed by "step"
PUBLISHED = ("generator.keras", "discriminator.keras")


def keeps_its_data(source: str) -> bool:
    """True for data that exists only in the session that brought it (an upload), which
    the run must keep a copy of to be resumed later."""
    return source == "uploaded" or source.startswith("upload:")


class RunError(ValueError):
    """A run folder cannot be used; one line a user can act on."""


def new_run_id(preset_name: str = "run") -> str:
    """A new run folder name: local time, the preset name and 32 random bits in hex, e.g.
    "20250101-120000-dcgan-hacks-3f9a0c1e" (sorts by time).

    The random part, not the clock, makes names unique: thirty students pressing Start in the
    same second share a name with a chance of about 1 in 10 million (the birthday bound,
    30**2 / 2**33), and even then `RunFolder.create` refuses the second run rather than
    overwrite the first.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{preset_name}-{secrets.token_hex(4)}"


def new_run_folder(runs_dir, preset_name: str = "run") -> Path:
    """Create a new, empty run folder under `runs_dir` and return it, named by `new_run_id` and
    created exclusively (mkdir without exist_ok, a fresh name on the rare clash), so that the
    page can record its owner before the training starts and thirty Starts in the same second
    never share a folder. OSError when the disk refuses."""
    runs_dir = Path(runs_dir)
    runs_dir.mkdir(parents=True, exist_ok=True)
    for _ in range(8):
        path = runs_dir / new_run_id(preset_name)
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"could not make a new run folder in {runs_dir.name}/")


def load_run_data(run_path, source: str):
    """The ImageSet a run trains on: the copy kept in the run (an upload), else `source`
    loaded as usual. DataError/RunError (one line) when neither can be read."""
    from gan_core.data import ImageSet, load_images

    saved = RunFolder(run_path).saved_data()
    if saved is not None:
        return ImageSet(saved[0], saved[1], f"{source} (kept in {DATA_FILE})")
    if keeps_its_data(source):
        raise RunError(f"{run_path} was trained on an upload that was not kept ({DATA_FILE} is missing)")
    return load_images(source)


class RunFolder:
    """One run's folder (layout above). Writes raise OSError when the disk refuses;
    reads of a damaged or missing part raise RunError with one line."""

    def __init__(self, path):
        self.path = Path(path)

    # -- creation and loading ----------------------------------------------------
    @classmethod
    def create(cls, path, cfg: TrainConfig) -> RunFolder:
        """Make the run folder at `path` (parents too; an empty folder is fine) and write
        config.json atomically and exclusively: of two trainings given one folder at the same
        moment, exactly one gets it. Raises RunError when the folder already holds a run,
        OSError when the disk refuses.
        """
        path = Path(path)
        taken = RunError(f"run folder {path} already holds a run: resume it or choose another --out")
        if (path / "config.json").exists():
            raise taken
        path.mkdir(parents=True, exist_ok=True)
        try:
            exclusive_write_text(path / "config.json", cfg.to_json())
        except FileExistsError:
            raise taken from None
        return cls(path)

    @classmethod
    def open(cls, path) -> RunFolder:
        """An existing run folder; RunError when `path` has no config.json."""
        path = Path(path)
        if not (path / "config.json").is_file():
            raise RunError(f"{path} is not a run folder (no config.json)")
        return cls(path)

    def config(self) -> TrainConfig:
        """The TrainConfig in config.json, validated; RunError (one line) when it cannot be read."""
        try:
            return TrainConfig.from_json((self.path / "config.json").read_text()).validated()
        except (OSError, ConfigError) as e:
            raise RunError(f"{self.path}/config.json cannot be read: {e}") from None

    # -- per-epoch writes --------------------------------------------------------
    def append_jsonl(self, name: str, rows: list[dict]) -> None:
        """Append `rows` (one JSON object a line) to the file `name` and fsync it; raises OSError."""
        if not rows:
            return
        with open(self.path / name, "a", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r) + "\n" for r in rows))
            fh.flush()
            os.fsync(fh.fileno())

    def read_jsonl(self, name: str) -> list[dict]:
        """The rows of the file `name` ([] when it is missing), stopping at a torn last line."""
        path = self.path / name
        if not path.exists():
            return []
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                break  # a torn last line from a crash: keep what came before
        return rows

    def grid_path(self, epoch: int) -> Path:
        """The path of an epoch's grid PNG: grid_epoch_NNNN.png."""
        return self.path / f"grid_epoch_{epoch:04d}.png"

    def save_grid_png(self, epoch: int, png: bytes) -> None:
        """Write an epoch's grid PNG bytes atomically; raises OSError."""
        atomic_write_bytes(self.grid_path(epoch), png)

    def grid_paths(self) -> list[Path]:
        """Every grid PNG of the run, oldest epoch first."""
        return sorted(self.path.glob("grid_epoch_*.png"))

    # -- checkpoints -------------------------------------------------------------
    def save_checkpoint(self, step, state: dict, generator_meta: dict) -> Path:
        """Commit a checkpoint (see checkpoint.py), then point generator.keras and
        discriminator.keras at it. Raises OSError when the disk refuses."""
        folder = checkpoint.write_checkpoint(self.path, step, state, generator_meta)
        self._publish(folder)
        return folder

    def _publish(self, folder: Path) -> None:
        for name in PUBLISHED:
            atomic_write_with(self.path / name, lambda tmp, src=folder / name: _link_or_copy(src, tmp), suffix=".keras")

    def latest_checkpoint(self) -> Path | None:
        """The newest complete checkpoint folder (checkpoint.py), or None."""
        return checkpoint.latest_checkpoint(self.path)

    def trim_to_step(self, step: int, changes: int | None = None) -> None:
        """Cut the per-step files back to rows with step <= `step` (and a torn last line),
        so a resumed run writes each later step once; changes.jsonl to its first `changes`
        rows when given."""
        for name in TRIMMED:
            path = self.path / name
            if not path.exists():
                continue
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            kept = []
            for line in lines:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    break
                if not line.endswith("\n") or row.get("step", 0) > step:
                    break
                if name == "changes.jsonl" and changes is not None and len(kept) >= changes:
                    break
                kept.append(line)
            if len(kept) != len(lines):
                atomic_write_text(path, "".join(kept))

    # -- the data of an upload ---------------------------------------------------
    def save_data(self, images: np.ndarray, labels) -> None:
        """Keep an uploaded set with the run: uint8 (N, H, W, C) images, int (N,) labels or None."""
        arrays = {"images": np.asarray(images, np.uint8)}
        if labels is not None:
            arrays["labels"] = np.asarray(labels, np.int32)
        atomic_write_with(self.path / DATA_FILE, lambda tmp: np.savez(tmp, **arrays), suffix=".npz")

    def saved_data(self):
        """(images, labels or None) kept by `save_data`, or None when the run has none."""
        path = self.path / DATA_FILE
        if not path.exists():
            return None
        try:
            with np.load(path) as arrays:
                return arrays["images"], (arrays["labels"] if "labels" in arrays.files else None)
        except (OSError, ValueError, KeyError) as e:
            raise RunError(f"{path} is damaged: {str(e).splitlines()[0]}") from None

    # -- resume ------------------------------------------------------------------
    def state(self) -> dict | None:
        """The newest complete checkpoint's state (step, epoch, elapsed, hacks), or None."""
        folder = self.latest_checkpoint()
        if folder is None:
            return None
        try:
            return checkpoint.read_state(folder)
        except checkpoint.CheckpointError as e:
            raise RunError(str(e)) from None

    def restore(self, step) -> dict:
        """Load the newest complete checkpoint into a GanStep; returns its state."""
        folder = self.latest_checkpoint()
        if folder is None:
            raise RunError(f"{self.path} has no checkpoint to resume from")
        try:
            state = checkpoint.restore_checkpoint(folder, step)
        except checkpoint.CheckpointError as e:
            raise RunError(str(e)) from None
        try:
            # A kill between a checkpoint's commit and this link left the older models shown.
            self._publish(folder)
        except OSError:
            pass  # a read-only run still resumes; saving will say what the disk refuses
        return state


def _link_or_copy(src: Path, dst: str) -> None:
    """Hard-link `src` at `dst` (no copy of the bytes), or copy where links are not allowed."""
    os.remove(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
