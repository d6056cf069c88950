"""The 2D playground's exercise links (gan_core.config.exercise): its presets, built-in point
sets and controls, and the ToyConfig a link sets up."""

from __future__ import annotations

from gan_core.config.exercise import changed_lines, link_config
from gan_core.config.exercise_link import ExerciseLink, PageRules
from gan_core.config.settings import TOY, settings
from gan_core.toy.config import ToyConfig
from gan_core.toy.datasets import BUILTIN
from gan_core.toy.presets import DEFAULT_TOY_PRESET, TOY_PRESETS, toy_preset

PLAYGROUND = PageRules(
    name="playground",
    params=("preset", "data", "seed", "seconds", "set", "hide", "lock"),
    scope=TOY,
    presets=tuple(TOY_PRESETS),
    datasets=tuple(BUILTIN),
    controls=tuple(s.key for s in settings(TOY) if s.on_page),
    seconds=(1.0, 3600.0),
)


def toy_config(link: ExerciseLink) -> ToyConfig:
    """The ToyConfig a playground link sets up: its preset (the default one when it names
    none) on its built-in point set, with its lines, seed and seconds (over which Play decays
    the learning rates). ConfigError (one line) for a line outside the browser's allow-list,
    bounds or the control's range."""
    return link_config(link, toy_preset(link.preset or DEFAULT_TOY_PRESET), TOY, "data.dataset")


def toy_link(preset_name: str, cfg: ToyConfig, hide=(), lock=()) -> ExerciseLink:
    """The link of what the playground shows: preset `preset_name`, config `cfg` (its data set
    when built in, its differences from the preset as lines, seed and seconds), and the
    controls to hide and lock."""
    data = cfg.data.dataset if cfg.data.dataset in BUILTIN else ""
    return ExerciseLink(
        preset=preset_name,
        data=data,
        seed=cfg.run.seed,
        seconds=float(cfg.run.max_seconds) or None,
        sets=changed_lines(toy_preset(preset_name), cfg, TOY, skip=("run.seed", "run.max_seconds")),
        hide=frozenset(hide),
        lock=frozenset(lock),
    )
