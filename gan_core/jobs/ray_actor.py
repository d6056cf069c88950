"""The worker side of the Ray backend: one `Trainer` inside one Ray actor process.

`TrainerActor` is a plain class; `gan_core.jobs.ray_backend` turns it into a Ray actor
with the CPU/GPU request of one training (`ray.remote(num_cpus=..., num_gpus=...)`), so this
module does not import Ray at import time. The trainer runs on its own thread inside the
actor process, as it does in the app's process; the actor's methods are the commands and
one read, `pull(rows, epochs)`, which returns only what the app's copy of the board lacks.

Where the run folder is written (`choose_folder`): the app leaves a random token in the
folder it chose (`write_claim`). A worker that finds it there sees the app's folder itself
(the app's own machine, or a runs folder shared by every node): it writes there. Any other
worker writes the run into `.ray-worker/` of its own runs folder (`GAN_LAB_RUNS` on that
node) and the app copies it back through Ray (`listing`, `read_part`; the app's side is
gan_core.jobs.ray_mirror), then has the worker's copy removed (`discard`).
"""

from __future__ import annotations

import secrets
import shutil
import socket
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from gan_core.config.paths import default_runs_dir
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.data import ImageSet
from gan_core.run.snapshot import Board, Snapshot
from gan_core.step.gan_step import METRIC_NAMES
from gan_core.store.remote_copy import Listing, list_files, read_part

CLAIM_FILE = ".ray-claim"  # the app's token in the folder it chose (hidden: no run file)
STAGING_FOLDER = ".ray-worker"  # in a worker's runs folder: its copies of trainings (hidden)
FINAL_JOIN_SECONDS = 1.0  # how long `listing(final=True)` waits for the training thread to end


@dataclass(frozen=True)
class Placement:
    """Where a training runs: `node_id` (Ray's hex id of the node) and `host` (its name);
    `folder`, the run folder the worker writes; `copied`, True when that folder is the
    worker's own and the app copies it back, False when it is the app's folder itself;
    `problem`, one line when the training cannot run there (else "")."""

    node_id: str
    host: str
    folder: str
    copied: bool
    problem: str = ""


def write_claim(run_dir) -> str:
    """Make the app's run folder `run_dir` (parents too) and leave a new random token in it,
    for `choose_folder` on a worker; returns the token. OSError when the disk refuses."""
    token = secrets.token_hex(16)
    folder = Path(run_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CLAIM_FILE).write_text(token, encoding="utf-8")
    return token


def drop_claim(run_dir, remove_empty_folder: bool) -> None:
    """Remove the claim token from the app's run folder and, with `remove_empty_folder`, the
    folder too when nothing else is in it (a training withdrawn before it ran). Never raises."""
    folder = Path(run_dir)
    try:
        (folder / CLAIM_FILE).unlink(missing_ok=True)
        if remove_empty_folder:
            folder.rmdir()  # only when empty
    except OSError:
        pass


def choose_folder(run_dir, resume: bool, claim: str | None, copy_always: bool) -> tuple[Path | None, bool, str]:
    """(folder this worker writes, whether the app copies it back, problem line or "") for the
    app's run folder `run_dir` (None: no folder) and its `claim` token.

    The app's folder itself when this worker sees the claim in it (and `copy_always` is off,
    or for a resume, which needs the run's files); else a new folder in `.ray-worker/` of
    this node's runs folder. A resume this worker cannot see is a problem (one line)."""
    if run_dir is None:
        return None, False, ""
    app_folder = Path(run_dir)
    try:
        seen = claim is not None and (app_folder / CLAIM_FILE).read_text(encoding="utf-8") == claim
    except (OSError, UnicodeDecodeError):
        seen = False
    if seen:
        (app_folder / CLAIM_FILE).unlink(missing_ok=True)
        if resume or not copy_always:
            return app_folder, False, ""
    if resume:
        return (
            None,
            False,
            (
                f"The Ray worker {socket.gethostname()} cannot see {app_folder}: resuming a run on the "
                "cluster needs the runs folder shared by every node."
            ),
        )
    root = default_runs_dir().resolve() / STAGING_FOLDER
    try:
        folder = root / app_folder.name
        try:
            folder.mkdir(parents=True)
        except FileExistsError:  # a name an earlier run on this worker kept: never share it
            folder = root / f"{app_folder.name}-{secrets.token_hex(4)}"
            folder.mkdir(parents=True)
    except OSError as e:
        return None, True, f"Cannot make the run folder on the Ray worker {socket.gethostname()}: {e.strerror or e}"
    return folder, True, ""


@dataclass(frozen=True)
class BoardIncrement:
    """What the app's copy of a trainer's board lacks: `snapshot` holds every scalar, the
    live hacks, all changes and warnings (few and small), but only the epochs from the asked
    index on and no per-step series; `series` holds the per-step rows from the asked row on
    (metric name -> list of floats). `reset` is True when the board now has fewer rows than
    asked (a roll-back cut them): the copy must start over from row 0 and epoch 0.
    """

    reset: bool
    snapshot: Snapshot
    series: dict


# Scalars the app's copy keeps its own of: the histories come row by row, and the run folder is
# the app's path, not the worker's.
_NOT_COPIED = ("series", "changes", "epochs", "warnings", "run_dir")


