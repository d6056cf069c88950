"""The trainer: owns a background thread that runs the compiled step and publishes snapshots.

Commands (pause, resume, stop, roll back, live hack changes) arrive through thread-safe
flags and a queue and take effect between steps. Everything the thread learns goes onto a
`Board`; nothing here knows about Streamlit. Failures become a "failed" state with the
message, never a silently dead thread. With a run folder, every epoch's end, a stop and
the end of the budget (mid-epoch too) write a checkpoint (gan_core/run/saver.py); NaN/inf pauses,
and `roll_back()` returns to the last good checkpoint.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.data import ImageSet, fit_config_to_data
from gan_core.hacks.live import LIVE_KEYS, live_values
from gan_core.nets.conditional import labels_note
from gan_core.run.changes import mark_change
from gan_core.run.loop import RunLoop
from gan_core.run.native_memory import release_free_memory
from gan_core.run.run_keeping import RunKeeping
from gan_core.run.saver import RunSaver
from gan_core.run.snapshot import ACTIVE_STATES, Board, Snapshot, Status
from gan_core.run.waiting import LEFT_THE_LINE, wait_for_turn
from gan_core.step.gan_step import GanStep

FLUSH_SECONDS = 0.25  # how often per-step metrics are fetched from the graph
# Steps per compiled call (fewer at an epoch's end): each call waits for the interpreter lock
# the pages hold (devtools/gil_share.py); pause, stop and changes act between calls.
STEPS_PER_CALL = 4


class Trainer(RunKeeping):
    """One DCGAN training in a background thread: build, train, publish, save.

    `cfg` is validated at once (ConfigError). With `run_dir` the run writes its folder
    (gan_core.store.runs), and `resume=True` continues its newest checkpoint; `data` is the
    ImageSet to train on (None: `cfg.data.source` is loaded on the thread). `on_event(kind,
    payload)` is called on the thread for "started", "epoch" (EpochRecord), "hack" (label),
    "nan" (message), "finished", "stopped" and "failed" (message). Commands (start, pause,
    resume, stop, set_hack, roll_back) are safe from any thread; readers take `snapshot()` or
    `status()`. A Job of the pool (gan_core.jobs.pool); with a `turn` it first waits, "queued",
    for its place in the server's line for slots (gan_core.run.waiting).
    """

    def __init__(
        self,
        cfg: TrainConfig,
        run_dir=None,
        resume: bool = False,
        data: ImageSet | None = None,
        on_event: Callable[[str, object], None] | None = None,
        turn=None,
    ):
        self.cfg = cfg.validated()
        self._turn = turn  # its place in the server's line for slots (gan_core.jobs.job.Turn), or None
        self.run_dir = Path(run_dir) if run_dir else None
        self.resume_from = resume
        self._data = data
        self._on_event = on_event or (lambda kind, payload: None)
        self.board = Board()
        self.board.update(
            state="idle",
            hacks=live_values(self.cfg),
            config_json=self.cfg.to_json(),
            max_seconds=self.cfg.run.max_seconds,
            run_dir=str(self.run_dir or ""),
        )
        self._changes: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()
        self._thread: threading.Thread | None = None
        self._live_cfg = self.cfg  # the config with live changes applied
        self._lock = threading.Lock()
        self._pause_reason = ""
        self._healthy = True  # False from a NaN/inf until a roll-back
        self._rollback_asked = threading.Event()
        self._rollback_done = threading.Event()
        self._rollback_result: object = None
        self.saver: RunSaver | None = None
        self._loop: RunLoop | None = None

    # -- commands (any thread) ---------------------------------------------------
    def start(self) -> None:
        """Start the training thread; RuntimeError when this trainer was already started (a trainer runs once)."""
        if self._thread is not None:
            raise RuntimeError("this trainer was already started")
        if self._turn is not None:
            self.board.update(state="queued", message="Waiting for a training slot…")
        else:
            self.board.update(state="starting", message="Loading data and building the models…")
        self._thread = threading.Thread(target=self._run, name="gan-trainer", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        """Pause between steps (only while running); the thread waits until resume or stop."""
        if self.board.get("state") == "running":
            self._running.clear()

    def resume(self) -> None:
        """Go on after a pause; ignored in other states."""
        if self.board.get("state") in ("paused", "running"):
            self._running.set()

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the thread to stop (it writes a final checkpoint first when it has a run folder);
        True if it ended within `timeout` seconds."""
        self._stop.set()
        self._running.set()
        if self._thread is None:
            self.board.update(state="stopped", message="Stopped before it started.")
            return True
        if self.board.get("state") in ("queued", "starting", "running", "paused"):
            self.board.update(state="stopping", message="Stopping…")
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end, at most `timeout` seconds (None: no limit)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def set_hack(self, key: str, value) -> TrainConfig:
        """Queue a live change; validated now, so a bad value raises ConfigError and changes nothing."""
        if key not in LIVE_KEYS:
            raise ConfigError(f"'{key}' cannot change while training (live keys: {', '.join(LIVE_KEYS)})")
        with self._lock:
            candidate = self._live_cfg.with_value(key, value).validated()
            self._live_cfg = candidate
        self._changes.put((key, live_values(candidate)[key]))
        return candidate

    def snapshot(self) -> Snapshot:
        """Everything published so far, copied (series, changes, epochs with their grids): for
        readers that need the histories; a page polling each second uses status().
        """
        return self.board.snapshot()

    def status(self) -> Status:
        """Scalars only (state, step, budget, warnings): what a page polls every second."""
        return self.board.status()

    def is_active(self) -> bool:
        """Whether the run is starting, running, paused or stopping: one scalar read, no copy."""
        return self.board.get("state") in ACTIVE_STATES

    @property
    def alive(self) -> bool:
        """Whether the training thread is running now."""
        return self._thread is not None and self._thread.is_alive()

    # -- the thread ----------------------------------------------------------------
    def _run(self) -> None:
        try:
            if not wait_for_turn(self._turn, self._stop, lambda text: self.board.update(message=text)):
                self.board.update(state="stopped", message=LEFT_THE_LINE)
                return
            self.board.update(state="starting", message="Loading data and building the models…")
            self._train()
        except Exception as e:  # surfaced to the UI; the thread ends cleanly
            logging.getLogger("gan_core.run.trainer").exception("training failed")
            first = str(e).strip().splitlines()[0] if str(e).strip() else ""
            self.board.update(state="failed", message=f"{type(e).__name__}: {first}")
            self._on_event("failed", self.board.get("message"))
        finally:
            self._release()

    def _release(self) -> None:
        """Drop the data set and the models as the thread ends: a finished trainer stays in the
        server's pool for an hour so its page can show it, and the board is all that needs."""
        self._record_end()
        self._data = None
        if self._loop is not None:
            self._loop.release()  # the next run of this configuration reuses its step
        if self.saver is not None:
            self.saver.step = None  # keeps where the run stands on disk, not the networks
        release_free_memory()
        if self._turn is not None:
            self._turn.done()  # the next in line starts

    @property
    def _gan_step(self) -> GanStep | None:
        """The run's compiled step while it trains, for in-process diagnostics and tests; the UI never reads it."""
        return self._loop.step if self._loop is not None else None

    def _begin(self) -> RunLoop:
        """Load the data, take the step, open (or resume) the run folder, say "started"."""
        data = self._load_data()
        cfg, batch_note = fit_config_to_data(self.cfg, len(data), f"'{data.name}'")  # a set smaller than one batch
        self.cfg = cfg
        if batch_note:
            self.board.warn(batch_note)
        # One device: a traced step of this configuration is reused (step/cache.py); several
        # devices: a mirrored step (step/mirrored.py).
        self._loop = loop = RunLoop(cfg, data, self.board)
        step = loop.step
        note = "" if step.self_conditioned else labels_note(cfg.model.use_labels, data.labels)
        if note:
            self.board.warn(note)
        self.counters = loop.counters  # one dict: run keeping restores into it
        self.saver = saver = RunSaver(None, step, self.board)
        saver.run = self._open_run_folder(saver, data)
        if saver.run is not None and self.resume_from:
            self._restore(saver)
        loop.save_epochs_with(saver)
        self.board.update(
            steps_per_epoch=loop.steps_per_epoch,
            total_steps=cfg.run.epochs * loop.steps_per_epoch,
            state="running",
            classes=step.classes,
            self_conditioned=step.self_conditioned,
            message="Compiling the training step (a few seconds, once)…",
        )
        self._on_event("started", None)
        return loop

    def _train(self) -> None:
        loop = self._begin()
        total = self.cfg.run.epochs * loop.steps_per_epoch
        last_flush = time.perf_counter()
        while not self._stop.is_set():
            if not self._running.is_set():
                self._while_paused()
                last_flush = time.perf_counter()
                continue
            self._apply_changes()
            if loop.train_some(STEPS_PER_CALL):
                last_flush = time.perf_counter()  # the one-off trace is no flush interval
            now = time.perf_counter()
            epoch_done = loop.epoch_done  # one pass over the real images (units.py)
            if now - last_flush >= FLUSH_SECONDS or epoch_done:
                self._flush_and_schedule(early_grid=not epoch_done)
                last_flush = now
            if epoch_done:
                self._on_event("epoch", loop.finish_epoch(self._live_cfg, healthy=self._healthy))
            if loop.budget_spent(total):
                c = self.counters
                message = f"Finished: {c['step']} steps, {c['epoch']} epochs in {c['elapsed']:.0f} s."
                return self._end("finished", message)
        self._end("stopped", f"Stopped at step {self.counters['step']}.")

    # -- helpers of the thread ---------------------------------------------------
    def _while_paused(self) -> None:
        """One wait of the paused loop: flush, roll back when asked, show "paused", and
        show "running" again once resumed."""
        self._flush()
        if self._rollback_asked.is_set():
            self._do_roll_back(self.saver)
        self.board.update(
            state="paused",
            message=self._pause_reason or "Paused.",
            step=self.counters["step"],
            elapsed=self.counters["elapsed"],
        )
        self._running.wait(0.1)
        if self._running.is_set() and not self._stop.is_set():
            self._pause_reason = ""
            self.board.update(state="running", message="")

    def _flush_and_schedule(self, early_grid: bool) -> None:
        """A flush of the running loop: metrics (a NaN/inf pauses), the learning-rate decay,
        and before the first epoch's end the preview grid when one is due."""
        if not self._flush():
            self._healthy = False  # no checkpoint of these weights
            self._running.clear()  # NaN: pause, keep everything for inspection
        self._loop.own_schedule(self._live_cfg.optimizer)
        if self.board.get("message", "").startswith("Compiling"):
            self.board.update(message="")
        if early_grid:
            self._loop.early_grid(self._live_cfg)  # a picture before the first epoch ends

    def _apply_changes(self) -> None:
        """Assign the queued live changes to the step (no retrace) and mark each on the curves."""
        while True:
            try:
                key, value = self._changes.get_nowait()
            except queue.Empty:
                return
            label = mark_change(self.board, key, value, self.counters["step"])
            if label is None:
                continue
            self._loop.step.apply_live(self._live_cfg)
            self._loop.own_schedule(self._live_cfg.optimizer)
            self._on_event("hack", label)

    def _flush(self) -> bool:
        """Fetch pending per-step metrics; False (and a warning) if any is NaN/inf."""
        problem = self._loop.flush()
        if problem:
            self._pause_reason = problem
            self._on_event("nan", problem)
            return False
        return True
