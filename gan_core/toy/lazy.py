"""A playground trainer built at its first training step, and the untrained twins that draw it until then.

Most browsers that open the 2D playground in a class look before they train, or never train.
Building a ToyTrainer (three small Keras networks, two optimizers) and tracing its view
functions costs about 0.1 s of interpreter time, and in a class the interpreter lock is what
every other training waits for (docs/measured.md). An untrained trainer's picture depends
only on its data, networks and seed, so one untrained twin per such set draws every browser's
picture until that browser trains: `LazyToyTrainer` builds its own networks at the first
Step or Play, from the same seed, so what it trains starts from the very weights the twin
showed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from gan_core.toy.config import ToyConfig
from gan_core.toy.datasets import ToyDataset

TWINS_KEPT = 8  # untrained twins kept server-wide (each a few hundred KB of weights)
_twins: OrderedDict = OrderedDict()
_twins_lock = threading.Lock()


class UntrainedTwin:
    """One untrained ToyTrainer, shared: its views (G's points for the fixed latent points, D's
    verdicts, G's gradient) for any browser's live settings, one caller at a time (a lock: the
    live settings are the twin's variables, set from the caller's config before each view)."""

    def __init__(self, config: ToyConfig, dataset: ToyDataset):
        from gan_core.toy.trainer import ToyTrainer  # loads TensorFlow: only when a twin is made

        self._trainer = ToyTrainer(config, dataset)
        self._lock = threading.Lock()

    def view(self, config: ToyConfig, name: str, *args):
        """The untrained trainer's `name` view (generated_points, d_probability or
        generator_gradient) under `config`'s live settings."""
        with self._lock:
            self._trainer.apply_live(config)
            return getattr(self._trainer, name)(*args)


def shared_twin(key: str, config: ToyConfig, dataset: ToyDataset) -> UntrainedTwin:
    """The server's untrained twin for data `key` (a content key: a built-in set's name, or a
    digest of uploaded or drawn points) and `config`'s networks and seed; made at the first call,
    the TWINS_KEPT most recently used kept."""
    # What an untrained trainer's views depend on besides the live settings.
    fixed = (key, config.model, config.run.seed, config.run.eval_samples)
    with _twins_lock:
        twin = _twins.get(fixed)
        if twin is not None:
            _twins.move_to_end(fixed)
            return twin
    twin = UntrainedTwin(config, dataset)  # outside the lock: two first callers may both build; one is kept
    with _twins_lock:
        twin = _twins.setdefault(fixed, twin)
        _twins.move_to_end(fixed)
        while len(_twins) > TWINS_KEPT:
            _twins.popitem(last=False)
    return twin


class LazyToyTrainer:
    """A ToyTrainer (gan_core.toy.trainer) of `config` on `dataset` whose networks are built at
    the first training call (run, step_d, step_g, step_both, run_scheduled, train_for, or any
    other trainer attribute); until then `steps` is 0, `history` empty and the views come from
    the shared untrained twin of data `key`. ConfigError for an invalid config, at once."""

    def __init__(self, key: str, config: ToyConfig, dataset: ToyDataset):
        self.key = key
        self.config = config.validated()
        self.dataset = dataset
        self._built = None

    @property
    def built(self):
        """The ToyTrainer once built, else None."""
        return self._built

    def trainer(self):
        """The ToyTrainer, built now if it was not (its networks from the config's seed, as the
        twin's, with the live settings of now)."""
        if self._built is None:
            from gan_core.toy.trainer import ToyTrainer

            self._built = ToyTrainer(self.config, self.dataset)
        return self._built

    def apply_live(self, config: ToyConfig) -> None:
        """Take the live part of `config` (hacks, optimizer, the average's decay), as
        ToyTrainer.apply_live; no build."""
        if self._built is not None:
            self._built.apply_live(config)
            self.config = self._built.config
            return
        config = config.validated()
        self.config = replace(
            self.config,
            optimizer=config.optimizer,
            hacks=config.hacks,
            run=replace(self.config.run, ema_decay=config.run.ema_decay),
        )

    # -- views: the twin's until built ----------------------------------------------------------
    def _view(self, name: str, *args):
        if self._built is not None:
            return getattr(self._built, name)(*args)
        return shared_twin(self.key, self.config, self.dataset).view(self.config, name, *args)

    def generated_points(self, averaged: bool = True) -> np.ndarray:
        """As ToyTrainer.generated_points: (run.eval_samples, 2) float32."""
        return self._view("generated_points", averaged)

    def d_probability(self, points: np.ndarray) -> np.ndarray:
        """As ToyTrainer.d_probability: (n,) float32 in [0, 1]."""
        return self._view("d_probability", points)

    def generator_gradient(self, points: np.ndarray) -> np.ndarray:
        """As ToyTrainer.generator_gradient: (n, 2) float32."""
        return self._view("generator_gradient", points)

    @property
    def steps(self) -> int:
        """Generator steps so far (0 until built)."""
        return 0 if self._built is None else self._built.steps

    @property
    def history(self) -> np.ndarray:
        """As ToyTrainer.history; (0, 6) until built."""
        if self._built is None:
            from gan_core.toy.trainer import HISTORY_COLUMNS

            return np.zeros((0, len(HISTORY_COLUMNS)), np.float32)
        return self._built.history

    @property
    def lr_scale(self) -> float:
        """As ToyTrainer.lr_scale (1.0 until built)."""
        return 1.0 if self._built is None else self._built.lr_scale

    # -- training: builds -------------------------------------------------------------------------
    def run(self, n_steps: int) -> int:
        """As ToyTrainer.run."""
        return self.trainer().run(n_steps)

    def run_scheduled(self, n_steps: int) -> int:
        """As ToyTrainer.run_scheduled."""
        return self.trainer().run_scheduled(n_steps)

    def step_both(self) -> int:
        """As ToyTrainer.step_both."""
        return self.trainer().step_both()

    def step_d(self) -> None:
        """As ToyTrainer.step_d."""
        self.trainer().step_d()

    def step_g(self) -> None:
        """As ToyTrainer.step_g."""
        self.trainer().step_g()

    def __getattr__(self, name: str):
        # Anything else a ToyTrainer has (trained_seconds, replay, train_for, ...) is the built
        # trainer's. Private and special names are not: copy and pickle probe them before
        # __init__ has run.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.trainer(), name)
