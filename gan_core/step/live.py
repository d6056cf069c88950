"""What a running training changes and reads between steps: live settings, assigned to the
compiled step's variables (no retrace), and samples drawn by the generator those settings pick.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from gan_core.config.tree import TrainConfig
from gan_core.generators.images import to_model_scale


class StepLive:
    """GanStep's live settings and sampling (a mixin). Uses the step's optimizers, live hack
    variables (LiveHacks), generator, its moving average (GeneratorAverage) and tanh_output."""

    def set_learning_rates(self, d_lr: float, g_lr: float) -> None:
        """Assign both optimizers' learning rates (live changes and the decay; no retrace)."""
        self.d_optimizer.learning_rate.assign(d_lr)
        self.g_optimizer.learning_rate.assign(g_lr)

    def apply_live(self, cfg: TrainConfig) -> None:
        """Take every live setting of `cfg` (its hacks and run.ema_decay) at the next step; no retrace.
        The learning rates go through set_learning_rates (the loop scales them by its decay)."""
        self.live.assign(cfg.hacks)
        self.ema.decay.assign(float(cfg.run.ema_decay))

    @property
    def ema_active(self) -> bool:
        """Whether the moving average of G draws the samples now (run.ema_decay > 0, live)."""
        return bool(self.ema.decay.numpy() > 0.0)

    def set_budget_progress(self, progress: float) -> None:
        """The share of the run's budget spent (0..1), which the instance noise decays over (no retrace)."""
        self.live.budget_progress.assign(float(progress))

    @property
    def sampling_generator(self) -> keras.Model:
        """The generator that draws grids, quality samples and the saved generator.keras: the
        moving average of G's weights while run.ema_decay > 0 (read now: it is live), else G itself."""
        return self.ema.average if self.ema_active else self.generator

    def generate(self, z: np.ndarray) -> np.ndarray:
        """Generator output (inference mode) for latent points (with their class code when
        conditional, see latent.sample_latent), as float32 numpy; drawn by sampling_generator."""
        out = self.sampling_generator(tf.convert_to_tensor(z, tf.float32), training=False)
        return np.asarray(tf.cast(out, tf.float32))

    def real_in_model_scale(self, images_uint8: np.ndarray) -> np.ndarray:
        """uint8 images (n, H, W, C) as float32 in the generator's scale: [-1, 1] (tanh) or [0, 1]."""
        return to_model_scale(images_uint8, self.tanh_output)
