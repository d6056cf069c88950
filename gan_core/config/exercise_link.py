"""Exercise links as text: a page's whole setup carried in its address's query, read into an
ExerciseLink and written back, as pure functions (applied to a config by
gan_core/config/exercise.py; the Streamlit side is ui/exercise_view.py).

`?preset=no-hacks&set=hacks.flip_probability=0.2&hide=hacks.flip_probability` opens the Train
page on the no-hacks preset with label flips at 0.2 and no flip control. The parameters:

- `preset`: a preset of the page; `data`: a named data set of its Dataset select (never a path);
- `set` (repeatable): `key=value`, through the browser's allow-list and bounds
  (gan_core.config.browser) and the page control's own range;
- `seed`, `seconds`: the run's seed and its time budget (seconds per arm on Compare);
- `hide`, `lock`: comma-separated names of the page's controls (its setting keys), or `all`:
  a hidden control is not shown, a locked one is shown but fixed;
- Compare only: `card` (a Hacks guide card, or `same`), `a`, `b` (repeatable `key=value`
  for one arm, the Advanced boxes' lines), and `careful` (true or false: three seeds per arm).

A link is text anyone can write and send to a class: it is bounded in size before anything is
read, each parameter may appear once (`set`, `a`, `b` once per key), and the first problem is
refused in one line, with nothing of the link applied.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from gan_core.config.settings import setting
from gan_core.config.tree import ConfigError

ALL = "all"
PARAMS = ("preset", "card", "data", "seed", "seconds", "careful", "set", "a", "b", "hide", "lock")
LINES = ("set", "a", "b")  # the repeatable ones, one `key=value` each
# The app's other parameters (gan_core.jobs.sharing's viewer links, the teacher link) and
# Streamlit's own: not an exercise's, and no reason to refuse a link.
OTHER_PARAMS = ("view", "teacher", "embed", "embed_options")
# A real exercise is a few hundred characters; far more is refused before it is read.
MAX_QUERY_CHARS = 4096
MAX_LINES = 64
_ECHO = 40  # a refused name or value is echoed at most this long


def _echo(text: str) -> str:
    return text if len(text) <= _ECHO else text[:_ECHO] + "…"


@dataclass(frozen=True)
class PageRules:
    """What a page's links may say: its `name` ("train", "compare", "playground"), the
    parameters it takes, the settings table's `scope` (IMAGE or TOY), its presets and named
    data sets, the names `hide` and `lock` may list (its controls), and the `seconds` range
    its own control allows."""

    name: str
    params: tuple[str, ...]
    scope: str
    presets: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    seconds: tuple[float, float] = (1.0, 3600.0)
    cards: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExerciseLink:
    """One page's setup as its link says it: `preset`, `data` ("" for the page's own), `sets`
    ((key, value text) pairs in order; on Compare applied to both arms), `seed` and `seconds`
    (None: the page's own), `hide` and `lock` (control names; {ALL} for every control), and
    Compare's `card` ("" for the page's own), one arm's lines `a` and `b`, and `careful`
    (three seeds per arm; None: the page's own)."""

    preset: str = ""
    data: str = ""
    seed: int | None = None
    seconds: float | None = None
    card: str = ""
    careful: bool | None = None
    sets: tuple[tuple[str, str], ...] = ()
    a: tuple[tuple[str, str], ...] = ()
    b: tuple[tuple[str, str], ...] = ()
    hide: frozenset[str] = field(default_factory=frozenset)
    lock: frozenset[str] = field(default_factory=frozenset)

    def hides(self, name: str) -> bool:
        """Whether the control `name` is not shown."""
        return ALL in self.hide or name in self.hide

    def locks(self, name: str) -> bool:
        """Whether the control `name` is shown but fixed (hidden ones are fixed too)."""
        return ALL in self.lock or name in self.lock or self.hides(name)

    @property
    def fixes_any(self) -> bool:
        """Whether the link hides or locks a control (the page's preset and data set are then
        fixed too: picking another preset would change the fixed values)."""
        return bool(self.hide or self.lock)


def _values(query: Mapping[str, str | Sequence[str]]) -> dict[str, list[str]]:
    """{name: [values]} of the exercise's parameters; ConfigError for a query too long, an
    unknown parameter or a repeated one."""
    size = sum(len(k) + sum(len(v) for v in ([vs] if isinstance(vs, str) else vs)) for k, vs in query.items())
    if size > MAX_QUERY_CHARS:
        raise ConfigError(f"this link is {size:,} characters long; an exercise link has at most {MAX_QUERY_CHARS:,}")
    out = {}
    for name, values in query.items():
        values = [values] if isinstance(values, str) else list(values)
        if name in OTHER_PARAMS:
            continue
        if name not in PARAMS:
            raise ConfigError(f"unknown link parameter '{_echo(name)}' (known: {', '.join(PARAMS)})")
        if name not in LINES and len(values) > 1:
            raise ConfigError(f"'{name}' is given {len(values)} times in this link; give it once")
        out[name] = values
    return out


def _lines(name: str, values: list[str]) -> tuple[tuple[str, str], ...]:
    if len(values) > MAX_LINES:
        raise ConfigError(f"'{name}' is given {len(values)} times; an exercise link has at most {MAX_LINES}")
    pairs, seen = [], set()
    for text in values:
        key, sep, value = text.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"{name}={_echo(text)}: expected key=value")
        if key in seen:
            raise ConfigError(f"{name}: '{_echo(key)}' is set twice in this link; set it once")
        seen.add(key)
        pairs.append((key, value.strip()))
    return tuple(pairs)


