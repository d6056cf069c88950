"""Numeric precision of a run: which number format it computes in, the Keras dtype policy of
each `run.precision`, and loss scaling for float16.

- "fp32": float32 throughout.
- "bf16": Keras `mixed_bfloat16` (bfloat16 compute, float32 weights and output heads); no loss
  scaling, as bfloat16 has float32's exponent range. On CPUs with native bf16 (AVX-512 BF16 or
  AMX) the step is ~1.5x faster (measured: 2.81x vs 1.85x the seed loop on such a CPU).
  Without them bf16 is emulated and slower than fp32 (measured: ~10x on an AVX2-only CPU,
  ~1.5x on an AVX-512 CPU without bf16). Quality per step holds (README, "Design notes").
- "fp16": Keras `mixed_float16`, for GPUs (Tensor Cores); float16's narrow range lets small
  gradients underflow, so each optimizer is wrapped in `keras.optimizers.LossScaleOptimizer`
  (dynamic loss scaling; a custom step gets none from `compile()`).
- "auto": fp16 where TensorFlow sees a GPU, else bf16 where /proc/cpuinfo lists
  `avx512_bf16` or `amx_bf16`, else fp32.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
KERAS_POLICY = {"fp32": "float32", "bf16": "mixed_bfloat16", "fp16": "mixed_float16"}
NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")


def cpu_flags(cpuinfo: str | Path = "/proc/cpuinfo") -> frozenset[str]:
    """The CPU feature flags listed in `cpuinfo` (empty where it cannot be read: other OSes)."""
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return frozenset()
    flags: set[str] = set()
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags":
            flags.update(value.split())
    return frozenset(flags)


def has_native_bf16(flags) -> bool:
    """Whether a set of CPU flags includes a native bf16 instruction set."""
    return any(flag in flags for flag in NATIVE_BF16_FLAGS)


@cache
def native_bf16() -> bool:
    """Whether this machine's CPU computes bf16 natively (`avx512_bf16` or `amx_bf16` flag)."""
    return has_native_bf16(cpu_flags())


def gpu_policy() -> str | None:
    """The precision a GPU trains best in: "fp16" (mixed_float16 with loss scaling: the Tensor
    Cores' fast path on every NVIDIA GPU since Volta) when TensorFlow sees a GPU, else None
    (a CPU: the CPU's own choice applies)."""
    import tensorflow as tf

    return "fp16" if tf.config.list_physical_devices("GPU") else None


def resolve_precision(precision: str, native: bool | None = None, gpu: str | None = None) -> str:
    """ "fp32", "bf16" or "fp16" for a run.precision value. "auto" becomes the GPU's choice
    (`gpu`, default: gpu_policy()) where a GPU is seen, else bf16 where the CPU has native bf16
    (`native`, default: this machine's flags), else fp32. Raises ValueError for a value
    outside PRECISIONS."""
    if precision not in PRECISIONS:
        raise ValueError(f"run.precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision != "auto":
        return precision
    on_gpu = gpu_policy() if gpu is None else gpu
    if on_gpu:
        return on_gpu
    return "bf16" if (native_bf16() if native is None else native) else "fp32"


def keras_policy(precision: str) -> str:
    """The Keras dtype policy name of a run.precision value ("auto" resolved here); ValueError
    for an unknown one."""
    return KERAS_POLICY[resolve_precision(precision)]


def loss_scaled(optimizer, precision: str):
    """`optimizer` (a keras Optimizer) wrapped in a dynamic LossScaleOptimizer when `precision`
    resolves to "fp16", else itself. The step then takes gradients of
    `optimizer.scale_loss(loss)`; apply_gradients unscales them and skips a step whose
    gradients overflowed (halving the scale)."""
    if resolve_precision(precision) == "fp16":
        import keras

        return keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer
