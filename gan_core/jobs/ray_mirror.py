"""The app's side of a run folder copied back from a Ray worker: one thread per training.

A worker that cannot see the app's runs folder writes the run on its own disk
(gan_core.jobs.ray_actor); this thread keeps the app's folder a copy of it, through Ray
(gan_core.store.remote_copy for what is copied and why it is consistent):

- while the training runs, every MIRROR_SECONDS: every file but the checkpoints (config,
  metrics, epochs, grids, status, generator.keras), so the Runs page, the downloads and the
  Latent explorer work on a run that is still training;
- once it has ended (`finish()`): every file, checkpoints included, after the training
  thread on the worker has ended, so the copy is the whole run.

The thread, not a page, does the copying: a page's poll never waits on a transfer. Each
answer of the worker is at most remote_copy.CHUNK_BYTES, so a copy's memory is bounded on
both sides whatever the run's size.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import ray
from ray.exceptions import GetTimeoutError, RayActorError, RayError

from gan_core.jobs.ray_actor import Placement, drop_claim, write_claim
from gan_core.store.remote_copy import FolderMirror

MIRROR_SECONDS = 2.0  # how far behind the app's copy of a running training may be
CALL_SECONDS = 30.0  # one question to the worker that takes longer is a lost worker
FINAL_SECONDS = 600.0  # the final copy gives up after this long (the worker keeps the run)


class MirrorThread:
    """Copies the run folder that `actor` (a TrainerActor's handle) writes into `target`, the
    app's run folder, on a thread of its own: live passes until `finish()`, then one whole
    copy. `done` is set when it has ended; `problem` then holds one line when the copy is
    not whole (else ""); `bytes_copied` counts what came over the network."""

    def __init__(self, actor, target):
        self._actor = actor
        self.mirror = FolderMirror(Path(target), self._listing, self._read)
        self._final = threading.Event()
        self._cancelled = threading.Event()
        self.done = threading.Event()
        self.problem = ""
        self._thread = threading.Thread(target=self._run, name="ray-mirror", daemon=True)

    @property
    def bytes_copied(self) -> int:
        """Bytes received from the worker so far."""
        return self.mirror.bytes_copied

    def start(self) -> None:
        """Start the live passes."""
        self._thread.start()

    def finish(self) -> None:
        """Ask for the final, whole copy (the training has ended or is ending); returns at once."""
        self._final.set()

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for the copy to end; True when it has."""
        return self.done.wait(max(0.0, timeout))

    def cancel(self) -> None:
        """Stop copying (the worker is gone); the thread ends after its current question."""
        self._cancelled.set()
        self._final.set()

    def _listing(self, final: bool):
        return ray.get(self._actor.listing.remote(final), timeout=CALL_SECONDS)

    def _read(self, rel: str, inode: int, offset: int, size: int):
        return ray.get(self._actor.read_part.remote(rel, inode, offset, size), timeout=CALL_SECONDS)

    def _run(self) -> None:
        deadline = None
        try:
            while not self._cancelled.is_set():
                final = self._final.wait(MIRROR_SECONDS)
                if self._cancelled.is_set():
                    self.problem = "the copy was cut short"
                    return
                if final and deadline is None:
                    deadline = time.monotonic() + FINAL_SECONDS
                try:
                    complete = self.mirror.sync(final=final)
                except RayActorError:
                    self.problem = "the Ray worker running this training died"
                    return
                except (RayError, GetTimeoutError, OSError, ValueError) as e:
                    if final:
                        self.problem = _one_line(e)
                        return
                    continue  # a live pass: the next one tries again
                if final and complete:
                    return
                if final:
                    if time.monotonic() > deadline:
                        self.problem = f"the copy did not end within {FINAL_SECONDS:.0f} s"
                        return
                    self._cancelled.wait(0.2)  # the training thread is still ending
        finally:
            self.done.set()


class RunCopy:
    """The app's run folder of one training on Ray (`run_dir`, or None for none): the claim
    token a worker looks for in it (gan_core.jobs.ray_actor.choose_folder) and, when the
    worker writes a folder of its own, the MirrorThread that copies it back and the end of
    that copy. Called under the RayTrainer's sync lock."""

    def __init__(self, run_dir: Path | None):
        self.run_dir = run_dir
        self.thread: MirrorThread | None = None

    def claim(self) -> str | None:
        """Leave a claim token in the app's run folder (made now) and return it; None without a
        folder or when the disk refuses (the worker then writes its own copy, and the copy
        back reports what the disk refuses)."""
        if self.run_dir is None:
            return None
        try:
            return write_claim(self.run_dir)
        except OSError:
            return None

    def withdraw(self) -> None:
        """The training never ran: remove the claim, and the folder while it is empty."""
        if self.run_dir is not None:
            drop_claim(self.run_dir, remove_empty_folder=True)

    def placed(self, actor, placement: Placement) -> None:
        """The actor is placed: the claim has served; start copying back when the worker writes
        a folder of its own."""
        if self.run_dir is None:
            return
        drop_claim(self.run_dir, remove_empty_folder=False)  # a worker that saw it removed it already
        if placement.copied:
            self.thread = MirrorThread(actor, self.run_dir)
            self.thread.start()

    def finished(self, actor, placement: Placement | None) -> str | None:
        """For an ended training: None while its run folder is still being copied (asking for
        the final copy); "" once it is here whole (the worker's copy is removed then); or a
        one-line warning when the copy failed, saying where the run stays."""
        thread = self.thread
        if thread is None:
            return ""
        thread.finish()
        if not thread.done.is_set():
            return None
        self.thread = None
        if thread.problem:
            where = f"{placement.host}:{placement.folder}" if placement else "the Ray worker"
            return f"The run folder was not copied back whole ({thread.problem}); it stays at {where}."
        try:
            ray.get(actor.discard.remote(), timeout=CALL_SECONDS)
        except (RayError, GetTimeoutError):
            pass  # the worker keeps a copy it no longer needs: nothing is lost
        return ""

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a copy under way to end; False when there is none."""
        thread = self.thread
        return thread is not None and thread.wait(timeout)

    def cancel(self) -> None:
        """Stop copying (the training is withdrawn or its worker is gone)."""
        if self.thread is not None:
            self.thread.cancel()


def _one_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
