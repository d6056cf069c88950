"""Which `key=value` settings a browser may send, and within which values: the settings
table's browser bounds (gan_core/config/settings.py).

Text typed into a page (Compare's "Advanced" boxes) or carried by a page link (the Hacks
guide's "Try it") reaches a server that a whole class shares and that trains on its own
files. Only settings of the networks, the optimizers, the hacks and the run's budget are taken
from such text, each within its entry's browser bound (sizes and budgets capped for a class);
`data.*` never is: a data set comes from the page's own select or from an upload, so a browser
cannot point the server at a folder (nor learn from an error whether one exists).
"""

from __future__ import annotations

from typing import Any

from gan_core.config.settings import BROWSER_SECTIONS, IMAGE, browser_problem, settings
from gan_core.config.tree import ConfigError, DottedKeys, TrainConfig

# Long enough for any real key; a longer "key" is echoed cut short, never in full.
_ECHO_CHARS = 40


def check_browser_key(key: str) -> str:
    """The key, stripped, when a browser may set it; else ConfigError with one line.

    `key` is a dotted setting name such as "hacks.flip_probability". The refusal names only
    the sections allowed and never reads the value, so it says nothing about the server's
    files whatever the value is (a path, a URL, anything).
    """
    key = key.strip()
    section, dot, name = key.partition(".")
    if dot and name and section in BROWSER_SECTIONS:
        return key
    shown = key if len(key) <= _ECHO_CHARS else key[:_ECHO_CHARS] + "…"
    if section == "data":
        raise ConfigError(f"'{shown}' cannot be set here: the data set comes from the Dataset select or an upload")
    raise ConfigError(
        f"'{shown}' cannot be set here: only {', '.join(s + '.' for s in BROWSER_SECTIONS)} settings are accepted"
    )


def browser_override(cfg: DottedKeys, key: str, value: Any, scope: str = IMAGE) -> DottedKeys:
    """`cfg` (a TrainConfig, or a ToyConfig with `scope` TOY) with one browser-sent setting
    applied (the rest of `cfg` not yet validated as a whole).

    Raises ConfigError (one line) when the key is not allowed or unknown, the value does not
    parse to the field's type, or it lies outside what a browser may send (the line names the
    limit, e.g. "model.base_filters must be in 4..128, got 512").
    """
    key = check_browser_key(key)
    cfg = cfg.with_value(key, value)
    section, _, name = key.partition(".")
    problem = browser_problem(key, getattr(getattr(cfg, section), name), scope)
    if problem:
        raise ConfigError(problem)
    return cfg


def browser_problems(cfg: TrainConfig) -> list[str]:
    """One line for each value of a Train-page control that lies outside what a browser may
    send (a crafted message can carry any number past the widget's own range: Streamlit checks
    only select-type widgets), in page order; empty when all are within."""
    out = []
    for entry in settings(IMAGE):
        if not entry.on_page:
            continue
        section, _, name = entry.key.partition(".")
        problem = browser_problem(entry.key, getattr(getattr(cfg, section), name), IMAGE)
        if problem:
            out.append(problem)
    return out
