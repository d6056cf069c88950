"""Exercise links applied: the config a link sets up (through the browser's allow-list and
bounds, gan_core.config.browser, and each page control's range), the lines that write a
config back into a link, an exercise's identity, and the Train page's link rules. The link's
text, read and written, is gan_core/config/exercise_link.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from gan_core.config.browser import browser_override
from gan_core.config.exercise_link import ExerciseLink, PageRules, value_text
from gan_core.config.presets import DEFAULT_PRESET, preset, preset_names
from gan_core.config.settings import IMAGE, setting, settings
from gan_core.config.tree import ConfigError, DottedKeys

# Budget keys, which an exercise's identity leaves out: two students who train the same pair
# for 60 s and for 120 s do the same exercise.
_BUDGET_KEYS = ("run.max_seconds", "run.epochs")


def control_problem(key: str, value: Any, scope: str) -> str | None:
    """One line when `value` is one the page's control of `key` cannot show (outside a slider's
    or a number's range, not one of a learning-rate slider's values), else None (no control)."""
    entry = setting(key, scope)
    if not entry.kind:
        return None
    if entry.kind == "lr" and value not in entry.choices:
        shown = ", ".join(f"{v:g}" for v in entry.choices)
        return f"{key} must be one of the control's values ({shown}), got {value:g}"
    if entry.page is not None and entry.kind in ("slider", "number", "range"):
        low, high, _ = entry.page
        ends = value if entry.kind == "range" else (value,)
        if not all(low <= v <= high for v in ends):
            return f"{key} must be in [{low:g}, {high:g}] on this page, got {value}"
    return None


def apply_lines(cfg: DottedKeys, pairs: Sequence[tuple[str, str]], scope: str, where: str = "set") -> DottedKeys:
    """`cfg` with each (key, value text) applied as a browser sends it (allow-list, browser
    bound) and within the page control's range; ConfigError naming `where` and the key."""
    for key, value in pairs:
        try:
            cfg = browser_override(cfg, key, value, scope)
            section, _, name = key.partition(".")
            problem = control_problem(key, getattr(getattr(cfg, section), name), scope)
        except ConfigError as e:
            raise ConfigError(f"{where}: {e}") from None
        if problem:
            raise ConfigError(f"{where}: {problem}")
    return cfg


def link_config(link: ExerciseLink, base: DottedKeys, scope: str, data_key: str) -> DottedKeys:
    """The config a Train or playground link sets up: `base` (its preset's config) with the
    link's data set under `data_key`, its `set` lines, seed and seconds, validated.

    Raises ConfigError (one line) for a line outside the allow-list, a browser bound or the
    control's range, or a config the table refuses as a whole.
    """
    cfg = base.with_value(data_key, link.data) if link.data else base
    cfg = apply_lines(cfg, link.sets, scope)
    if link.seed is not None:
        cfg = cfg.with_value("run.seed", link.seed)
    if link.seconds is not None:
        cfg = apply_lines(cfg, [("run.max_seconds", repr(link.seconds))], scope, "seconds")
    return cfg.validated()


# -- writing links ------------------------------------------------------------------------------
def changed_lines(base: DottedKeys, cfg: DottedKeys, scope: str, skip: Sequence[str] = ()) -> tuple:
    """(key, value text) for every setting a browser may send in which `cfg` differs from
    `base`, in the settings table's order, `skip` and data keys left out."""
    out = []
    for entry in settings(scope):
        section, _, name = entry.key.partition(".")
        if entry.browser is None or section == "data" or entry.key in skip:
            continue
        mine, theirs = getattr(getattr(cfg, section), name), getattr(getattr(base, section), name)
        if mine != theirs:
            out.append((entry.key, value_text(mine)))
    return tuple(out)


def exercise_id(*configs: DottedKeys) -> str:
    """12 hex characters naming an exercise by its setup: a SHA-256 of the configs (the
    budget left out), so the same pair is the same exercise whether a link, a Hacks guide
    card or typed lines set it up."""
    flat = []
    for cfg in configs:
        tree = cfg.to_dict()
        for key in _BUDGET_KEYS:
            section, _, name = key.partition(".")
            tree.get(section, {}).pop(name, None)
        flat.append(tree)
    text = json.dumps(flat, sort_keys=True, default=list)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# -- the Train page ---------------------------------------------------------------------------
def train_rules(datasets: Sequence[str]) -> PageRules:
    """The Train page's links: its presets, the named data sets of its Dataset select
    (`datasets`), and its controls (hide, lock) by setting key."""
    return PageRules(
        name="train",
        params=("preset", "data", "seed", "seconds", "set", "hide", "lock"),
        scope=IMAGE,
        presets=tuple(preset_names()),
        datasets=tuple(datasets),
        controls=tuple(s.key for s in settings(IMAGE) if s.on_page),
        seconds=(1.0, 3600.0),
    )


def train_config(link: ExerciseLink) -> DottedKeys:
    """The TrainConfig a Train page link sets up: its preset (the default one when it names
    none) with its data set, lines, seed and seconds; ConfigError (one line) as `link_config`."""
    return link_config(link, preset(link.preset or DEFAULT_PRESET), IMAGE, "data.source")


def train_link(preset_name: str, cfg: DottedKeys, data: str, hide=(), lock=()) -> ExerciseLink:
    """The link of what a Train page shows: preset `preset_name`, config `cfg` (its
    differences from the preset as lines), named data set `data` ("" for an upload, which no
    link carries), its seed and seconds, and the controls to hide and lock."""
    return ExerciseLink(
        preset=preset_name,
        data=data,
        seed=cfg.run.seed,
        seconds=float(cfg.run.max_seconds) or None,  # 0, the class's limit, is no browser value
        sets=changed_lines(preset(preset_name), cfg, IMAGE, skip=("run.seed", "run.max_seconds")),
        hide=frozenset(hide),
        lock=frozenset(lock),
    )
