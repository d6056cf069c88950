"""One Train-page control as data, and the conversions between its widget's value and its
config value (an option's text, a (low, high) pair, the nearest offered learning rate).

Free of Streamlit, so the conversions are testable; ui/control_specs.py lists the controls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gan_core.hacks.live import LIVE_KEYS

LEARNING_RATES = (1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 3e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2)  # 1e-2: SGD for D


@dataclass(frozen=True)
class Control:
    """One Train page control: its dotted config key, exact label, widget kind, help text,
    range (low, high, step) for sliders and numbers, and (config value, text) options.
    """

    key: str  # dotted config key
    label: str  # exact label people and browser tests look for
    kind: str  # toggle | slider | range | select | radio | number | lr | multiselect
    help: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    options: tuple = ()  # for select/radio/multiselect: (config value, shown text) pairs

    @property
    def live(self) -> bool:
        """Whether the running trainer takes it at the next step (its key is in LIVE_KEYS)."""
        return self.key in LIVE_KEYS

    @property
    def widget_key(self) -> str:
        """Its st.session_state key: "ctl:<config key>"."""
        return f"ctl:{self.key}"

    def to_widget(self, value: Any) -> Any:
        """A config value as the widget shows it: an option's text, a (low, high) float pair for a
        range, the nearest LEARNING_RATES entry for a learning rate, a list of option texts for a
        multiselect (whose config value is comma-separated text); other kinds unchanged.
        """
        if self.kind == "multiselect":
            chosen = {v.strip() for v in str(value).split(",") if v.strip()}
            return [text for v, text in self.options if v in chosen]
        if self.kind in ("select", "radio"):
            return dict(self.options).get(value, value)
        if self.kind == "range":
            return (float(value[0]), float(value[1]))
        if self.kind == "lr":
            return min(LEARNING_RATES, key=lambda lr: abs(lr - value))
        return value

    def from_widget(self, shown: Any) -> Any:
        """The widget's value as a config value (the inverse of to_widget; a learning rate as is)."""
        if self.kind == "multiselect":
            chosen = set(shown)
            return ",".join(v for v, text in self.options if text in chosen)
        if self.kind in ("select", "radio"):
            return {text: v for v, text in self.options}.get(shown, shown)
        if self.kind == "range":
            return (float(shown[0]), float(shown[1]))
        return shown
