"""Which model outputs are black and white: a generator's output range, measured.

A generator's last activation says tanh ([-1, 1]) or sigmoid ([0, 1]), but a model saved by
other code may rescale after it (`Rescaling(255)`), end in a linear layer, or sit beside a
config.json that says something else. The range used to turn outputs into pixels is
therefore checked on a probe batch: the declared range is kept when the outputs fit in it,
otherwise the smallest usual range that holds them (or the measured range itself) is used,
and a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TANH_RANGE = (-1.0, 1.0)
SIGMOID_RANGE = (0.0, 1.0)
# The ranges generators are written for: tanh, sigmoid, raw 8-bit pixels, centred 8-bit pixels.
USUAL_RANGES = (TANH_RANGE, SIGMOID_RANGE, (0.0, 255.0), (-127.5, 127.5))
RANGE_OF_ACTIVATION = {"tanh": TANH_RANGE, "sigmoid": SIGMOID_RANGE}
PROBE_SEED = 20_251_130  # fixed: the same generator always gets the same decision
SLACK = 0.02  # outputs may overshoot a range by 2% of its width (a linear head)
MIN_FILL = 0.1  # an undeclared usual range is chosen only when outputs fill 10% of it


@dataclass(frozen=True)
class RangeDecision:
    """range: (low, high) output mapped to pixels 0 and 255; notes: one-line notes for the user."""

    range: tuple[float, float]
    notes: tuple[str, ...] = ()


def output_activation(model) -> str | None:
    """'tanh' or 'sigmoid' when the last non-linear activation is one of them, else None."""
    for layer in reversed(model.layers):
        fn = getattr(layer, "activation", None)
        name = getattr(fn, "__name__", None)
        if name is None or name == "linear":
            continue  # reshapes, rescaling, a float32 'linear' cast after mixed precision, ...
        return name if name in ("tanh", "sigmoid") else None
    return None


def range_text(bounds: tuple[float, float]) -> str:
    """'[0, 255]', '[-1, 1]', '[-0.37, 4.2]'."""
    return "[" + ", ".join(f"{v:.3g}" for v in bounds) + "]"


def _holds(bounds: tuple[float, float], low: float, high: float) -> bool:
    slack = SLACK * (bounds[1] - bounds[0])
    return bounds[0] - slack <= low and high <= bounds[1] + slack


def decide_output_range(
    probe: np.ndarray, activation: str | None = None, config_says: str | None = None
) -> RangeDecision:
    """The output range to scale `probe`-like outputs (any shape, float) from.

    `activation` is the model's last activation ('tanh', 'sigmoid' or None) and `config_says`
    the run config's ('tanh', 'sigmoid' or None). The model's own activation wins over the
    config (with a note when they disagree); the declared range is kept when the probe's
    outputs fit in it; otherwise the smallest usual range that holds them and that they fill
    at least MIN_FILL of, else the measured range itself. Raises ValueError when the probe
    holds NaN or inf.
    """
    values = np.asarray(probe, dtype=np.float64)
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError("the generator's output on a probe batch is not finite (NaN or inf)")
    low, high = float(values.min()), float(values.max())
    notes: tuple[str, ...] = ()
    declared_by = activation if activation in RANGE_OF_ACTIVATION else config_says
    if activation in RANGE_OF_ACTIVATION and config_says in RANGE_OF_ACTIVATION and activation != config_says:
        notes += (
            f"its config says {config_says} output {range_text(RANGE_OF_ACTIVATION[config_says])}, "
            f"the model ends in {activation} {range_text(RANGE_OF_ACTIVATION[activation])}: "
            f"using the model's",
        )
    declared = RANGE_OF_ACTIVATION.get(declared_by)
    if declared is not None and _holds(declared, low, high):
        if config_says is None:  # nothing else says it: say where the range came from
            notes += (f"output activation is {activation}: pixels in {range_text(declared)}",)
        return RangeDecision(declared, notes)
    usual = [r for r in USUAL_RANGES if _holds(r, low, high) and high - low >= MIN_FILL * (r[1] - r[0])]
    chosen = min(usual, key=lambda r: r[1] - r[0]) if usual else (low, high if high > low else low + 1.0)
    measured = (
        f"output range ≈ {range_text(chosen)}"
        if usual
        else f"output range measured as {range_text((low, high))}, scaled from it"
    )
    if declared is not None:
        notes += (f"{measured}, not {range_text(declared)}",)
    else:
        notes += (f"{measured} (no tanh or sigmoid at the end)",)
    return RangeDecision(chosen, notes)


def to_pixels(batch: np.ndarray, output_range: tuple[float, float]) -> np.ndarray:
    """Model outputs to uint8 pixels: output_range[0] -> 0, output_range[1] -> 255, clipped."""
    low, high = output_range
    x = (np.asarray(batch, dtype=np.float32) - low) / max(high - low, 1e-12)
    return np.clip(np.rint(x * 255.0), 0, 255).astype(np.uint8)
