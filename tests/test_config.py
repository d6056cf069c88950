import dataclasses
import json

import pytest

from gan_core.config.presets import PRESETS, preset
from gan_core.config.tree import ConfigError, TrainConfig


def test_every_preset_is_valid_and_round_trips_through_json():
    for name in PRESETS:
        cfg = preset(name)
        assert TrainConfig.from_json(cfg.to_json()) == cfg


def test_presets_differ_where_they_promise():
    hacks, none, seed = preset("dcgan-hacks"), preset("no-hacks"), preset("seed-tutorial")
    assert hacks.model.batch_norm and not none.model.batch_norm
    assert none.hacks.generator_loss == "minimax" and none.hacks.flip_probability == 0
    assert none.hacks.latent_distribution == "uniform" and not none.model.tanh_output
    assert not any(
        [
            none.model.strided_downsample,
            none.model.strided_upsample,
            none.model.leaky_relu,
            none.model.gaussian_init,
            none.model.kernel_divisible_by_stride,
        ]
    )
    assert none.optimizer.beta_1 == 0.9 and hacks.optimizer.beta_1 == 0.5
    assert seed.run.batch_size == 128 and seed.model.base_filters == 128 and seed.model.layout == "tutorial"


@pytest.mark.parametrize(
    "key,value,expected",
    [
        ("hacks.real_label_range", "1.2,0.7", "low end 1.2 is above high end 0.7"),
        ("hacks.flip_probability", "0.6", "hacks.flip_probability must be in [0, 0.5]"),
        ("hacks.flip_probability", "-0.1", "hacks.flip_probability must be in [0, 0.5]"),
        ("run.batch_size", "63", "positive even number"),
        ("run.batch_size", "0", "positive even number"),
        ("hacks.latent_distribution", "cauchy", "'gaussian' or 'uniform'"),
        ("run.precision", "fp8", "'fp32', 'bf16' or 'fp16'"),
        ("model.dropout", "0.9", "model.dropout must be in [0, 0.7]"),
    ],
)
def test_bad_values_get_one_clear_line(key, value, expected):
    with pytest.raises(ConfigError) as err:
        preset("dcgan-hacks").with_value(key, value).validated()
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "key,value,expected",
    [
        ("hacks.nope", "1", "unknown config key 'hacks.nope'"),
        ("nope.x", "1", "unknown config key 'nope.x'"),
        ("run.batch_size", "many", "run.batch_size must be a whole number"),
        ("model.batch_norm", "maybe", "model.batch_norm must be true/false"),
        ("hacks.real_label_range", "0.7", "two numbers"),
    ],
)
def test_bad_keys_and_types_are_named(key, value, expected):
    with pytest.raises(ConfigError, match=expected.replace("(", r"\(").replace(".", r"\.")):
        preset("dcgan-hacks").with_value(key, value)


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(ConfigError, match="unknown preset 'nope'.*dcgan-hacks"):
        preset("nope")


def test_overrides_parse_to_field_types():
    cfg = preset("dcgan-hacks").with_overrides(
        [
            "hacks.real_label_range=0.8,1.1",
            "model.batch_norm=off",
            "run.batch_size=32",
            "optimizer.g_learning_rate=1e-3",
        ]
    )
    assert cfg.hacks.real_label_range == (0.8, 1.1)
    assert cfg.model.batch_norm is False and cfg.run.batch_size == 32 and cfg.optimizer.g_learning_rate == 1e-3
    with pytest.raises(ConfigError, match="key=value"):
        cfg.with_overrides(["run.batch_size"])


def test_json_with_unknown_key_or_bad_json_is_rejected():
    raw = json.loads(preset("dcgan-hacks").to_json())
    raw["hacks"]["smoothing"] = 1
    with pytest.raises(ConfigError, match="unknown config key 'hacks.smoothing'"):
        TrainConfig.from_dict(raw)
    with pytest.raises(ConfigError, match="not valid JSON"):
        TrainConfig.from_json("{nope")


def test_config_is_frozen():
    cfg = preset("dcgan-hacks")
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.run.batch_size = 3


# -- one knob for Adam's momentum --------------------------------------------------------
def _old_config(dcgan_adam, beta_1: float) -> dict:
    raw = preset("dcgan-hacks").to_dict()
    raw["optimizer"].update(dcgan_adam=dcgan_adam, beta_1=beta_1)
    return raw


def test_old_configs_with_the_dcgan_adam_switch_keep_the_momentum_they_trained_with():
    # The switch "off" made the step use Adam's 0.9 whatever beta_1 said.
    assert TrainConfig.from_dict(_old_config(False, 0.5)).optimizer.beta_1 == 0.9
    assert TrainConfig.from_dict(_old_config("false", 0.5)).optimizer.beta_1 == 0.9
    assert TrainConfig.from_dict(_old_config(True, 0.5)).optimizer.beta_1 == 0.5
    assert TrainConfig.from_dict(_old_config(True, 0.3)).optimizer.beta_1 == 0.3
    assert "dcgan_adam" not in TrainConfig.from_dict(_old_config(True, 0.5)).to_json()


def test_setting_the_retired_switch_names_the_knob_to_use():
    with pytest.raises(ConfigError) as err:
        preset("no-hacks").with_overrides(["optimizer.dcgan_adam=true"])
    assert "optimizer.beta_1" in str(err.value) and "\n" not in str(err.value)


def test_the_optimizers_momentum_is_the_configs_beta_1():
    from gan_core.step.gan_step import make_optimizer

    assert float(make_optimizer(preset("no-hacks"), 1e-3).beta_1) == pytest.approx(0.9)
    assert float(make_optimizer(preset("dcgan-hacks"), 1e-3).beta_1) == pytest.approx(0.5)
    tuned = preset("no-hacks").with_value("optimizer.beta_1", "0.5")
    assert float(make_optimizer(tuned, 1e-3).beta_1) == pytest.approx(0.5)
