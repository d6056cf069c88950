"""`make bench`: the seed reference loop and our step, side by side in one run.

Each measurement runs in its own process (fresh TensorFlow, no shared thread pools),
and the rounds alternate between the contenders so a noisy neighbour hurts both alike.
The best round of each counts. Ratios, not absolute times, are what to compare.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from gan_core.config.presets import preset
from gan_core.nets.precision import BF16_MIN_SPEEDUP, cpu_flags, has_native_bf16

# Issue targets, as ratios to the seed loop measured in the same run (ceilings from the
# measured matmul peaks: ~2.3x in fp32, ~4x in bf16).
TARGETS = {"ours_fp32": 2.0, "ours_bf16": 3.0}
# The default preset's speed with the app open in a browser, as a share of the trainer alone.
APP_SHARE_TARGET = 0.90
# Flags that decide the speed of the step's convolutions and matmuls.
SPEED_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8")


def cpu_line(flags=None, model: str | None = None) -> str:
    """One line naming the CPU model and the speed-relevant flags it has, and whether bf16 is timed."""
    flags = cpu_flags() if flags is None else flags
    if model is None:
        model = _cpu_model()
    have = [f for f in SPEED_FLAGS if f in flags]
    bf16 = (
        "native bf16: yes (bf16 timed)"
        if has_native_bf16(flags)
        else "native bf16: no (bf16 is emulated here, ~10x slower than fp32: not timed, cannot be judged on this CPU)"
    )
    return f"CPU: {model}; flags: {' '.join(have) or 'unknown'}; {bf16}"


def bf16_line(speedup: float) -> str:
    """One line on what bf16 does on this CPU: `speedup` is precision.bf16_speedup()'s measured
    bf16 / fp32 matmul speed ratio; says whether `auto` trains in bf16 here and, where bf16 is
    no faster, that the bf16 target cannot be met on this CPU whatever the step does."""
    if speedup >= BF16_MIN_SPEEDUP:
        return f"  bf16 matmul {speedup:.2f}x as fast as fp32 here: run.precision=auto trains in bf16"
    return (
        f"  bf16 matmul only {speedup:.2f}x as fast as fp32 here (native bf16 instructions but no AMX): "
        f"run.precision=auto trains in fp32; the bf16 target cannot be met on this CPU, "
        f"its ceiling is below the fp32 figure"
    )


def verdict_word(value: float, target: float) -> str:
    """'met' or 'NOT met' for value >= target, judged on the unrounded value: a share of 0.896
    is printed as 89.6% and is not met against 90%, although it rounds to 90%."""
    return "met" if value >= target else "NOT met"


def app_share_line(figures: dict) -> str:
    """The line for the default preset alone and with the app open in a browser; `figures` as
    devtools.app_harness.ui_attached_speed returns them (steps/s, their ratio in [0, 1], rounds)."""
    share = figures["app_vs_headless"]
    return (
        f"  default preset, trainer alone: {figures['headless_steps_per_s']:.2f} steps/s; "
        f"with the app open in a browser: {figures['app_steps_per_s']:.2f} steps/s "
        f"({share:.1%}, target >= {APP_SHARE_TARGET:.0%}: {verdict_word(share, APP_SHARE_TARGET)}; "
        f"best of {figures['rounds']} alternating rounds)"
    )


# The probe `auto` itself runs, in a fresh process as the contenders are (the parent holds no
# TensorFlow thread pools).
_SPEEDUP_PROBE = (
    "import json; from gan_core.nets.precision import bf16_speedup; print(json.dumps({'bf16_speedup': bf16_speedup()}))"
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return "unknown"


def _json_line(cmd: list[str]) -> dict:
    out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    for line in reversed(out.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"{' '.join(cmd[:4])}… printed no JSON: {out.stderr.strip().splitlines()[-1:]}")


def main(argv=None) -> int:
    """Run the benchmark rounds and print a table and one JSON summary line; returns the exit
    code (0, or 2 when the --seed-reference script is missing). RuntimeError when a contender
    prints no JSON line.
    """
    ap = argparse.ArgumentParser(prog="python -m gan_core.cli.bench_report")
    ap.add_argument("--seed-reference", required=True, help="the seed-style reference script")
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args(argv)
    if not Path(a.seed_reference).is_file():
        print(f"error: seed reference {a.seed_reference} not found", file=sys.stderr)
        return 2
    flags = cpu_flags()
    print(cpu_line(flags), flush=True)
    summary = _seed_tutorial_rounds(a.seed_reference, a.steps, a.rounds, flags)
    default = _json_line(
        [sys.executable, "-m", "gan_core", "bench", "--preset", "dcgan-hacks", "--steps", str(a.steps * 2), "--json"]
    )
    print(f"  default preset (dcgan-hacks, batch {default['batch']}): {default['steps_per_s']:.2f} steps/s")
    summary["default_steps_per_s"] = round(default["steps_per_s"], 3)
    summary["cpu_flags"] = [f for f in SPEED_FLAGS if f in flags]
    summary["native_bf16"] = has_native_bf16(flags)
    summary.update(_extras())
    print(json.dumps(summary))
    return 0


def _seed_tutorial_rounds(seed_reference: str, steps: int, rounds: int, flags: frozenset[str]) -> dict[str, float]:
    """The seed reference, our fp32 step and (where the CPU has native bf16) our bf16 step on the
    seed-tutorial network, interleaved for `rounds` rounds; prints the table and returns each
    one's best steps/s, the ratios to the seed reference and the bf16 matmul speed-up."""
    batch = preset("seed-tutorial").run.batch_size
    py = sys.executable
    ours = [py, "-m", "gan_core", "bench", "--preset", "seed-tutorial", "--batch", str(batch)]
    ours += ["--steps", str(steps), "--json"]
    contenders = {
        "seed reference": [py, seed_reference, "--steps", str(steps), "--batch", str(batch), "--json"],
        "ours fp32": ours + ["--precision", "fp32"],
    }
    speedup = None
    if has_native_bf16(flags):
        contenders["ours bf16"] = ours + ["--precision", "bf16"]
        speedup = _json_line([py, "-c", _SPEEDUP_PROBE])["bf16_speedup"]
        print(bf16_line(speedup), flush=True)
    best = _best_rates(contenders, rounds)
    ref = best["seed reference"]
    print(f"\nseed-tutorial network, batch {batch}, best of {rounds} rounds:")
    for name, rate in best.items():
        target = TARGETS.get(name.replace(" ", "_"))
        verdict = "" if target is None else f"   target >= {target:.1f}x: {verdict_word(rate / ref, target)}"
        print(f"  {name:15s} {rate:6.2f} steps/s   {rate / ref:5.3f}x the seed reference{verdict}")
    summary = {name.replace(" ", "_"): round(rate, 3) for name, rate in best.items()}
    summary.update({f"ratio_{k}": round(v / ref, 3) for k, v in summary.items() if not k.startswith("seed")})
    if speedup is not None:
        summary["bf16_matmul_speedup"] = round(speedup, 3)
    return summary


