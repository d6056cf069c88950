"""Checkpoints: a run's whole training state as one folder that is either complete or absent.

`checkpoints/NNNNNNNN/` (NNNNNNNN: the step) holds

  generator.keras      the generator that samples (the moving average of G's weights when
                       run.ema_decay > 0), with the hacks it was trained with inside (gan_core/generators/meta.py)
  generator_trained.keras  G's own weights, only when the average is on (resume needs both)
  discriminator.keras
  optimizers.npz       both optimizers' variables, d_0.. and g_0..
  streams.npz          the epoch's data permutation, the cursor in it, the tf.random.Generator state
  state.json           step, epoch, elapsed seconds, live hacks, the numpy shuffle generator's state,
                       and `epoch_end` (true when written at an epoch's end)
  manifest.json        written last: every file above with its size

It is written as `checkpoints/.NNNNNNNN.partial/`: each file is fsynced, the manifest
last, then the folder; the folder is renamed to its final name and `checkpoints/` is
fsynced. The rename is the commit (rename is atomic on POSIX file systems), so a SIGKILL
or power cut at any moment leaves the previous checkpoint or the new one, never a mix.
The newest KEEP are kept (a resume and a roll-back need only the newest), and so is every
epoch's end up to EPOCH_KEEP of them: each is a point a run can be branched from
(gan_core/store/branch.py). A run with more epochs keeps every 2nd, then every 4th, ... epoch
(`kept_epochs`), always with its newest, so its checkpoints stay at most EPOCH_KEEP + KEEP
folders (a fast-demo checkpoint is ~4.4 MB, the optimizers' moments two thirds of it).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np

from gan_core.generators.meta import save_generator_with_meta
from gan_core.store.fileio import fsync_path

KEEP = 2
EPOCH_KEEP = 16  # epoch-end checkpoints kept for branching; thinned evenly past this
TRAINED_GENERATOR = "generator_trained.keras"
FOLDER = "checkpoints"
MANIFEST = "manifest.json"
# Seconds to sleep between the files of a checkpoint, read at each save. Only tests set it,
# so that a SIGKILL can land inside a save at a chosen point.
PAUSE_ENV = "GAN_LAB_TEST_CHECKPOINT_PAUSE"


class CheckpointError(ValueError):
    """A checkpoint cannot be read or does not fit the run; one line a user can act on."""


def _pause() -> None:
    seconds = float(os.environ.get(PAUSE_ENV, "0") or 0)
    if seconds > 0:
        time.sleep(seconds)


def _write(folder: Path, name: str, writer) -> None:
    path = folder / name
    writer(path)
    fsync_path(path)
    _pause()


def write_checkpoint(run_path, step, state: dict, generator_meta: dict) -> Path:
    """Save a GanStep's models, optimizers and streams with `state` (JSON-ready; must hold
    "step") as one complete checkpoint; returns its folder. Raises OSError (full disk,
    unwritable folder) with nothing half-written left in place."""
    root = Path(run_path) / FOLDER
    root.mkdir(exist_ok=True)
    name = f"{int(state['step']):08d}"
    final = root / name
    partial = root / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    # Saved with Keras' own LeakyReLU: the step's faster one adds no class of ours to the files
    # (a default generator loads in plain Keras; NarrowConv2D, Dropout16 and the hack layers
    # still need register_saved_layers()).
    from gan_core.nets.fusable_leaky_relu import with_keras_leaky_relu as portable

    try:
        arrays, plain = step.stream_state()
        optimizers = {f"d_{i}": np.asarray(v) for i, v in enumerate(step.d_optimizer.variables)}
        optimizers.update({f"g_{i}": np.asarray(v) for i, v in enumerate(step.g_optimizer.variables)})
        sampling = portable(step.sampling_generator)
        _write(partial, "generator.keras", lambda p: save_generator_with_meta(sampling, p, generator_meta))
        if step.ema_active:
            _write(partial, TRAINED_GENERATOR, lambda p: portable(step.generator).save(str(p)))
        _write(partial, "discriminator.keras", lambda p: portable(step.discriminator).save(str(p)))
        _write(partial, "optimizers.npz", lambda p: np.savez(p, **optimizers))
        _write(partial, "streams.npz", lambda p: np.savez(p, **arrays))
        _write(partial, "state.json", lambda p: p.write_text(json.dumps({**state, **plain}, indent=2)))
        files = {p.name: p.stat().st_size for p in partial.iterdir()}
        _write(partial, MANIFEST, lambda p: p.write_text(json.dumps({"step": int(state["step"]), "files": files})))
        fsync_path(partial)
        if final.exists():  # the same step saved again (a stop right after an epoch's save)
            shutil.rmtree(final)
        os.rename(partial, final)
        fsync_path(root)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    prune(root)
    return final


def is_complete(folder: Path) -> bool:
    """True when the manifest is there and every file it lists has its recorded size."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        return all((folder / name).stat().st_size == size for name, size in manifest["files"].items())
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def checkpoints(run_path) -> list[Path]:
    """Complete checkpoint folders of a run, oldest first."""
    root = Path(run_path) / FOLDER
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.name.isdigit() and p.is_dir() and is_complete(p)]
    return sorted(found, key=lambda p: int(p.name))


