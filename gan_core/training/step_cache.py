"""Compiled training steps kept between runs, one per configuration, so starting the same
configuration again does not trace again.

Why: each trace of the step leaves ~10 MiB of TensorFlow's native memory behind (its function
graphs stay referenced from TensorFlow's C++ side after the GanStep, its models and the trainer
are all freed), so a server whose users start and stop trainings grew without bound. A step
reused through `GanStep.restart` starts exactly as a fresh build would (weights of the run's
seed, fresh optimizers and streams), so results do not depend on which run used it before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from gan_core.config import TrainConfig
from gan_core.training.mirrored import make_step, training_strategy
from gan_core.training.step import GanStep, graph_key

# Idle steps kept: a configuration and the one tried before it (e.g. the two sides of a
# change of architecture); each holds its models, data set copy and replay ring.
IDLE_STEPS = 2


class StepCache:
    """Idle GanSteps by `graph_key`, at most `capacity` of them (the least recently released
    goes first). Thread-safe; a step is used by one run at a time: `acquire` takes it out,
    `release` puts it back.
    """

    def __init__(self, capacity: int = IDLE_STEPS):
        self.capacity = int(capacity)
        self._idle: OrderedDict[tuple, GanStep] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, cfg: TrainConfig, images_uint8: np.ndarray, labels: np.ndarray | None = None) -> GanStep:
        """A step for this run: an idle one of the same graph_key restarted for `cfg` and these
        images, else a new GanStep (raising what GanStep raises for bad input)."""
        if training_strategy() is not None:  # several devices: a mirrored step, not cached (mirrored.py)
            return make_step(cfg, images_uint8, labels)
        key = graph_key(cfg, images_uint8, labels)
        with self._lock:
            step = self._idle.pop(key, None)
        if step is None:
            return GanStep(cfg, images_uint8, labels=labels)
        step.restart(cfg, images_uint8, labels)
        return step

    def release(self, step: GanStep) -> None:
        """Keep `step` for the next run of its configuration (its run has ended); a mirrored
        step (several devices) is not kept."""
        if type(step) is not GanStep:
            return
        with self._lock:
            self._idle[step.graph_key] = step
            self._idle.move_to_end(step.graph_key)
            while len(self._idle) > self.capacity:
                self._idle.popitem(last=False)

    def clear(self) -> None:
        """Drop every idle step (their memory goes back when nothing else holds them)."""
        with self._lock:
            self._idle.clear()

    def __len__(self) -> int:
        """Idle steps held now."""
        with self._lock:
            return len(self._idle)


_SHARED = StepCache()


def shared_steps() -> StepCache:
    """The process's one cache, shared by every trainer (and so by every browser session)."""
    return _SHARED
