"""Reuse of one traced step between runs: what shapes its graph (`graph_key`), tracing it
ahead (`warm_up`) and making it a fresh run's step again without tracing (`restart`).

TensorFlow keeps ~10 MiB of native memory per traced step that no Python reference frees, so
a server that starts the same configuration again reuses its step (gan_core.step.cache).
"""

from __future__ import annotations

import keras
import numpy as np

from gan_core.config.tree import TrainConfig
from gan_core.hacks.self_conditioning import cluster_labels, wants_clusters
from gan_core.nets.conditional import label_classes
from gan_core.nets.models import build_discriminator, build_generator


def _values(model: keras.Model) -> list[np.ndarray]:
    """Copies of every variable of `model` (weights, BatchNorm statistics, random-layer states)."""
    return [np.array(v.numpy()) for v in model.variables]


def graph_key(cfg: TrainConfig, images, labels=None) -> tuple:
    """What shapes the compiled step's graph: the model section, batch size, precision, D's
    optimizer and Adam's beta_1, the images' shape (count included) and the number of classes.
    Two runs with equal keys can share one traced step (GanStep.restart); everything else a
    run sets (seed, hacks, learning rates, EMA decay, the pixels) is a variable. `images` is an
    array or tf.Variable (n, H, W, C); `labels` as GanStep takes them."""
    clustered = wants_clusters(cfg.model.self_conditioning, cfg.model.use_labels, label_classes(labels) > 0)
    classes = cfg.model.self_conditioning if clustered else label_classes(labels) if cfg.model.use_labels else 0
    return (
        cfg.model,
        cfg.run.batch_size,
        cfg.run.precision,
        cfg.optimizer.d_optimizer,
        cfg.optimizer.beta_1,
        tuple(int(d) for d in images.shape),
        classes,
    )


class StepReuse:
    """GanStep's reuse between runs (a mixin): keeps the models' starting values of a seed and
    sets every part of the step back to them. Uses the step's models, optimizers, EMA, live
    settings, random streams (gan_core.step.stream) and replay ring."""

    def _keep_initial(self, seed: int) -> None:
        """Remember the models' values now (just built from `seed`), so `restart` can start a
        run of the same seed again without building the models."""
        self._initial = (seed, _values(self.generator), _values(self.discriminator))
        # Not zeros: fp16's loss-scale optimizer starts its dynamic scale at 2^15 (a zero
        # scale would skip every update of a reused step).
        self._optimizers_initial = [[np.array(v.numpy()) for v in opt.variables] for opt in self._optimizers()]

    def _optimizers(self) -> tuple:
        return (self.d_optimizer, self.g_optimizer)

    def warm_up(self) -> None:
        """Trace the compiled step and run it once, so that TensorFlow's graph optimization and
        kernel set-up (seconds on two cores, on the first call) are done too. It trains one step:
        `restart` the step before a run uses it (step_cache.prewarm does)."""
        np.asarray(self.step())

    def restart(self, cfg: TrainConfig, images_uint8: np.ndarray, labels: np.ndarray | None = None) -> None:
        """Make this step what `GanStep(cfg, images_uint8, labels=labels)` would build, without
        tracing again: the weights of cfg.run.seed, fresh optimizers, random streams, data order,
        replay ring, average and live settings, and these images (between runs, never inside one).

        `cfg` and the images must have this step's graph_key (ValueError otherwise).
        """
        if graph_key(cfg, images_uint8, labels) != self.graph_key:
            raise ValueError("restart needs a configuration and data set of the same shapes as the step's")
        seed = cfg.run.seed
        if self._initial[0] != seed:
            self._initial = (
                seed,
                _values(build_generator(cfg.model, self.image_shape, cfg.run.precision, self.classes, seed=seed)),
                _values(build_discriminator(cfg.model, self.image_shape, cfg.run.precision, self.classes, seed=seed)),
            )
        _, g_values, d_values = self._initial
        for model, values in ((self.generator, g_values), (self.discriminator, d_values), (self.ema.average, g_values)):
            for variable, value in zip(model.variables, values):
                variable.assign(value)
        self.ema.updates.assign(0.0)
        for optimizer, values in zip(self._optimizers(), self._optimizers_initial):
            for variable, value in zip(optimizer.variables, values):  # step count and moments: 0
                variable.assign(value)
        self.set_learning_rates(cfg.optimizer.d_learning_rate, cfg.optimizer.g_learning_rate)
        self.cfg = cfg
        self.apply_live(cfg)
        self.live.budget_progress.assign(0.0)
        self.rng.reset_from_seed(seed)
        if self.self_conditioned:  # these images' own clusters, as a fresh build makes them
            labels = cluster_labels(images_uint8, cfg.model.self_conditioning, seed)
        self._restart_stream(images_uint8, labels, seed)
        self.replay.clear()