def _best_rates(contenders: dict[str, list[str]], rounds: int) -> dict[str, float]:
    """Each contender's best steps per second over `rounds` interleaved rounds (printed as they come)."""
    best: dict[str, float] = {}
    for r in range(rounds):
        for name, cmd in contenders.items():
            rate = _json_line(cmd)["steps_per_s"]
            best[name] = max(best.get(name, 0.0), rate)
            print(f"round {r + 1}: {name:15s} {rate:6.2f} steps/s", flush=True)
    return best


def _extras() -> dict:
    """Figures of other parts of the product that have a speed target."""
    out = {}
    from gan_core.generators.running import interpolation_strip_seconds
    from gan_core.generators.source import GeneratorError, pretrained_source

    try:
        seconds = interpolation_strip_seconds(pretrained_source(), frames=16)
        out["interpolation_strip_16_s"] = round(seconds, 3)
        print(f"  latent explorer: 16-frame interpolation strip in {seconds:.3f} s (target < 1 s)")
    except GeneratorError as e:
        print(f"  latent explorer: skipped ({e})")
    try:
        from gan_core.generators.directions import N_SAMPLES, discover_seconds

        first, again = discover_seconds(pretrained_source())
        out["discovered_directions_first_s"], out["discovered_directions_s"] = round(first, 3), round(again, 3)
        print(
            f"  latent explorer: discovered directions ({N_SAMPLES} samples) in {first:.2f} s the first "
            f"time, {again:.2f} s again (target: a couple of seconds on 2 cores)"
        )
    except GeneratorError as e:
        print(f"  discovered directions: skipped ({e})")
    try:
        from devtools.app_harness import ui_attached_speed
    except ImportError:
        print("  app speed: skipped (run from the repository root)")
        return out
    figures = ui_attached_speed()
    out.update(figures)
    print(app_share_line(figures))
    return out


if __name__ == "__main__":
    sys.exit(main())
