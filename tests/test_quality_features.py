"""The capacity options beyond the DCGAN paper: a wider D, an extra conv in D and in G."""

import numpy as np
import pytest
from keras import layers

from gan_core.config.tree import ConfigError, ModelConfig, TrainConfig
from gan_core.nets.models import build_discriminator, build_generator

SHAPE = (28, 28, 1)


def _conv_widths(model):
    return [l.filters for l in model.layers if type(l) is layers.Conv2D]


def test_defaults_keep_the_paper_networks():
    cfg = ModelConfig(base_filters=8)
    assert _conv_widths(build_discriminator(cfg, SHAPE)) == [8, 16]
    assert _conv_widths(build_generator(cfg, SHAPE)) == []


def test_d_base_filters_widens_only_the_discriminator():
    cfg = ModelConfig(base_filters=8, d_base_filters=12)
    assert _conv_widths(build_discriminator(cfg, SHAPE)) == [12, 24]
    assert (
        build_generator(cfg, SHAPE).count_params() == build_generator(ModelConfig(base_filters=8), SHAPE).count_params()
    )


def test_extra_convs_add_a_stride_one_3x3_layer_and_keep_shapes():
    cfg = ModelConfig(base_filters=8, d_extra_conv=True, g_extra_conv=True)
    g, d = build_generator(cfg, SHAPE), build_discriminator(cfg, SHAPE)
    d_convs = [l for l in d.layers if type(l) is layers.Conv2D]
    g_convs = [l for l in g.layers if type(l) is layers.Conv2D]
    assert len(d_convs) == 3 and d_convs[-1].kernel_size == (3, 3) and d_convs[-1].strides == (1, 1)
    assert len(g_convs) == 1 and g_convs[0].kernel_size == (3, 3) and g_convs[0].filters == 16
    images = g(np.random.randn(4, cfg.latent_dim).astype("float32"))
    assert tuple(images.shape) == (4, *SHAPE)
    assert tuple(d(images).shape) == (4, 1)


@pytest.mark.parametrize("value", [-1, 2, 600])
def test_bad_d_base_filters_is_a_one_line_error(value):
    with pytest.raises(ConfigError, match="model.d_base_filters"):
        TrainConfig().with_value("model.d_base_filters", value).validated()


def test_options_are_dotted_overrides():
    cfg = TrainConfig().with_overrides(["model.d_extra_conv=true", "model.d_base_filters=24"]).validated()
    assert cfg.model.d_extra_conv and cfg.model.d_base_filters == 24 and not cfg.model.g_extra_conv
