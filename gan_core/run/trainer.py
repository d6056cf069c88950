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
from collections import deque
from collections.abc import Callable
from pathlib import Path

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.data import ImageSet, fit_config_to_data, load_images
from gan_core.hacks.live import LIVE_KEYS, live_values
from gan_core.nets.conditional import labels_note
from gan_core.run import epoch_end, units
from gan_core.run.health_watch import HealthWatch
from gan_core.run.loop import budget_progress, flush_metrics, learning_rate_factor
from gan_core.run.run_keeping import RunKeeping
from gan_core.run.saver import RunSaver
from gan_core.run.snapshot import ACTIVE_STATES, Board, HackChange, Snapshot, Status
from gan_core.step.cache import shared_steps
from gan_core.step.gan_step import GanStep
from gan_core.store.runs import load_run_data

FLUSH_SECONDS = 0.25  # how often per-step metrics are fetched from the graph
MERGE_STEPS = 20  # changes of one hack this close together become one marker


def _format(value) -> str:
    if value == "":
        return "none"  # an empty set of DiffAugment policies
    if isinstance(value, float):
        return f"{value:.2g}" if value < 0.01 else f"{value:.2f}"
    if isinstance(value, tuple):
        return "[" + ", ".join(_format(v) for v in value) + "]"
    return str(value)


