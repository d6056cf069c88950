"""What one setting is: an entry of the settings table, and the bounds its values must keep.

An entry (`Setting`) says everything about one config key: the control's label and help, its
widget and range on the page, the values the config accepts (`valid`, what the CLI, presets
and files are checked against), the values a browser may send (`browser`, never wider than
`valid`), whether a running training takes it at the next step (`applies`), the Hacks guide
card about it, and where its code is (`code`, "module:qualified.name"). The tables themselves
are in the `table_*` modules; gan_core.config.settings gathers and looks them up.

A bound (`Interval`, `Choice`, `Flag`, `Pair`, `Policies`, `Text`, `Unused`) checks a value already
parsed to its field's type (gan_core.config.keys) and says what is wrong in one line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

LIVE = "live"  # the running step reads it at its next step (a tf.Variable: no retrace)
NEXT_START = "next start"  # it shapes the networks or the optimizers, built when a run starts


def _num(value: float) -> str:
    """A bound's number as the messages write it: 0.7, 100, 1e-05."""
    return f"{value:g}"


@dataclass(frozen=True)
class Interval:
    """Numbers from `low` to `high` (ends open where `low_open`/`high_open`), whole numbers
    when `whole`, even ones when `even`; `off` is one more value outside the interval that
    switches the setting off (0 for most), `off_words` what it means ("off", "no limit").
    `words`, when set, replaces the generated description in messages. Non-finite numbers
    (inf, nan) are never inside.
    """

    low: float
    high: float
    whole: bool = False
    low_open: bool = False
    high_open: bool = False
    even: bool = False
    off: float | None = None
    off_words: str = "off"
    words: str = ""

    def contains(self, value: Any) -> bool:
        """Whether `value` (a parsed number) lies in the interval or equals `off`."""
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return False
        if self.off is not None and value == self.off:
            return True
        if self.whole and float(value) != int(value):
            return False
        if self.even and int(value) % 2:
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def describe(self) -> str:
        """The interval in words: "in 1..1024", "in [0, 0.7]", "0 (off) or in [0.5, 1)"."""
        if self.words:
            return self.words
        if self.whole:
            span = f"in {int(self.low)}..{int(self.high)}"
        else:
            span = (
                f"in {'(' if self.low_open else '['}{_num(self.low)}, {_num(self.high)}{')' if self.high_open else ']'}"
            )
        if self.off is not None:
            return f"{_num(self.off)} ({self.off_words}) or {span}"
        return span

    def problem(self, key: str, value: Any) -> str | None:
        """One line when `value` is outside, else None."""
        if self.contains(value):
            return None
        if isinstance(value, float) and not math.isfinite(value):
            return f"{key} must be a finite number {self.describe()}, got {value}"
        return f"{key} must be {self.describe()}, got {value}"

    def within(self, other: Interval) -> bool:
        """Whether every value of this interval is also in `other` (browser bounds within valid ones)."""
        ends = [v for v in (self.low, self.high, self.off) if v is not None]
        return all(
            other.contains(v) or (v == self.low and self.low_open) or (v == self.high and self.high_open) for v in ends
        )


@dataclass(frozen=True)
class Choice:
    """One of `values` (text)."""

    values: tuple[str, ...]

    def contains(self, value: Any) -> bool:
        """Whether `value` is one of the values."""
        return value in self.values

    def describe(self) -> str:
        """ "'adam' or 'sgd'", "'bce', 'least-squares' or 'hinge'"."""
        quoted = [f"'{v}'" for v in self.values]
        return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]

    def problem(self, key: str, value: Any) -> str | None:
        """One line when `value` is not one of the values, else None."""
        return None if self.contains(value) else f"{key} must be {self.describe()}, got {value!r}"

    def within(self, other: Choice) -> bool:
        """Whether every value is also one of `other`'s."""
        return set(self.values) <= set(other.values)


@dataclass(frozen=True)
class Flag:
    """True or False (the parser already refuses anything else)."""

    def contains(self, value: Any) -> bool:
        """Whether `value` is a bool."""
        return isinstance(value, bool)

    def describe(self) -> str:
        """ "true or false"."""
        return "true or false"

    def problem(self, key: str, value: Any) -> str | None:
        """One line when `value` is not a bool, else None."""
        return None if self.contains(value) else f"{key} must be true/false, got {value!r}"

    def within(self, other: Flag) -> bool:
        """Always: a flag is a flag."""
        return True


