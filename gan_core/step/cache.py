"""Compiled training steps kept between runs, so starting a configuration again (a training
or a comparison's arm, gan_core/run/loop.py) does not trace again.

Why: each trace of the step leaves ~10 MiB of TensorFlow's native memory behind (its function
graphs stay referenced from TensorFlow's C++ side after the GanStep, its models and the trainer
are all freed), so a server whose users start and stop trainings and comparisons grew
without bound. A step
reused through `GanStep.restart` starts exactly as a fresh build would (weights of the run's
seed, fresh optimizers and streams), so results do not depend on which run used it before.
"""

from __future__ import annotations

import threading

import numpy as np

from gan_core.config.tree import TrainConfig
from gan_core.step.gan_step import GanStep, graph_key
from gan_core.step.mirrored import make_step, training_strategy

# Idle steps kept: a training's configuration and the one tried before it (e.g. the two sides
# of a change of architecture), and a careful comparison's six runs (gan_core/compare/job.py:
# three seeds per arm), which all need a step at once, six of one configuration when a live
# hack is compared. Each idle step holds ~14 MiB (its variables and starting values, mostly the
# data set's copy and the replay ring; summed for the fast-demo and dcgan-hacks presets on
# mnist-5k); each one dropped and needed again costs a trace (10-45 MiB of native memory for
# good), so keeping six costs less than tracing the careful comparison's steps again.
IDLE_STEPS = 6
# How long a Start waits for a prewarm of its own configuration before building its own step.
PREWARM_WAIT_SECONDS = 120.0


class StepCache:
    """Idle GanSteps, at most `capacity` of them (the least recently released goes first),
    several of one `graph_key` when runs of one configuration ended side by side.
    Thread-safe; a step is used by one run at a time: `acquire` takes it out, `release`
    puts it back, so two runs of one configuration at once get two steps.
    """

    def __init__(self, capacity: int = IDLE_STEPS):
        self.capacity = int(capacity)
        self._idle: list[GanStep] = []  # least recently released first
        self._warming: set[tuple] = set()  # keys being traced by `prewarm` now
        self._lock = threading.Condition()  # notified when a step goes idle or a prewarm ends

    def acquire(self, cfg: TrainConfig, images_uint8: np.ndarray, labels: np.ndarray | None = None) -> GanStep:
        """A step for this run: the most recently released idle one of the same graph_key,
        restarted for `cfg` and these images, else a new GanStep (raising what GanStep raises
        for bad input). Nobody else holds the step until it is released."""
        if training_strategy() is not None:  # several devices: a mirrored step, not cached (mirrored.py)
            return make_step(cfg, images_uint8, labels)
        key = graph_key(cfg, images_uint8, labels)
        with self._lock:
            # While its prewarm is under way, wait for one of its copies: waiting costs less
            # than a second trace running beside it.
            self._lock.wait_for(lambda: self._has_idle(key) or key not in self._warming, PREWARM_WAIT_SECONDS)
            step = self._take_locked(key)
        if step is None:
            return GanStep(cfg, images_uint8, labels=labels)
        try:
            step.restart(cfg, images_uint8, labels)
        except BaseException:
            self.release(step)  # still a good step for the next run of its configuration
            raise
        return step

    def _has_idle(self, key: tuple) -> bool:
        return any(idle.graph_key == key for idle in self._idle)

    def _take_locked(self, key: tuple) -> GanStep | None:
        for i in range(len(self._idle) - 1, -1, -1):
            if self._idle[i].graph_key == key:
                return self._idle.pop(i)
        return None

    def release(self, step: GanStep) -> None:
        """Keep `step` for the next run of its configuration (its run has ended); a mirrored
        step (several devices) is not kept, and a step already idle is not kept twice."""
        if type(step) is not GanStep:
            return
        with self._lock:
            if any(idle is step for idle in self._idle):
                return  # two runs must never be handed one step
            self._idle.append(step)
            del self._idle[: max(0, len(self._idle) - self.capacity)]
            self._lock.notify_all()

    def prewarm(
        self, cfg: TrainConfig, images_uint8: np.ndarray, labels: np.ndarray | None = None, copies: int = 1
    ) -> bool:
        """Build the step of `cfg` on these images, trace it and run it once now, and keep it idle,
        so the first Start of that configuration neither builds, traces nor waits for the first
        call's graph optimization (most of the seconds before the first grid: 4.4 s of the trace
        alone in 5.4 s, measured on two cores). `copies` (1 up to the cache's capacity) such
        steps, one after another, each idle as soon as it is traced: a class whose trainings at
        once are N starts N at once, and each of those Starts would trace beside the others
        (four traces at once on two cores took ~20 s each). An `acquire` of the same
        configuration meanwhile waits for a copy. Returns False (nothing done) when that many
        are already idle or a prewarm of it is under way, or when several devices are in use
        (mirrored steps are not cached). Raises what GanStep raises for bad input."""
        if training_strategy() is not None:
            return False
        key = graph_key(cfg, images_uint8, labels)
        copies = max(1, min(int(copies), self.capacity))
        with self._lock:
            missing = copies - sum(idle.graph_key == key for idle in self._idle)
            if key in self._warming or missing <= 0:
                return False
            self._warming.add(key)
        try:
            for _ in range(missing):
                step = GanStep(cfg, images_uint8, labels=labels)
                step.warm_up()  # trace and first call; `acquire` restarts it to a fresh build's start
                self.release(step)
        finally:
            with self._lock:
                self._warming.discard(key)
                self._lock.notify_all()
        return True

    def clear(self) -> None:
        """Drop every idle step (their memory goes back when nothing else holds them)."""
        with self._lock:
            self._idle.clear()

    def warming(self) -> int:
        """How many configurations `prewarm` is tracing now (for diagnostics and tests)."""
        with self._lock:
            return len(self._warming)

    def idle(self) -> tuple[GanStep, ...]:
        """The idle steps now, least recently released first (for diagnostics and tests)."""
        with self._lock:
            return tuple(self._idle)

    def __len__(self) -> int:
        """Idle steps held now."""
        with self._lock:
            return len(self._idle)


