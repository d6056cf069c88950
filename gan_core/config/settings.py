"""The one settings table: an entry (gan_core.config.setting.Setting) for every key of the
image GAN's config and of the 2D playground's, and the lookups everything else reads.

The Train page and the 2D playground build their controls from it, the config trees check
their values against it, Compare's Advanced box and exercise links check what a browser sends
against it, the trainer's live keys and change markers come from it, the Hacks guide names
its controls from it, and ARCHITECTURE.md's "Where a setting lives (one hop from its control)" is
`where_settings_live()`
(a test compares the two). The entries themselves are in table_networks.py, table_hacks.py,
table_run.py and table_toy.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gan_core.config.keys import ConfigError
from gan_core.config.setting import LIVE, NEXT_START, Setting
from gan_core.config.table_hacks import HACKS
from gan_core.config.table_networks import MODEL_HACKS, PRACTICES, SIZE
from gan_core.config.table_run import RUN
from gan_core.config.table_toy import TOY_HACKS, TOY_RUN

IMAGE = "image"
TOY = "toy"
# Page order within each group: the Train page's sidebar shows them in this order.
TABLES: dict[str, tuple[Setting, ...]] = {
    IMAGE: PRACTICES + MODEL_HACKS + HACKS + SIZE + RUN,
    TOY: TOY_HACKS + TOY_RUN,
}
_BY_KEY = {scope: {s.key: s for s in entries} for scope, entries in TABLES.items()}
# Where a browser may send `key=value` text (Compare's Advanced box, exercise links): never
# data.*, so a browser cannot point the server at a folder.
BROWSER_SECTIONS = ("model", "optimizer", "hacks", "run")

__all__ = ["IMAGE", "LIVE", "NEXT_START", "TABLES", "TOY", "Setting", "setting", "settings", "live_markers"]


def settings(scope: str = IMAGE) -> tuple[Setting, ...]:
    """Every entry of `scope` (IMAGE or TOY), in page order."""
    return TABLES[scope]


def setting(key: str, scope: str = IMAGE) -> Setting:
    """The entry of `key` in `scope`; ConfigError (one line) for a key the table does not have."""
    try:
        return _BY_KEY[scope][key]
    except KeyError:
        raise ConfigError(f"unknown setting '{key}'") from None


def controls(group: str, scope: str = IMAGE) -> tuple[Setting, ...]:
    """The entries of `group` (practice, model_hack, hack, run) that a control shows, in page order."""
    return tuple(s for s in TABLES[scope] if s.group == group and s.on_page)


def live_markers(scope: str = IMAGE) -> dict[str, str]:
    """{key: marker} of every setting a running training takes at its next step; the marker is
    the short name a change carries on the curves."""
    return {s.key: s.marker or s.label for s in TABLES[scope] if s.live}


def labels(scope: str = IMAGE) -> dict[str, str]:
    """{key: label} of every setting a control shows."""
    return {s.key: s.label for s in TABLES[scope] if s.on_page}


def value_problems(values: Iterable[tuple[str, Any]], scope: str = IMAGE) -> list[str]:
    """One line for each (key, value) outside its entry's valid values, in the order given."""
    out = []
    for key, value in values:
        problem = setting(key, scope).valid.problem(key, value)
        if problem:
            out.append(problem)
    return out


def browser_problem(key: str, value: Any, scope: str = IMAGE) -> str | None:
    """One line when a browser may not send `value` for `key` (a key it may not set, or a value
    outside the entry's browser bound, which names the limit), else None."""
    entry = _BY_KEY[scope].get(key)
    if entry is None or entry.browser is None:
        return f"'{key}' cannot be set from a browser"
    return entry.browser.problem(key, value)


def code_target(entry: Setting) -> tuple[str, str]:
    """(module, qualified name) of an entry's `code`, e.g. ("gan_core.hacks.functions", "flip_labels")."""
    module, _, name = entry.code.partition(":")
    return module, name


def where_settings_live(scope: str = IMAGE) -> str:
    """ARCHITECTURE.md's table of every control and where its code is, as Markdown: one row per
    setting a control shows (label, key, live or next start, code, guide cards)."""
    rows = ["| control | key | applies | code | guide cards |", "|---|---|---|---|---|"]
    for entry in TABLES[scope]:
        if not entry.on_page:
            continue
        module, name = code_target(entry)
        cards = ", ".join(entry.cards) or "—"
        rows.append(f"| {entry.label} | `{entry.key}` | {entry.applies} | `{module}:{name}` | {cards} |")
    return "\n".join(rows) + "\n"


def label(key: str, scope: str = IMAGE) -> str:
    """The exact label of the control of `key` (the Hacks guide's cards name controls by it);
    ConfigError for a key no control shows."""
    entry = setting(key, scope)
    if not entry.label:
        raise ConfigError(f"no control shows '{key}'")
    return entry.label


def settings_listing(scope: str = IMAGE) -> str:
    """Every setting of `scope`, one line each: key, valid values, what a browser may send,
    live or next start (what `python -m gan_core settings` prints)."""
    lines = []
    for entry in TABLES[scope]:
        browser = entry.browser.describe() if entry.browser is not None else "never from a browser"
        lines.append(f"{entry.key:32s} {entry.valid.describe()}; browser: {browser}; {entry.applies}")
    return "\n".join(lines)
