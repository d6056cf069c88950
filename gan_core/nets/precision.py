"""Numeric precision of a run: which number format it computes in, the Keras dtype policy of
each `run.precision`, and loss scaling for float16.

- "fp32": float32 throughout.
- "bf16": Keras `mixed_bfloat16` (bfloat16 compute, float32 weights and output heads); no loss
  scaling, as bfloat16 has float32's exponent range. With AMX the step is ~1.5x faster
  (measured: 2.81x vs 1.85x the seed loop on such a CPU). With AVX-512 BF16 alone it is
  *slower*: on a Xeon with avx512_bf16 and no AMX, oneDNN's bf16 matmul kernel took 102 ms
  against fp32's 55 ms (2048x2048) and the seed network ran 1.17x the seed loop against fp32's
  2.0x, as one bf16 dot-product instruction does no more work per cycle than two fp32 FMAs.
  Without either bf16 is emulated (measured: ~10x slower on an AVX2-only CPU). Quality per step
  holds (docs/design.md, "Digits without labels: self-conditioning and the `modern` preset").
- "fp16": Keras `mixed_float16`, for GPUs (Tensor Cores); float16's narrow range lets small
  gradients underflow, so each optimizer is wrapped in `keras.optimizers.LossScaleOptimizer`
  (dynamic loss scaling; a custom step gets none from `compile()`).
- "auto": fp16 where TensorFlow sees a GPU, else bf16 where /proc/cpuinfo lists
  `avx512_bf16` or `amx_bf16` *and* a bf16 matmul measured here runs at least
  BF16_MIN_SPEEDUP times as fast as the same fp32 one (`bf16_speedup`, once per process,
  ~0.3 s), else fp32. Flags alone cannot tell: avx512_bf16 is listed where bf16 matmuls run
  at ~0.6-0.8x fp32's speed (measured, no AMX) and where AMX runs them at ~1.75x (matmul peaks,
  770 against 440 GFLOP/s: docs/measured.md, "bf16 with AMX (2026-11-30)").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gan_core.config.tree import PRECISIONS

KERAS_POLICY = {"fp32": "float32", "bf16": "mixed_bfloat16", "fp16": "mixed_float16"}
NATIVE_BF16_FLAGS = ("avx512_bf16", "amx_bf16")
# bf16 must beat fp32 by this factor to be picked by "auto": it rounds more than fp32, so a
# tie goes to fp32. The probe measured 0.6-0.8 with AVX-512 BF16 alone; AMX's matmul peaks give
# ~1.75 (770 against 440 GFLOP/s, not measured with this probe).
BF16_MIN_SPEEDUP = 1.25


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
    """Whether "auto" picks bf16 on this machine's CPU: it lists a native bf16 instruction set
    (`avx512_bf16` or `amx_bf16`) and bf16_speedup() >= BF16_MIN_SPEEDUP. Measured once per
    process; without the flags nothing is measured (emulated bf16 is always slower)."""
    return has_native_bf16(cpu_flags()) and bf16_speedup() >= BF16_MIN_SPEEDUP


@cache
def bf16_speedup(size: int = 1024, repeats: int = 5) -> float:
    """How many times as fast a (size, size) @ (size, size) matmul runs in bfloat16 as in float32
    on this machine's CPU (> 1: bf16 is faster), the best of `repeats` timings of each after one
    warm-up, interleaved so that a burst of load hits both. Cached per process; ~0.3 s with the
    default size (2.1 GFLOP per matmul). A matmul stands in for the step's convolutions: oneDNN
    runs both on the same brgemm kernels, and they scaled alike in bf16 on the one CPU measured
    (avx512_bf16 without AMX: matmul 0.56x, the step's convolutions 0.55-0.6x at 2048² / batch 128)."""
    import time

    import tensorflow as tf

    a = tf.random.stateless_normal((size, size), seed=(0, 1))
    operands = {dtype: tf.cast(a, dtype) for dtype in (tf.float32, tf.bfloat16)}
    # Reduce inside the graph so that the timing holds the matmul, not a copy of its output.
    matmul = tf.function(lambda x: tf.reduce_sum(tf.cast(tf.linalg.matmul(x, x)[:1], tf.float32)))
    best = {dtype: float("inf") for dtype in operands}
    for _ in range(repeats + 1):  # the first round traces and warms up; it is timed but rarely best
        for dtype, x in operands.items():
            start = time.perf_counter()
            matmul(x).numpy()
            best[dtype] = min(best[dtype], time.perf_counter() - start)
    return best[tf.float32] / best[tf.bfloat16]


def gpu_policy() -> str | None:
    """The precision a GPU trains best in: "fp16" (mixed_float16 with loss scaling: the Tensor
    Cores' fast path on every NVIDIA GPU since Volta) when TensorFlow sees a GPU, else None
    (a CPU: the CPU's own choice applies)."""
    import tensorflow as tf

    return "fp16" if tf.config.list_physical_devices("GPU") else None


def resolve_precision(precision: str, native: bool | None = None, gpu: str | None = None) -> str:
    """ "fp32", "bf16" or "fp16" for a run.precision value. "auto" becomes the GPU's choice
    (`gpu`, default: gpu_policy()) where a GPU is seen, else bf16 where the CPU computes bf16
    natively and faster than fp32 (`native`, default: native_bf16(), flags and a measurement),
    else fp32. Raises ValueError for a value outside PRECISIONS."""
    if precision not in PRECISIONS:
        raise ValueError(f"run.precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision != "auto":
        return precision
    on_gpu = gpu_policy() if gpu is None else gpu
    if on_gpu:
        return on_gpu
    return "bf16" if (native_bf16() if native is None else native) else "fp32"


def precision_words(precision: str) -> str:
    """What a run.precision value computes in on this machine, for the CLI's first line:
    "fp32" as asked, or for "auto" e.g. "fp32 (auto: bf16 measured 0.70x fp32's speed here)".
    Runs the bf16 probe where the flags call for it (cached); ValueError for an unknown value."""
    chosen = resolve_precision(precision)
    if precision != "auto":
        return chosen
    if chosen == "fp16":
        return "fp16 (auto: a GPU)"
    if not has_native_bf16(cpu_flags()):
        return f"{chosen} (auto: no native bf16 on this CPU)"
    return f"{chosen} (auto: bf16 measured {bf16_speedup():.2f}x fp32's speed here)"


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