_SHARED = StepCache()


def shared_steps() -> StepCache:
    """The process's one cache, shared by every trainer (and so by every browser session)."""
    return _SHARED


def prewarm_wanted(environ) -> bool:
    """Whether the server should prewarm the default step: GAN_LAB_PREWARM "1" (the default) or
    "0", and never on Ray (trainings run in actors elsewhere). Raises ConfigError (one line)
    for any other value."""
    from gan_core.config.tree import ConfigError

    value = environ.get("GAN_LAB_PREWARM", "1").strip()
    if value not in ("0", "1"):
        raise ConfigError(f"GAN_LAB_PREWARM must be 0 or 1, got {value!r}")
    return value == "1" and not environ.get("GAN_LAB_RAY_ADDRESS")


def prewarm_preset(name: str, copies: int = 1) -> threading.Thread:
    """Trace `copies` steps of the preset `name` on its own data set in a daemon thread (started
    here; returned for tests), so a class's first Starts of the default (as many at once as
    the class's trainings at once) show their first grids within about a second. The app calls
    it once per server; errors only log (the Start that follows builds its own step and
    reports them)."""
    import logging

    def work() -> None:
        """Trace the preset's step on its own thread and keep it in the cache (errors are logged, not raised)."""
        from gan_core.config.presets import preset
        from gan_core.data import fit_config_to_data, load_images

        try:
            cfg = preset(name)
            data = load_images(cfg.data.source)
            cfg, _ = fit_config_to_data(cfg, len(data), data.name)
            shared_steps().prewarm(cfg, data.images, data.labels, copies=copies)
        except Exception:  # noqa: BLE001 - a failed warm-up must not take the server down
            logging.getLogger(__name__).exception("could not prewarm the %s step", name)

    thread = threading.Thread(target=work, name=f"prewarm-{name}", daemon=True)
    thread.start()
    return thread
