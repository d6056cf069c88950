"""The Train page's controls, grouped as its sidebar shows them, and the mapping between a
config and the widgets' values.

Kept free of Streamlit so that the mapping to config keys is testable; what one control is,
and its value conversions, is ui/control.py. Every control's facts (label, help, range, live)
are its entry in the settings table (gan_core/config/settings.py), which the Hacks guide and
the config's checks read too.
"""

from __future__ import annotations

from gan_core.config.settings import controls
from gan_core.config.tree import TrainConfig
from ui.control import Control

# Every control is an entry of the settings table (label, help, range, live or not).
PRACTICES = tuple(Control.of(s) for s in controls("practice") + controls("model_hack"))
LIVE_HACKS = tuple(Control.of(s) for s in controls("hack"))
RUN_CONTROLS = tuple(Control.of(s) for s in controls("run"))

ALL_CONTROLS = PRACTICES + LIVE_HACKS + RUN_CONTROLS
BY_KEY = {c.key: c for c in ALL_CONTROLS}
BY_LABEL = {c.label: c for c in ALL_CONTROLS}


def widget_values(cfg: TrainConfig) -> dict:
    """Session-state values (by widget key) that show `cfg` in every control."""
    out = {}
    for c in ALL_CONTROLS:
        section, name = c.key.split(".")
        out[c.widget_key] = c.to_widget(getattr(getattr(cfg, section), name))
    return out


def config_from_widgets(base: TrainConfig, values: dict) -> TrainConfig:
    """Apply every control's widget value to `base` (no validation: call .problems())."""
    cfg = base
    for c in ALL_CONTROLS:
        if c.widget_key in values:
            cfg = cfg.with_value(c.key, c.from_widget(values[c.widget_key]))
    return cfg


def control_for(key: str) -> Control | None:
    """The control of a dotted config key, or None when no control shows it."""
    return BY_KEY.get(key)
