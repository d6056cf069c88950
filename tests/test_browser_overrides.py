"""What a browser may set: only model./optimizer./hacks./run. keys, never data.*."""

from __future__ import annotations

import pytest

from gan_core.config.browser import browser_override, check_browser_key
from gan_core.config.tree import ConfigError, TrainConfig


@pytest.mark.parametrize(
    "key", ["model.base_filters", " hacks.flip_probability ", "optimizer.beta_1", "run.max_seconds"]
)
def test_settings_of_the_networks_hacks_and_budget_are_taken(key):
    assert check_browser_key(key) == key.strip()


def test_an_allowed_key_sets_the_value():
    cfg = browser_override(TrainConfig(), "hacks.flip_probability", "0.2")
    assert cfg.hacks.flip_probability == 0.2


@pytest.mark.parametrize(
    "key,value",
    [
        ("data.source", "/some/folder"),
        ("data.source", "mnist"),
        (" data.source ", "../../etc"),
        ("data", "x"),
        ("source", "/tmp"),
    ],
)
def test_the_data_set_is_never_taken_from_text(key, value):
    with pytest.raises(ConfigError) as refused:
        browser_override(TrainConfig(), key, value)
    message = str(refused.value)
    assert "\n" not in message
    assert value not in message  # the value (a path) is never echoed


def test_the_refusal_is_the_same_whether_or_not_the_path_exists(tmp_path):
    existing = tmp_path / "images"
    existing.mkdir()
    messages = set()
    for path in (existing, tmp_path / "no-such-folder"):
        with pytest.raises(ConfigError) as refused:
            browser_override(TrainConfig(), "data.source", str(path))
        messages.add(str(refused.value))
    assert messages == {"'data.source' cannot be set here: the data set comes from the Dataset select or an upload"}


@pytest.mark.parametrize("key", ["import os", "__class__.__init__", "runs.x", "model", "model.", ".model"])
def test_other_sections_and_malformed_keys_are_refused_in_one_line(key):
    with pytest.raises(ConfigError, match="only model., optimizer., hacks., run. settings are accepted"):
        check_browser_key(key)


def test_a_long_key_is_not_echoed_in_full():
    key = "x" * 500
    with pytest.raises(ConfigError) as refused:
        check_browser_key(key)
    assert len(str(refused.value)) < 200


def test_an_unknown_field_of_an_allowed_section_is_still_refused():
    with pytest.raises(ConfigError, match="unknown config key 'model.path'"):
        browser_override(TrainConfig(), "model.path", "/etc")


LATER_HACKS = {
    "hacks.instance_noise": ("0.1", 0.1),
    "hacks.replay_share": ("0.5", 0.5),
    "hacks.adversarial_loss": ("hinge", "hinge"),
    "hacks.r1_gamma": ("1", 1.0),
    "hacks.diff_augment": ("translation,cutout", "translation,cutout"),
}


@pytest.mark.parametrize("key", LATER_HACKS)
def test_the_later_hacks_are_taken_from_a_browser(key):
    text, value = LATER_HACKS[key]
    cfg = browser_override(TrainConfig(), key, text).validated()
    section, name = key.split(".")
    assert getattr(getattr(cfg, section), name) == value


@pytest.mark.parametrize(
    "key,text,expected",
    [
        ("hacks.adversarial_loss", "wasserstein", "hacks.adversarial_loss must be 'bce', 'least-squares' or 'hinge'"),
        ("hacks.diff_augment", "translation,flip", "hacks.diff_augment: unknown policy 'flip'"),
        ("hacks.replay_share", "1.5", "hacks.replay_share must be in [0, 1]"),
        ("hacks.r1_gamma", "-1", "hacks.r1_gamma must be in [0, 100]"),
        ("hacks.instance_noise", "two", "hacks.instance_noise must be a number"),
    ],
)
def test_a_bad_later_hack_value_is_one_line(key, text, expected):
    with pytest.raises(ConfigError) as refused:
        browser_override(TrainConfig(), key, text).validated()
    assert expected in str(refused.value) and "\n" not in str(refused.value)
