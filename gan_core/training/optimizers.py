"""The compiled step's two optimizers: Adam as the DCGAN recipe sets it, or plain SGD for D."""

from __future__ import annotations

import keras

from gan_core.config import TrainConfig


def make_optimizer(cfg: TrainConfig, learning_rate: float) -> keras.optimizers.Optimizer:
    """Adam at `learning_rate` with the config's beta_1 (0.5 in the DCGAN recipe, Radford et
    al. 2015; Adam's default is 0.9); beta_2 stays Keras' 0.999.
    """
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=cfg.optimizer.beta_1)


def make_discriminator_optimizer(cfg: TrainConfig) -> keras.optimizers.Optimizer:
    """D's optimizer at optimizer.d_learning_rate: Adam as make_optimizer, or with
    optimizer.d_optimizer = "sgd" plain SGD without momentum (ganhacks #9: "use SGD for the
    discriminator"). The rate is taken as given: SGD needs ~10x Adam's (GUIDE: 2e-3 for 2e-4),
    and the live rate control and the decay then act on SGD's rate the same way.
    """
    if cfg.optimizer.d_optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=cfg.optimizer.d_learning_rate, momentum=0.0)
    return make_optimizer(cfg, cfg.optimizer.d_learning_rate)
