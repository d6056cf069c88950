"""The playground's trainer is built at its first step; until then a shared untrained twin draws it."""

from dataclasses import replace

import numpy as np

from gan_core.toy import lazy
from gan_core.toy.config import ToyConfig
from gan_core.toy.datasets import builtin_dataset
from gan_core.toy.lazy import LazyToyTrainer, shared_twin
from gan_core.toy.trainer import ToyTrainer

CONFIG = ToyConfig().with_overrides(["run.batch_size=64", "run.eval_samples=200", "run.seed=3"])
GRID = np.stack(np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-2, 2, 7)), axis=-1).reshape(-1, 2).astype(np.float32)


def live(config: ToyConfig) -> ToyConfig:
    """Live settings away from the defaults: a uniform latent, least squares, flips."""
    return config.with_overrides(
        ["hacks.latent_distribution=uniform", "hacks.adversarial_loss=least-squares", "hacks.flip_probability=0.1"]
    )


def lazy_and_built() -> tuple[LazyToyTrainer, ToyTrainer]:
    """A lazy trainer and a built one of the same config on the ring, both under `live`'s settings."""
    ring = builtin_dataset("ring")
    page = LazyToyTrainer("ring", CONFIG, ring)
    page.apply_live(live(CONFIG))
    built = ToyTrainer(CONFIG, ring)
    built.apply_live(live(CONFIG))
    return page, built


def test_an_untrained_lazy_trainer_shows_what_a_built_one_shows_and_builds_nothing():
    page, built = lazy_and_built()

    np.testing.assert_allclose(page.generated_points(), built.generated_points(), atol=1e-6)
    np.testing.assert_allclose(page.d_probability(GRID), built.d_probability(GRID), atol=1e-6)
    np.testing.assert_allclose(page.generator_gradient(GRID), built.generator_gradient(GRID), atol=1e-5)
    assert page.built is None and page.steps == 0 and page.history.shape == (0, 6)
    assert page.config.hacks.adversarial_loss == "least-squares"  # the live settings are kept for the build


def test_the_first_step_builds_from_the_twins_weights_and_trains_as_a_built_trainer():
    page, built = lazy_and_built()

    assert page.run(5) == built.run(5) == 5
    assert page.built is not None and page.steps == 5 and page.history.shape == (5, 6)
    np.testing.assert_allclose(page.generated_points(), built.generated_points(), atol=1e-5)
    np.testing.assert_allclose(page.history, built.history, atol=1e-5)
    page.apply_live(CONFIG)  # back to the defaults: now on the built trainer
    assert page.built.config.hacks.adversarial_loss == "bce"
    assert page.trained_seconds == 0.0  # any other trainer attribute is the built one's


def test_browsers_on_the_same_data_and_networks_share_one_twin_and_few_are_kept():
    ring, grid = builtin_dataset("ring"), builtin_dataset("grid")
    assert shared_twin("ring", CONFIG, ring) is shared_twin("ring", live(CONFIG), ring)  # live settings: same twin
    assert shared_twin("ring", CONFIG, ring) is not shared_twin("grid", CONFIG, grid)
    wider = replace(CONFIG, model=replace(CONFIG.model, hidden=CONFIG.model.hidden * 2))
    assert shared_twin("ring", CONFIG, ring) is not shared_twin("ring", wider, ring)
    for seed in range(lazy.TWINS_KEPT + 2):
        shared_twin("ring", CONFIG.with_overrides([f"run.seed={100 + seed}"]), ring)
    assert len(lazy._twins) == lazy.TWINS_KEPT
