"""The compiled step's two optimizers: Adam as the DCGAN recipe sets it, or plain SGD for D."""

from __future__ import annotations

import keras
import tensorflow as tf

from gan_core.config.tree import TrainConfig


@keras.saving.register_keras_serializable(package="gan_hacks_lab")
class FusedAdam(keras.optimizers.Adam):
    """keras.optimizers.Adam whose update of a variable is TensorFlow's one fused kernel.

    Keras' Adam updates each variable with ~10 small tensor ops; ResourceApplyAdam does the
    same arithmetic in one pass (lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t),
    m += (g - m)(1 - beta_1), v += (g^2 - v)(1 - beta_2), w -= lr_t m / (sqrt(v) + epsilon),
    Kingma & Ba 2015, as Keras writes it), ~1% of the tutorial network's step on two cores.
    Same config, variables and checkpoints as Adam; AMSGrad, a distribution strategy and a
    variable without a resource handle take Keras' own route.
    """

    def update_step(self, gradient, variable, learning_rate):
        """One Adam update of `variable` (float) from `gradient` at `learning_rate`."""
        if self.amsgrad or tf.distribute.has_strategy() or not hasattr(variable, "handle"):
            return super().update_step(gradient, variable, learning_rate)
        dtype = variable.dtype
        index = self._get_variable_index(variable)
        step = tf.cast(self.iterations + 1, dtype)
        beta_1 = tf.cast(self.beta_1, dtype)
        beta_2 = tf.cast(self.beta_2, dtype)
        tf.raw_ops.ResourceApplyAdam(
            var=variable.handle,
            m=self._momentums[index].value.handle,
            v=self._velocities[index].value.handle,
            beta1_power=tf.pow(beta_1, step),
            beta2_power=tf.pow(beta_2, step),
            lr=tf.cast(learning_rate, dtype),
            beta1=beta_1,
            beta2=beta_2,
            epsilon=tf.cast(self.epsilon, dtype),
            grad=tf.cast(gradient, dtype),
        )


def make_optimizer(cfg: TrainConfig, learning_rate: float) -> keras.optimizers.Optimizer:
    """Adam (FusedAdam) at `learning_rate` with the config's beta_1 (0.5 in the DCGAN recipe, Radford et
    al. 2015; Adam's default is 0.9); beta_2 stays Keras' 0.999.
    """
    return FusedAdam(learning_rate=learning_rate, beta_1=cfg.optimizer.beta_1)


def make_discriminator_optimizer(cfg: TrainConfig) -> keras.optimizers.Optimizer:
    """D's optimizer at optimizer.d_learning_rate: Adam as make_optimizer, or with
    optimizer.d_optimizer = "sgd" plain SGD without momentum (ganhacks #9: "use SGD for the
    discriminator"). The rate is taken as given: SGD needs ~10x Adam's (2e-3 for 2e-4; the
    sgd-discriminator card in gan_core/guide/model_hack_cards.py),
    and the live rate control and the decay then act on SGD's rate the same way.
    """
    if cfg.optimizer.d_optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=cfg.optimizer.d_learning_rate, momentum=0.0)
    return make_optimizer(cfg, cfg.optimizer.d_learning_rate)
