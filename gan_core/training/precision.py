"""Which number format a run computes in: fp32, bf16, or "auto" (bf16 only where the CPU has it).

bf16 (Keras "mixed_bfloat16": bf16 math, fp32 weights and output heads) halves memory
traffic and, on CPUs with native bf16 instructions (AVX-512 BF16 or AMX), makes the step
~1.5x faster (measured: 2.81x vs 1.85x the seed loop on such a CPU). Without them bf16 is
emulated and slower than fp32 (measured: ~10x on an AVX2-only CPU, ~1.5x on an AVX-512 CPU
without bf16), so "auto" picks it only where /proc/cpuinfo lists `avx512_bf16` or `amx_bf16`.
Quality per step holds in bf16 (README, "Design notes").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PRECISIONS = ("auto", "fp32", "bf16")
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


@cache
def native_bf16() -> bool:
    """Whether this machine's CPU computes bf16 natively (`avx512_bf16` or `amx_bf16` flag)."""
    return has_native_bf16(cpu_flags())


def has_native_bf16(flags) -> bool:
    """Whether a set of CPU flags includes a native bf16 instruction set."""
    return any(flag in flags for flag in NATIVE_BF16_FLAGS)


def resolve_precision(precision: str, native: bool | None = None) -> str:
    """ "fp32" or "bf16" for a run.precision value: "auto" becomes bf16 where the CPU has native
    bf16 (`native`, default: this machine's flags), fp32 elsewhere. Raises ValueError for a
    value outside PRECISIONS."""
    if precision not in PRECISIONS:
        raise ValueError(f"run.precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    if precision != "auto":
        return precision
    return "bf16" if (native_bf16() if native is None else native) else "fp32"


def keras_dtype_policy(precision: str) -> str:
    """The Keras dtype policy name for a run.precision value ("auto" resolved here)."""
    return "mixed_bfloat16" if resolve_precision(precision) == "bf16" else "float32"
