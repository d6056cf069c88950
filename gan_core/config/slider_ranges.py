"""The Train page's slider ranges (low, high, step) by config key, kept in gan_core so the
Hacks guide's cards can state them without importing the UI (ui/control_specs.py builds
its sliders from this table)."""

from __future__ import annotations

SLIDERS: dict[str, tuple[float, float, float]] = {
    "model.leaky_slope": (0.0, 0.5, 0.05),
    "model.dropout": (0.0, 0.7, 0.05),
    "hacks.real_label_range": (0.0, 1.5, 0.05),
    "hacks.fake_label_range": (0.0, 1.0, 0.05),
    "hacks.flip_probability": (0.0, 0.5, 0.01),
    "hacks.d_steps": (1, 5, 1),
}
