"""Adam and SGD in one update whose choice is a tf.Variable.

Keras optimizers are one object per algorithm; switching between them live would need a
`tf.cond` over two of them, which costs seconds of tracing per compiled function. This
update computes both steps (a handful of element-wise ops on small MLP weights) and selects
one with `tf.where`, so Adam <-> SGD and the learning rate change without retracing. Adam's
moments only move while Adam is selected, so switching back resumes where it left off.
"""

from __future__ import annotations

import tensorflow as tf


class SwitchableOptimizer:
    """Adam (Kingma & Ba 2015, in Keras' form) or plain SGD over a fixed list of variables.

    `learning_rate` and `use_adam` are tf.Variables: assign them to switch live.
    """

    def __init__(
        self, variables, learning_rate: float, beta_1: float = 0.5, beta_2: float = 0.999, epsilon: float = 1e-7
    ):
        self._variables = list(variables)
        self.learning_rate = tf.Variable(float(learning_rate), trainable=False)
        self.use_adam = tf.Variable(True, trainable=False)
        self._b1, self._b2, self._eps = float(beta_1), float(beta_2), float(epsilon)
        self._adam_steps = tf.Variable(0.0, trainable=False)
        self._m = [tf.Variable(tf.zeros_like(v), trainable=False) for v in self._variables]
        self._v = [tf.Variable(tf.zeros_like(v), trainable=False) for v in self._variables]

    def apply(self, grads) -> None:
        """One update of every variable from `grads` (same order as the variables)."""
        adam = self.use_adam
        t = self._adam_steps.assign_add(tf.where(adam, 1.0, 0.0))
        t = tf.maximum(t, 1.0)
        lr = self.learning_rate
        bias = tf.sqrt(1.0 - self._b2**t) / (1.0 - self._b1**t)
        for var, g, m, v in zip(self._variables, grads, self._m, self._v):
            m_new = m.assign(tf.where(adam, self._b1 * m + (1.0 - self._b1) * g, m))
            v_new = v.assign(tf.where(adam, self._b2 * v + (1.0 - self._b2) * tf.square(g), v))
            adam_step = lr * bias * m_new / (tf.sqrt(v_new) + self._eps)
            var.assign_sub(tf.where(adam, adam_step, lr * g))
