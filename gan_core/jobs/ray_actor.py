"""The worker side of the Ray backend: one `Trainer` inside one Ray actor process.

`TrainerActor` is a plain class; `gan_core.jobs.ray_backend` turns it into a Ray actor
with the CPU/GPU request of one training (`ray.remote(num_cpus=..., num_gpus=...)`), so this
module does not import Ray. The trainer runs on its own thread inside the actor process, as
it does in the app's process; the actor's methods are the commands and one read,
`pull(rows, epochs)`, which returns only what the app's copy of the board lacks.

The run folder is written here, by the worker, to the path the app chose: the app reads
it back (downloads, the Latent explorer), so that path must name the same shared folder on
every machine of the cluster (docs/scaling.md, "A class on a Ray cluster").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.data import ImageSet
from gan_core.run.snapshot import Snapshot


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
    same arguments, runs it on the actor's own thread, answers commands and `pull`.

    `threads` caps TensorFlow's op thread pools at the CPUs Ray granted (set before
    TensorFlow starts: the actor process is fresh), so trainings that share a node do not
    fight over its cores. Errors a user can act on come back as one-line strings, not as
    exceptions wrapped in Ray's tracebacks.
    """

    def __init__(
        self, cfg: TrainConfig, run_dir: str | None, resume: bool, data: ImageSet | None, threads: int
    ) -> None:
        import tensorflow as tf

        if threads > 0:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        from gan_core.run.trainer import Trainer

        self.trainer = Trainer(cfg, run_dir=run_dir, resume=resume, data=data)

    def start(self) -> bool:
        """Start the training thread; True (the app waits on it to know the actor is placed)."""
        self.trainer.start()
        return True

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
