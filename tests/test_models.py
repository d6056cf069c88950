import numpy as np
import pytest
from keras import layers

from gan_core.config.tree import ModelConfig
from gan_core.nets.models import build_discriminator, build_generator


def _layer_types(model):
    return [type(l).__name__ for l in model.layers]


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3)])
@pytest.mark.parametrize("layout", ["dcgan", "tutorial"])
def test_shapes_for_both_image_sizes(shape, layout):
    cfg = ModelConfig(layout=layout, base_filters=8)
    g, d = build_generator(cfg, shape), build_discriminator(cfg, shape)
    images = g(np.random.randn(3, cfg.latent_dim).astype("float32"))
    assert tuple(images.shape) == (3, *shape)
    assert tuple(d(images).shape) == (3, 1)


def test_each_practice_switches_the_architecture():
    on, off = (
        ModelConfig(base_filters=8),
        ModelConfig(
            base_filters=8,
            strided_downsample=False,
            strided_upsample=False,
            leaky_relu=False,
            batch_norm=False,
            gaussian_init=False,
            tanh_output=False,
            kernel_divisible_by_stride=False,
            dropout=0.0,
        ),
    )
    g_on, d_on = build_generator(on, (28, 28, 1)), build_discriminator(on, (28, 28, 1))
    g_off, d_off = build_generator(off, (28, 28, 1)), build_discriminator(off, (28, 28, 1))
    assert "MaxPooling2D" in _layer_types(d_off) and "MaxPooling2D" not in _layer_types(d_on)
    assert "UpSampling2D" in _layer_types(g_off) and "Conv2DTranspose" in _layer_types(g_on)
    assert "FusableLeakyReLU" in _layer_types(g_on) and "FusableLeakyReLU" not in _layer_types(g_off)
    assert "ReLU" in _layer_types(d_off)
    assert "BatchNormalization" in _layer_types(g_on) and "BatchNormalization" not in _layer_types(d_off)
    assert "Dropout16" in _layer_types(d_on) and "Dropout16" not in _layer_types(d_off)
    convs_on = [l for l in d_on.layers if isinstance(l, layers.Conv2D)]
    convs_off = [l for l in d_off.layers if isinstance(l, layers.Conv2D)]
    assert all(l.kernel_size == (4, 4) for l in convs_on) and all(l.kernel_size == (3, 3) for l in convs_off)
    assert g_on.layers[-1].activation.__name__ == "tanh" and g_off.layers[-1].activation.__name__ == "sigmoid"
    z = np.random.randn(16, 100).astype("float32")
    assert float(np.min(g_off(z))) >= 0.0


def test_batch_norm_is_not_on_ds_input_layer_nor_gs_output():
    cfg = ModelConfig(base_filters=8)
    d = build_discriminator(cfg, (28, 28, 1))
    types = _layer_types(d)
    first_conv = types.index("Conv2D")
    assert types[first_conv + 1] == "FusableLeakyReLU"  # conv -> activation, no BN on the input layer
    second_conv = types.index("Conv2D", first_conv + 1)
    assert types[second_conv + 1 : second_conv + 3] == ["BatchNormalization", "FusableLeakyReLU"]
    g = build_generator(cfg, (28, 28, 1))
    assert _layer_types(g)[-1] == "Conv2DTranspose"  # the output layer is not normalized


def test_gaussian_init_has_std_002():
    g = build_generator(ModelConfig(base_filters=32), (28, 28, 1))
    kernel = g.layers[1].kernel.numpy()
    assert abs(kernel.std() - 0.02) < 0.002 and abs(kernel.mean()) < 0.002


def test_leaky_slope_is_the_configured_one():
    d = build_discriminator(ModelConfig(base_filters=8, leaky_slope=0.1), (28, 28, 1))
    leaky = [l for l in d.layers if isinstance(l, layers.LeakyReLU)]
    assert leaky and all(abs(l.negative_slope - 0.1) < 1e-6 for l in leaky)


def test_bf16_computes_in_bfloat16_and_outputs_float32():
    g = build_generator(ModelConfig(base_filters=8), (28, 28, 1), precision="bf16")
    assert any(l.dtype_policy.compute_dtype == "bfloat16" for l in g.layers[1:-1])
    assert g(np.zeros((2, 100), "float32")).dtype.name == "float32"


def test_seed_tutorial_layout_matches_the_reference_network():
    cfg = ModelConfig(layout="tutorial", base_filters=128, batch_norm=False, gaussian_init=False, dropout=0.4)
    d = build_discriminator(cfg, (28, 28, 1))
    g = build_generator(cfg, (28, 28, 1))
    convs = [l for l in d.layers if isinstance(l, layers.Conv2D)]
    assert [(l.filters, l.kernel_size, l.strides) for l in convs] == [(128, (3, 3), (2, 2))] * 2
    assert [l.kernel_size for l in g.layers if isinstance(l, layers.Conv2DTranspose)] == [(4, 4)] * 2
    assert g.layers[-1].kernel_size == (7, 7)
    # the same parameter count as the seed reference's models (biases included)
    assert d.count_params() == 1280 + 147584 + 6273
    assert g.count_params() == 100 * 6272 + 6272 + 2 * (4 * 4 * 128 * 128 + 128) + 7 * 7 * 128 + 1