def _names(name: str, text: str, rules: PageRules) -> frozenset[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    for n in names:
        if n != ALL and n not in rules.controls:
            example = rules.controls[0] if rules.controls else ALL
            raise ConfigError(f"{name}: '{_echo(n)}' is not a control of this page (e.g. {example}, or {ALL})")
    return frozenset(names)


def _number(name: str, text: str, whole: bool, low: float, high: float) -> float:
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        raise ConfigError(f"{name} must be {'a whole number' if whole else 'a number'}, got '{_echo(text)}'") from None
    if not (math.isfinite(value) and low <= value <= high):
        raise ConfigError(f"{name} must be in [{low:g}, {high:g}], got {_echo(text)}")
    return value


def _flag(name: str, text: str) -> bool:
    if text not in ("true", "false"):
        raise ConfigError(f"{name} must be true or false, got '{_echo(text)}'")
    return text == "true"


def read_link(query: Mapping[str, str | Sequence[str]], rules: PageRules) -> ExerciseLink | None:
    """The exercise a page's query asks for (`query`: {name: value or values}, as the address
    carries them), None when it asks for none; the names and forms checked against `rules`.

    Values of `set`, `a` and `b` are checked against the configs by the page's own setup
    (`link_config`, gan_core.compare.exercise). Raises ConfigError with one line for a query
    over MAX_QUERY_CHARS (before anything else is read), an unknown or repeated parameter, a
    parameter the page does not take, a preset, data set, card or control it does not have, or
    a seed or budget out of range.
    """
    values = _values(query)
    if not values:
        return None
    for name in values:
        if name not in rules.params:
            raise ConfigError(f"'{name}' is not taken by this page's links (it takes: {', '.join(rules.params)})")
    one = {name: vs[0].strip() for name, vs in values.items() if name not in LINES}
    if "preset" in one and one["preset"] not in rules.presets:
        raise ConfigError(f"unknown preset '{_echo(one['preset'])}' (known: {', '.join(rules.presets)})")
    if "data" in one and one["data"] not in rules.datasets:
        raise ConfigError(
            f"data: '{_echo(one['data'])}' is not a data set of this page (known: {', '.join(rules.datasets)})"
        )
    if "card" in one and one["card"] not in rules.cards:
        raise ConfigError(f"unknown card '{_echo(one['card'])}' (a Hacks guide card's id, or same)")
    seed_bound = setting("run.seed", rules.scope).browser
    return ExerciseLink(
        preset=one.get("preset", ""),
        data=one.get("data", ""),
        seed=int(_number("seed", one["seed"], True, seed_bound.low, seed_bound.high)) if "seed" in one else None,
        seconds=_number("seconds", one["seconds"], False, *rules.seconds) if "seconds" in one else None,
        card=one.get("card", ""),
        careful=_flag("careful", one["careful"]) if "careful" in one else None,
        sets=_lines("set", values.get("set", [])),
        a=_lines("a", values.get("a", [])),
        b=_lines("b", values.get("b", [])),
        hide=_names("hide", one.get("hide", ""), rules),
        lock=_names("lock", one.get("lock", ""), rules),
    )


# -- writing links ------------------------------------------------------------------------------
def value_text(value: Any) -> str:
    """A config value as a link writes it, read back to the same value: true/false, a number
    exactly (repr), a pair as "low,high", text as is."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ",".join(value_text(v) for v in value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _q(text: str) -> str:
    return quote(text, safe="=,.:-_+")


def link_query(link: ExerciseLink) -> str:
    """The link's query ("preset=no-hacks&set=hacks.flip_probability=0.2&hide=..."), its
    parameters in PARAMS order; `read_link` reads it back to an equal ExerciseLink."""
    parts = []
    for name, value in (("preset", link.preset), ("card", link.card), ("data", link.data)):
        if value:
            parts.append(f"{name}={_q(value)}")
    if link.seed is not None:
        parts.append(f"seed={link.seed}")
    if link.seconds is not None:
        parts.append(f"seconds={value_text(link.seconds).removesuffix('.0')}")
    if link.careful is not None:
        parts.append(f"careful={value_text(link.careful)}")
    for name, pairs in (("set", link.sets), ("a", link.a), ("b", link.b)):
        parts += [f"{name}={_q(key)}={_q(value)}" for key, value in pairs]
    for name, names in (("hide", link.hide), ("lock", link.lock)):
        if names:
            parts.append(f"{name}={_q(','.join(sorted(names)))}")
    order = {name: i for i, name in enumerate(PARAMS)}
    parts.sort(key=lambda p: order[p.partition("=")[0]])  # stable: lines keep their order
    return "&".join(parts)
