"""The one settings table: an entry for every config key, one hop from each control to its
code, ranges that hold together, and the pages, the guide and ARCHITECTURE.md reading it."""

import importlib
from pathlib import Path

import pytest

from gan_core.config.browser import browser_override
from gan_core.config.presets import preset, preset_names
from gan_core.config.setting import Choice, Pair
from gan_core.config.settings import (
    IMAGE,
    TOY,
    code_target,
    controls,
    live_markers,
    setting,
    settings,
    where_settings_live,
)
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.toy.config import ToyConfig

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("scope", "tree"), [(IMAGE, TrainConfig()), (TOY, ToyConfig())])
def test_every_key_of_the_config_has_exactly_one_entry(scope, tree):
    entries = [s.key for s in settings(scope)]
    assert len(entries) == len(set(entries)), "a key with two entries"
    assert sorted(entries) == sorted(key for key, _ in tree.flat())


EVERY_ENTRY = [pytest.param(s, id=f"{scope}:{s.key}") for scope in (IMAGE, TOY) for s in settings(scope)]


@pytest.mark.parametrize("entry", EVERY_ENTRY)
def test_every_entry_names_code_that_exists(entry):
    """One hop from a control to its code, true by construction: the reference imports."""
    module_name, qualname = code_target(entry)
    target = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    assert callable(target), entry.code


@pytest.mark.parametrize("entry", EVERY_ENTRY)
def test_browser_bounds_and_page_ranges_lie_within_the_valid_values(entry):
    if entry.browser is not None:
        assert type(entry.browser) is type(entry.valid) and entry.browser.within(entry.valid), entry.key
    if entry.page is not None:
        low, high, step = entry.page
        assert step > 0 and low < high
        ends = [(low, low), (high, high)] if isinstance(entry.valid, Pair) else [low, high]
        assert all(entry.valid.contains(end) for end in ends), entry.key
    if entry.kind in ("radio", "select") and isinstance(entry.valid, Choice):
        assert [v for v, _ in entry.options] == list(entry.valid.values)
    if entry.kind == "lr":
        assert entry.choices and all(entry.valid.contains(v) for v in entry.choices)
    assert bool(entry.label) == bool(entry.kind) == bool(entry.help), f"{entry.key}: a control has all three"


def test_every_preset_and_every_default_is_valid_by_the_table():
    for name in preset_names():
        assert preset(name).problems() == []
    assert TrainConfig().problems() == [] and ToyConfig().problems() == []


def test_the_live_keys_are_the_tables_live_entries_and_each_has_a_marker():
    from gan_core.hacks.live import LIVE_KEYS

    assert LIVE_KEYS == live_markers(IMAGE)
    assert set(LIVE_KEYS) == {s.key for s in settings(IMAGE) if s.live}
    assert all(LIVE_KEYS.values())


def test_the_guide_cards_and_the_table_name_each_other():
    from gan_core.guide.cards import CARDS

    ids = {c.id for c in CARDS}
    for entry in settings(IMAGE):
        assert set(entry.cards) <= ids, f"{entry.key} names a card the guide lacks"
    labels = {s.label for s in settings(IMAGE) if s.label}
    for card in CARDS:
        assert card.control in labels, f"card {card.id} names a control the page lacks"
        for key in card.keys:
            setting(key)  # every key a card compares is an entry
        assert any(card.id in setting(k).cards for k in card.keys), f"no entry of {card.keys} names card {card.id}"


def test_the_train_page_shows_every_control_of_the_table_in_its_groups():
    from ui.control_specs import LIVE_HACKS, PRACTICES, RUN_CONTROLS

    shown = [c.key for c in PRACTICES + LIVE_HACKS + RUN_CONTROLS]
    assert shown == [s.key for g in ("practice", "model_hack", "hack", "run") for s in controls(g)]
    assert all(c.live for c in LIVE_HACKS) and not any(c.live for c in PRACTICES + RUN_CONTROLS)


def test_architecture_md_where_a_setting_lives_is_the_tables():
    text = (ROOT / "ARCHITECTURE.md").read_text()
    assert where_settings_live(IMAGE) in text, "regenerate with: python -m gan_core settings --markdown"
    assert where_settings_live(TOY) in text, "regenerate with: python -m gan_core settings --markdown"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("model.base_filters", "512", "model.base_filters must be in 4..128, got 512"),
        ("model.latent_dim", "1024", "model.latent_dim must be in 1..256, got 1024"),
        ("run.batch_size", "1024", "run.batch_size must be a positive even number up to 256, got 1024"),
        ("hacks.d_steps", "10", "hacks.d_steps must be in 1..5, got 10"),
        ("run.max_seconds", "inf", "run.max_seconds must be a finite number in [1, 3600] seconds, got inf"),
        ("run.max_seconds", "0", "run.max_seconds must be in [1, 3600] seconds, got 0.0"),
        ("run.precision", "bf16", "run.precision must be 'auto' or 'fp32', got 'bf16'"),
    ],
)
def test_a_browser_gets_a_class_sized_bound_with_one_line_naming_it(key, value, message):
    """What one tab could send on the old code (~145 M parameters, a budget without end) is
    refused before anything is built, in one line that names the limit."""
    with pytest.raises(ConfigError) as e:
        browser_override(TrainConfig(), key, value)
    assert str(e.value) == message


def test_the_cli_keeps_the_full_ranges_a_browser_does_not_get():
    cfg = TrainConfig().with_overrides(["model.base_filters=512", "hacks.d_steps=10", "run.max_seconds=0"])
    assert cfg.validated() is cfg
    with pytest.raises(ConfigError, match="run.max_seconds must be a finite number"):
        TrainConfig().with_value("run.max_seconds", "inf").validated()