def apply_increment(board: Board, increment: BoardIncrement, **scalars) -> Board:
    """The app's copy of a trainer's board topped up with `increment` (a new Board when the
    increment starts over), the `scalars` given (e.g. a state to show) over the increment's."""
    if increment.reset:
        board = Board()
    snap = increment.snapshot
    board.update(**{**{k: v for k, v in vars(snap).items() if k not in _NOT_COPIED}, **scalars})
    if len(increment.series[METRIC_NAMES[0]]):
        board.extend_series(np.array([increment.series[name] for name in METRIC_NAMES], dtype=np.float64).T)
    for record in snap.epochs:
        board.add_epoch(record)
    if board.changes() != snap.changes:  # few; replaced whole, a roll-back may have cut some
        while board.last_change() is not None:
            board.drop_last_change()
        for change in snap.changes:
            board.add_change(change)
    for text in snap.warnings[len(board.status().warnings) :]:
        board.warn(text)
    return board


def board_increment(board, rows: int, epochs: int) -> BoardIncrement:
    """The part of `board` (a snapshot.Board) after `rows` per-step rows and `epochs` epoch
    records, as a picklable BoardIncrement."""
    reset = board.rows() < rows
    if reset:
        rows, epochs = 0, 0
    snap = board.snapshot(series=False)
    return BoardIncrement(reset, replace(snap, epochs=snap.epochs[epochs:]), board.series_since(rows))


class TrainerActor:
    """One training in a Ray actor: builds a Trainer (gan_core.run.trainer) from the
    same arguments, runs it on the actor's own thread, answers commands and `pull`, and
    lets the app copy the run folder when it is this worker's own (see the module's note).

    `threads` caps TensorFlow's op thread pools at the CPUs Ray granted (set before
    TensorFlow starts: the actor process is fresh), so trainings that share a node do not
    fight over its cores. `claim` and `copy_always` choose the folder (`choose_folder`).
    Errors a user can act on come back as one-line strings, not as exceptions wrapped in
    Ray's tracebacks.
    """

    def __init__(
        self,
        cfg: TrainConfig,
        run_dir: str | None,
        resume: bool,
        data: ImageSet | None,
        threads: int,
        claim: str | None = None,
        copy_always: bool = False,
    ) -> None:
        import tensorflow as tf

        if threads > 0:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        from gan_core.run.trainer import Trainer

        folder, self.copied, self.problem = choose_folder(run_dir, resume, claim, copy_always)
        self.folder = folder
        self.trainer = Trainer(cfg, run_dir=None if self.problem else folder, resume=resume, data=data)

    def start(self) -> Placement:
        """Start the training thread (unless it cannot run here) and say where it runs; the
        app waits on this answer to know the actor is placed."""
        import ray  # inside the actor process, which Ray started

        if not self.problem:
            self.trainer.start()
        node = ray.get_runtime_context().get_node_id()
        return Placement(node, socket.gethostname(), str(self.folder or ""), self.copied, self.problem)

    def listing(self, final: bool) -> Listing | None:
        """The files of the run folder this worker writes for the app to copy ({} when the app
        sees it itself): all but checkpoints while it trains; with `final`, every file, once
        the training thread has ended (None until then)."""
        if not self.copied or self.folder is None:
            return {}
        if final:
            self.trainer.join(FINAL_JOIN_SECONDS)
            if self.trainer.alive:
                return None
        return list_files(self.folder, with_checkpoints=final)

    def read_part(self, rel: str, inode: int, offset: int, size: int) -> bytes | None:
        """Bytes of one file of the run folder (see gan_core.store.remote_copy.read_part)."""
        if not self.copied or self.folder is None:
            return None
        return read_part(self.folder, rel, inode, offset, size)

    def discard(self) -> None:
        """Remove this worker's copy of the run (the app has it whole now). Never raises."""
        if self.copied and self.folder is not None and not self.trainer.alive:
            shutil.rmtree(self.folder, ignore_errors=True)
            try:
                self.folder.parent.rmdir()  # .ray-worker/, when no other training uses it
            except OSError:
                pass

    def pull(self, rows: int, epochs: int) -> BoardIncrement:
        """The board after the app's `rows` per-step rows and `epochs` epoch records."""
        return board_increment(self.trainer.board, rows, epochs)

    def pause(self) -> None:
        """Pause between steps (see Trainer.pause)."""
        self.trainer.pause()

    def resume(self) -> None:
        """Go on after a pause (see Trainer.resume)."""
        self.trainer.resume()

    def stop(self, timeout: float) -> bool:
        """Stop with a final checkpoint; True when the thread ended within `timeout` seconds."""
        return self.trainer.stop(timeout)

    def set_hack(self, key: str, value) -> str | None:
        """Queue a live hack change; None, or the ConfigError's one line (nothing changed)."""
        try:
            self.trainer.set_hack(key, value)
        except ConfigError as e:
            return str(e)
        return None

    def roll_back(self, timeout: float) -> TrainConfig | str:
        """Back to the last good checkpoint (see Trainer.roll_back): the config with that
        moment's hacks, or the RuntimeError's one line."""
        try:
            return self.trainer.roll_back(timeout)
        except RuntimeError as e:
            return str(e)

    def last_good_step(self) -> int | None:
        """The step a roll-back would return to, or None."""
        return self.trainer.last_good_step()
