"""Same seed, same starting weights, whatever another thread builds, loads or seeds meanwhile.

Compare's fairness rests on it: both arms start from the same weights while other browser
sessions of the same server build or load models at the same moment.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from gan_core.config.presets import preset
from gan_core.config.tree import ModelConfig
from gan_core.nets.models import build_discriminator, build_generator
from gan_core.step.gan_step import GanStep

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

SMALL = ModelConfig(base_filters=8, latent_dim=16)
SHAPE = (28, 28, 1)


def weights(*models) -> list[np.ndarray]:
    return [w for m in models for w in m.get_weights()]


def networks(seed: int) -> list[np.ndarray]:
    return weights(build_generator(SMALL, SHAPE, seed=seed), build_discriminator(SMALL, SHAPE, seed=seed))


def same(a, b) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


class Meddler:
    """Another session's thread: reseeds the process, builds and saves/loads models, in a loop."""

    def __init__(self, tmp_path):
        self.tmp_path, self.stop, self.rounds = tmp_path, threading.Event(), 0
        self.thread = threading.Thread(target=self._run, name="meddler")

    def _run(self):
        import keras

        while not self.stop.is_set():
            keras.utils.set_random_seed(1000 + self.rounds)  # what a careless thread would do
            model = build_generator(SMALL, SHAPE, seed=1000 + self.rounds)
            path = self.tmp_path / f"g{self.rounds % 2}.keras"
            model.save(path)
            keras.models.load_model(path, compile=False, safe_mode=True)
            keras.initializers.RandomNormal()((64, 64))  # a draw from the global stream
            self.rounds += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(120)


def test_a_seed_gives_the_same_weights_while_another_thread_reseeds_builds_and_loads(tmp_path):
    reference = networks(3)
    assert not same(reference, networks(4))
    results, errors = [], []

    def build():
        try:
            for _ in range(3):
                results.append(networks(3))
        except Exception as e:  # surfaced below: a failing thread must fail the test
            errors.append(e)

    with Meddler(tmp_path) as meddler:
        builders = [threading.Thread(target=build) for _ in range(2)]
        for t in builders:
            t.start()
        for t in builders:
            t.join(300)
    assert not errors
    assert meddler.rounds > 0
    assert len(results) == 6 and all(same(reference, r) for r in results)


def test_comparisons_two_arms_start_from_the_same_weights_while_another_session_builds(tmp_path, small_digits):
    cfg = preset("fast-demo")
    arms = {}

    def arm(name):
        step = GanStep(cfg, small_digits.images, labels=small_digits.labels)
        arms[name] = weights(step.generator, step.discriminator)

    with Meddler(tmp_path) as meddler:
        threads = [threading.Thread(target=arm, args=(name,)) for name in "AB"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
    assert meddler.rounds > 0
    assert set(arms) == {"A", "B"} and same(arms["A"], arms["B"])
    other = GanStep(cfg.with_value("run.seed", 1), small_digits.images, labels=small_digits.labels)
    assert not same(arms["A"], weights(other.generator, other.discriminator))