@dataclass(frozen=True)
class Pair:
    """Two numbers [low, high], low <= high, both within [`low`, `high`] (a range of targets)."""

    low: float
    high: float

    def problem(self, key: str, value: Any) -> str | None:
        """One line for a pair that is not two finite numbers in order within the bounds, else None."""
        if not isinstance(value, tuple | list) or len(value) != 2:
            return f"{key} must be two numbers [low, high], got {list(value) if isinstance(value, tuple) else value!r}"
        lo, hi = value
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in (lo, hi)):
            return f"{key} must be two finite numbers, got [{lo}, {hi}]"
        if lo > hi:
            return f"{key}: low end {lo} is above high end {hi}"
        if not (self.low <= lo and hi <= self.high):
            return f"{key} must lie within [{_num(self.low)}, {_num(self.high)}], got [{lo}, {hi}]"
        return None

    def contains(self, value: Any) -> bool:
        """Whether `value` is a valid pair."""
        return self.problem("", value) is None

    def describe(self) -> str:
        """ "two numbers within [-0.5, 1.5], low first"."""
        return f"two numbers within [{_num(self.low)}, {_num(self.high)}], low first"

    def within(self, other: Pair) -> bool:
        """Whether this pair's bounds lie within `other`'s."""
        return other.low <= self.low and self.high <= other.high


@dataclass(frozen=True)
class Policies:
    """A comma-separated set of `values` (empty for none), e.g. DiffAugment's "translation,cutout"."""

    values: tuple[str, ...]

    def problem(self, key: str, value: Any) -> str | None:
        """One line naming the first unknown name, else None."""
        names = [p.strip() for p in str(value).split(",") if p.strip()]
        unknown = [p for p in names if p not in self.values]
        if unknown:
            known = ", ".join(self.values)
            return f"{key}: unknown policy {unknown[0]!r} (a comma-separated set of {known}, or empty for none)"
        return None

    def contains(self, value: Any) -> bool:
        """Whether every name in `value` is known."""
        return self.problem("", value) is None

    def describe(self) -> str:
        """ "a comma-separated set of translation, cutout, color"."""
        return f"a comma-separated set of {', '.join(self.values)}"

    def within(self, other: Policies) -> bool:
        """Whether every name is also one of `other`'s."""
        return set(self.values) <= set(other.values)


@dataclass(frozen=True)
class Text:
    """Non-empty text of at most `max_chars` characters (a data set's name or path)."""

    what: str = "text"
    max_chars: int = 4096

    def problem(self, key: str, value: Any) -> str | None:
        """One line for empty, non-text or over-long text, else None."""
        if not isinstance(value, str) or not value.strip():
            return f"{key} must name {self.what}"
        if len(value) > self.max_chars:
            return f"{key} is longer than {self.max_chars} characters"
        return None

    def contains(self, value: Any) -> bool:
        """Whether `value` is acceptable text."""
        return self.problem("", value) is None

    def describe(self) -> str:
        """What the text names."""
        return self.what

    def within(self, other: Text) -> bool:
        """Whether this bound is at most as long as `other`'s."""
        return self.max_chars <= other.max_chars


@dataclass(frozen=True)
class Unused:
    """A setting this tree does not use: only its empty value ("", 0, False) is accepted;
    `reason` says why, e.g. "applies to the image trainer only"."""

    reason: str

    def contains(self, value: Any) -> bool:
        """Whether `value` is empty."""
        return not value

    def describe(self) -> str:
        """Why only the empty value is accepted."""
        return self.reason

    def problem(self, key: str, value: Any) -> str | None:
        """One line for a value that is set, else None."""
        return None if self.contains(value) else f"{key} {self.reason}"

    def within(self, other: Unused) -> bool:
        """Always: nothing is accepted beyond the empty value."""
        return True


Bound = Interval | Choice | Flag | Pair | Policies | Text | Unused


@dataclass(frozen=True)
class Setting:
    """One entry of the settings table: everything about one config key.

    key: dotted config key ("hacks.flip_probability"). label, help: the control's exact label
    and help text ("" when no control shows it). kind: the widget (toggle, slider, range, radio,
    select, multiselect, lr (a select slider over `choices`), number) or "" for a setting with no
    control. page: (low, high, step) of a slider or number control. options: (value, shown
    text) pairs of a radio, select or multiselect. choices: the values of an lr select slider.
    valid: what the config accepts. browser: what a browser may send (None: never taken from a
    browser). applies: LIVE or NEXT_START. marker: the short name a live change's marker
    carries on the curves. cards: the ids of the Hacks guide cards about it. code: where the
    setting acts, "module:qualified.name" (a test imports every one). group: where the
    control stands (practice, hack, model_hack, run, data, other).
    """

    key: str
    valid: Bound
    code: str
    group: str = "other"
    label: str = ""
    help: str = ""
    kind: str = ""
    page: tuple[float, float, float] | None = None
    options: tuple[tuple[str, str], ...] = ()
    choices: tuple[float, ...] = ()
    browser: Bound | None = None
    applies: str = NEXT_START
    marker: str = ""
    cards: tuple[str, ...] = ()

    @property
    def live(self) -> bool:
        """Whether a running training takes it at its next step."""
        return self.applies == LIVE

    @property
    def on_page(self) -> bool:
        """Whether a control shows it."""
        return bool(self.kind)