class Trainer(RunKeeping):
    """One DCGAN training in a background thread: build, train, publish, save.

    `cfg` is validated at once (ConfigError). With `run_dir` the run writes its folder
    (gan_core.store.runs), and `resume=True` continues its newest checkpoint; `data` is the
    ImageSet to train on (None: `cfg.data.source` is loaded on the thread). `on_event(kind,
    payload)` is called on the thread for "started", "epoch" (EpochRecord), "hack" (label),
    "nan" (message), "finished", "stopped" and "failed" (message). Commands (start, pause,
    resume, stop, set_hack, roll_back) are safe from any thread; readers take `snapshot()` or
    `status()`. A Job of the pool (gan_core.jobs.pool).
    """

    def __init__(
        self,
        cfg: TrainConfig,
        run_dir=None,
        resume: bool = False,
        data: ImageSet | None = None,
        on_event: Callable[[str, object], None] | None = None,
    ):
        self.cfg = cfg.validated()
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
        self._recent = HealthWatch()  # last per-step rows, for the step-level health checks
        self._healthy = True  # False from a NaN/inf until a roll-back
        self._rollback_asked = threading.Event()
        self._rollback_done = threading.Event()
        self._rollback_result: object = None
        self.saver: RunSaver | None = None
        self._gan_step: GanStep | None = None

    # -- commands (any thread) ---------------------------------------------------
    def start(self) -> None:
        """Start the training thread; RuntimeError when this trainer was already started (a trainer runs once)."""
        if self._thread is not None:
            raise RuntimeError("this trainer was already started")
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
        if self.board.get("state") in ("starting", "running", "paused"):
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
        if self._gan_step is not None:
            shared_steps().release(self._gan_step)  # the next run of this configuration reuses it
        self._gan_step = None
        if self.saver is not None:
            self.saver.step = None  # keeps where the run stands on disk, not the networks

    def _train(self) -> None:
        cfg = self.cfg
        if self._data is not None:
            data = self._data
        elif self.resume_from and self.run_dir is not None:
            data = load_run_data(self.run_dir, cfg.data.source)
        else:
            data = load_images(cfg.data.source)
        cfg, batch_note = fit_config_to_data(cfg, len(data), f"'{data.name}'")  # a set smaller than one batch
        self.cfg = cfg
        if batch_note:
            self.board.warn(batch_note)
        # One device: a traced step of this configuration is reused (step_cache.py); several
        # devices: a mirrored step (mirrored.py).
        step = shared_steps().acquire(cfg, data.images, data.labels)
        note = "" if step.self_conditioned else labels_note(cfg.model.use_labels, data.labels)
        if note:
            self.board.warn(note)
        self._gan_step = step  # for in-process diagnostics and tests; the UI never reads it
        self.counters = {"step": 0, "epoch": 0, "elapsed": 0.0}
        self.saver = saver = RunSaver(None, step, self.board)
        saver.run = self._open_run_folder(saver, data)
        spe = units.steps_per_epoch(len(data), cfg.run.batch_size, cfg.hacks.d_steps)
        if saver.run is not None and self.resume_from:
            self._restore(saver)
        work = epoch_end.EpochEnd(cfg, step, data, saver, self.board)
        total = cfg.run.epochs * spe
        self.board.update(
            steps_per_epoch=spe,
            total_steps=total,
            state="running",
            classes=step.classes,
            self_conditioned=step.self_conditioned,
            message="Compiling the training step (a few seconds, once)…",
        )
        self._on_event("started", None)

        pending: list = []
        last_flush = time.perf_counter()
        step_seconds: deque = deque(maxlen=units.RATE_WINDOW)
        compiled = step.traces > 0  # a step reused from an earlier run of this configuration
        while not self._stop.is_set():
            if not self._running.is_set():
                self._flush(pending, step)
                pending = []
                if self._rollback_asked.is_set():
                    self._do_roll_back(saver, step)
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
                    last_flush = time.perf_counter()
                continue
            self._apply_changes(step)
            t0 = time.perf_counter()
            pending.append(step.step())
            self.counters["step"] += 1
            now = time.perf_counter()
            if step.traces > 0 and not compiled:
                # The one-off trace is not training time: keep it out of the budget.
                compiled = True
                self.board.update(compile_seconds=now - t0)
                last_flush = now
            else:
                self.counters["elapsed"] += now - t0
                step_seconds.append(now - t0)
            epoch_done = step.epoch_complete  # one pass over the real images (units.py)
            if now - last_flush >= FLUSH_SECONDS or epoch_done:
                if not self._flush(pending, step):
                    self._healthy = False  # no checkpoint of these weights
                    self._running.clear()  # NaN: pause, keep everything for inspection
                pending = []
                self._schedule_learning_rates(step)
                self.board.update(
                    step=self.counters["step"],
                    elapsed=self.counters["elapsed"],
                    steps_per_s=units.steps_per_second(step_seconds),
                )
                if self.board.get("message", "").startswith("Compiling"):
                    self.board.update(message="")
                if not epoch_done:
                    work.early_grid(self.counters, self._live_cfg)  # a picture before the first epoch ends
                last_flush = now
            if epoch_done:
                t1 = time.perf_counter()
                self.counters["epoch"] += 1
                record = work.finish_epoch(self.counters, self._live_cfg, healthy=self._healthy)
                self.counters["elapsed"] += time.perf_counter() - t1
                self.board.update(epoch=self.counters["epoch"], elapsed=self.counters["elapsed"])
                self._on_event("epoch", record)
            if self._budget_spent(total):
                self._flush(pending, step)
                self._final_save(saver)
                self.board.update(
                    state="finished",
                    step=self.counters["step"],
                    elapsed=self.counters["elapsed"],
                    message=f"Finished: {self.counters['step']} steps, "
                    f"{self.counters['epoch']} epochs in {self.counters['elapsed']:.0f} s.",
                )
                self._on_event("finished", None)
                return
        self._flush(pending, step)
        self._final_save(saver)
        self.board.update(
            state="stopped", step=self.counters["step"], message=f"Stopped at step {self.counters['step']}."
        )
        self._on_event("stopped", None)

    # -- helpers of the thread ---------------------------------------------------
    def _apply_changes(self, step: GanStep) -> None:
        while True:
            try:
                key, value = self._changes.get_nowait()
            except queue.Empty:
                return
            hacks = dict(self.board.get("hacks"))
            old = hacks.get(key)
            if old == value:
                continue
            hacks[key] = value
            cfg = self._live_cfg
            step.apply_live(cfg)
            self._schedule_learning_rates(step)
            step_now = self.counters["step"]
            last = self.board.last_change()
            if last is not None and last.key == key and step_now - last.step <= MERGE_STEPS:
                old = last.old  # one slider drag is one marker, not one per arrow key
                self.board.drop_last_change()
            label = f"{LIVE_KEYS[key]} {_format(old)} → {_format(value)}"
            self.board.add_change(HackChange(step_now, key, old, value, label))
            self.board.update(hacks=hacks)
            self._on_event("hack", label)

    def _schedule_learning_rates(self, step: GanStep) -> None:
        opt = self._live_cfg.optimizer
        factor = learning_rate_factor(
            opt, self.cfg.run, self.counters["elapsed"], self.counters["step"], self.board.get("steps_per_epoch", 1)
        )
        step.set_learning_rates(opt.d_learning_rate * factor, opt.g_learning_rate * factor)
        # The instance noise decays over the same budget.
        step.set_budget_progress(
            budget_progress(
                self.cfg.run, self.counters["elapsed"], self.counters["step"], self.board.get("steps_per_epoch", 1)
            )
        )

    def _flush(self, pending: list, step: GanStep) -> bool:
        """Fetch pending per-step metrics; False (and a warning) if any is NaN/inf."""
        problem = flush_metrics(self.board, pending, self.counters["step"], self._recent)
        if problem:
            self._pause_reason = problem
            self._on_event("nan", problem)
            return False
        return True

    def _budget_spent(self, total_steps: int) -> bool:
        run = self.cfg.run
        if total_steps and self.counters["step"] >= total_steps:
            return True
        return bool(run.max_seconds) and self.counters["elapsed"] >= run.max_seconds