def latest_checkpoint(run_path) -> Path | None:
    """The newest complete checkpoint, or None."""
    found = checkpoints(run_path)
    return found[-1] if found else None


def kept_epochs(epochs, keep: int = EPOCH_KEEP) -> set[int]:
    """Which of `epochs` (epoch numbers with an epoch-end checkpoint) to keep: all of them up
    to `keep`, else those divisible by the smallest power of two that leaves fewer than `keep`,
    and the newest. The stride only grows as a run goes on, so an epoch once dropped is never
    wanted back."""
    epochs = sorted(set(epochs))
    if len(epochs) <= keep:
        return set(epochs)
    stride = 2
    while sum(1 for e in epochs if e % stride == 0) > keep - 1:
        stride *= 2
    return {e for e in epochs if e % stride == 0} | {epochs[-1]}


def epoch_of(folder: Path) -> int | None:
    """The epoch a checkpoint ended (state.json's `epoch_end`), or None for one written
    mid-epoch (a stop, the end of the budget), by an older version, or unreadable."""
    try:
        state = json.loads((folder / "state.json").read_text())
        return int(state["epoch"]) if state.get("epoch_end") is True else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def prune(root: Path, keep: int = KEEP, epoch_keep: int = EPOCH_KEEP) -> None:
    """Remove every complete checkpoint but the newest `keep` and the epoch ends `kept_epochs`
    chooses, and any leftover partial folder."""
    done = sorted((p for p in root.iterdir() if p.name.isdigit()), key=lambda p: int(p.name))
    ends = {folder: epoch_of(folder) for folder in done[:-keep]}
    wanted = kept_epochs([e for e in ends.values() if e is not None] + _newest_epochs(done[-keep:]), epoch_keep)
    for old, epoch in ends.items():
        if epoch is None or epoch not in wanted:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in root.glob(".*.partial"):
        shutil.rmtree(leftover, ignore_errors=True)


def _newest_epochs(folders) -> list[int]:
    return [e for e in (epoch_of(f) for f in folders) if e is not None]


def read_state(folder: Path) -> dict:
    """state.json of a checkpoint; CheckpointError when it cannot be read."""
    try:
        return json.loads((folder / "state.json").read_text())
    except (OSError, ValueError) as e:
        raise CheckpointError(f"{folder} cannot be read: {e}") from None


def restore_checkpoint(folder: Path, step) -> dict:
    """Load a checkpoint into a GanStep (weights, optimizers, data order, random streams);
    returns its state. CheckpointError (one line) when the files do not fit the step."""
    import keras

    from gan_core.nets.saved_layers import register_saved_layers

    register_saved_layers()
    state = read_state(folder)
    try:
        averaged = (folder / TRAINED_GENERATOR).exists()  # saved while the average was on
        models = [
            ("generator.keras", step.ema.average),
            (TRAINED_GENERATOR if averaged else "generator.keras", step.generator),
            ("discriminator.keras", step.discriminator),
        ]
        for name, model in models:
            saved = keras.models.load_model(folder / name, compile=False, safe_mode=True)
            model.set_weights(saved.get_weights())
        # The average has warmed up already: its decay goes on as it was.
        step.ema.updates.assign(float(state["step"]) if averaged else 0.0)
        with np.load(folder / "optimizers.npz") as arrays:
            for prefix, opt in (("d", step.d_optimizer), ("g", step.g_optimizer)):
                for i, var in enumerate(opt.variables):
                    var.assign(arrays[f"{prefix}_{i}"])
        with np.load(folder / "streams.npz") as arrays:
            step.set_stream_state(arrays, state)
    except (OSError, ValueError, KeyError) as e:
        raise CheckpointError(f"{folder} cannot be restored: {str(e).splitlines()[0]}") from None
    return state
