"""One Train-page control as data, and the conversions between its widget's value and its
config value (an option's text, a (low, high) pair, the nearest offered learning rate).

Free of Streamlit, so the conversions are testable; every control is built from its entry of
the settings table (gan_core/config/settings.py) by `Control.of`, and ui/control_specs.py
lists the Train page's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gan_core.config.setting import Setting


@dataclass(frozen=True)
class Control:
    """One control: its dotted config key, exact label, widget kind, help text, range (low,
    high, step) for sliders and numbers, (config value, text) options, the values of a
    learning-rate select slider (`choices`), and whether a running training takes it (`live`).
    """

    key: str  # dotted config key
    label: str  # exact label people and browser tests look for
    kind: str  # toggle | slider | range | select | radio | number | lr | multiselect
    help: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    options: tuple = ()  # for select/radio/multiselect: (config value, shown text) pairs
    choices: tuple = ()  # for lr: the values the select slider offers
    live: bool = False
    prefix: str = "ctl"  # the session-state namespace of the page

    @classmethod
    def of(cls, entry: Setting, prefix: str = "ctl") -> Control:
        """The control of a settings-table entry (one that a control shows: `entry.kind` set)."""
        low, high, step = entry.page or (0.0, 1.0, 0.01)
        return cls(
            entry.key,
            entry.label,
            entry.kind,
            entry.help,
            low,
            high,
            step,
            options=entry.options,
            choices=entry.choices,
            live=entry.live,
            prefix=prefix,
        )

    @property
    def widget_key(self) -> str:
        """Its st.session_state key: "<prefix>:<config key>" ("ctl:" on the Train page)."""
        return f"{self.prefix}:{self.key}"

    def to_widget(self, value: Any) -> Any:
        """A config value as the widget shows it: an option's text, a (low, high) float pair for a
        range, the nearest of `choices` for a learning rate, a list of option texts for a
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
            return min(self.choices, key=lambda lr: abs(lr - value))
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
