"""Numeric precision of a run: the Keras dtype policy of each `run.precision`, the GPU's
choice, and loss scaling for float16.

- "fp32": float32 throughout.
- "bf16": Keras `mixed_bfloat16` (bfloat16 compute, float32 weights); no loss scaling, as
  bfloat16 has float32's exponent range.
- "fp16": Keras `mixed_float16`, for GPUs (Tensor Cores); float16's narrow range lets small
  gradients underflow, so each optimizer is wrapped in `keras.optimizers.LossScaleOptimizer`
  (dynamic loss scaling; GUIDE §7: a custom step gets none from `compile()`).
"""

from __future__ import annotations

import keras
import tensorflow as tf

KERAS_POLICY = {"fp32": "float32", "bf16": "mixed_bfloat16", "fp16": "mixed_float16"}


def keras_policy(precision: str) -> str:
    """The Keras dtype policy name of a run.precision value ("fp32", "bf16" or "fp16");
    KeyError for any other."""
    return KERAS_POLICY[precision]


def gpu_policy() -> str | None:
    """The precision a GPU trains best in: "fp16" (mixed_float16 with loss scaling: the Tensor
    Cores' fast path on every NVIDIA GPU since Volta) when TensorFlow sees a GPU, else None
    (a CPU: the CPU's own choice applies)."""
    return "fp16" if tf.config.list_physical_devices("GPU") else None


def loss_scaled(optimizer: keras.optimizers.Optimizer, precision: str) -> keras.optimizers.Optimizer:
    """`optimizer` wrapped in a dynamic LossScaleOptimizer for "fp16", else itself. The step
    then takes gradients of `optimizer.scale_loss(loss)`; apply_gradients unscales them and
    skips a step whose gradients overflowed (halving the scale)."""
    if precision == "fp16":
        return keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer
