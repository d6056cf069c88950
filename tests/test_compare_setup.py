"""The Compare page's A/B setup, without the page: cards, preloads and typed lines to two configs."""

from __future__ import annotations

import pytest

from gan_core.compare.setup import (
    SAME,
    OverrideError,
    apply_lines,
    base_pair,
    build_pair,
    card_label,
    describe_difference,
)
from gan_core.config.presets import preset
from gan_core.config.tree import ConfigError
from gan_core.guide import lookup as guide


def test_a_card_gives_a_pair_that_differs_in_its_setting_and_trains_for_the_chosen_seconds():
    cfg_a, cfg_b = build_pair("label-flips", None, 45.0, "", "")
    assert (cfg_a.run.max_seconds, cfg_a.run.epochs) == (45.0, 0) == (cfg_b.run.max_seconds, cfg_b.run.epochs)
    assert cfg_a.hacks.flip_probability > 0 and cfg_b.hacks.flip_probability == 0
    assert describe_difference(cfg_a, cfg_b).startswith("B differs from A in: `hacks.flip_probability`")


def test_same_gives_twice_the_base_preset_and_says_so():
    cfg_a, cfg_b = base_pair(SAME, None)
    assert cfg_a == cfg_b == preset(guide.COMPARE_BASE_PRESET)
    assert describe_difference(cfg_a, cfg_b).startswith("A and B are identical")
    assert card_label(SAME).startswith("Nothing: B is A")
    assert card_label("label-flips") == guide.card("label-flips").title


def test_typed_lines_skip_comments_and_a_bad_line_is_named_by_arm_and_number():
    cfg = apply_lines(preset("dcgan-hacks"), "# try\n\nmodel.base_filters=16\n", "A")
    assert cfg.model.base_filters == 16
    with pytest.raises(OverrideError, match=r"^B overrides, line 2: expected key=value, got 'model.dropout'$"):
        apply_lines(preset("dcgan-hacks"), "# a\nmodel.dropout\n", "B")
    with pytest.raises(OverrideError, match=r"^A overrides, line 1: "):
        apply_lines(preset("dcgan-hacks"), "data.source=/etc", "A")


def test_settings_that_must_match_and_a_missing_budget_are_refused_in_one_line():
    with pytest.raises(ConfigError, match="run.batch_size"):
        build_pair(SAME, None, 60.0, "", "run.batch_size=128")
    with pytest.raises(ConfigError, match="needs a budget") as refused:
        build_pair(SAME, None, 0.0, "", "")
    assert "\n" not in str(refused.value)


def test_a_preload_passes_the_browser_allow_list():
    cfg_a, cfg_b = base_pair("batch-norm", {"a": {"hacks.flip_probability": 0.1}, "b": {}})
    assert cfg_a.hacks.flip_probability == 0.1 and cfg_b == preset(guide.COMPARE_BASE_PRESET)
    with pytest.raises(ConfigError):
        base_pair("batch-norm", {"a": {"data.source": "/somewhere"}, "b": {}})
