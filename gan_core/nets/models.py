"""Generator and discriminator built from a ModelConfig; every DCGAN practice is a switch.

BatchNorm placement: convolution -> BatchNorm -> activation (the DCGAN paper's code),
never on D's input layer nor on G's output layer.

Every random part (initializers, dropout) takes its own seed derived from the `seed`
argument, so the same seed gives the same weights whatever other threads do meanwhile:
no process-wide seeding (keras.utils.set_random_seed), which a server's other sessions
would race with. D returns logits (no sigmoid): the
losses use the numerically stable logit form, which also keeps bf16 training sane.
"""

from __future__ import annotations

import keras
from keras import layers

from gan_core.config.architecture import GAUSSIAN_INIT_STD, KERNEL_DIVISIBLE, KERNEL_UNEVEN, width_multiples
from gan_core.config.architecture import resolution_stages as _stages
from gan_core.config.tree import ModelConfig
from gan_core.nets.conditional import generator_name
from gan_core.nets.fast_dropout import Dropout16
from gan_core.nets.fusable_leaky_relu import FusableLeakyReLU
from gan_core.nets.hack_layers import MinibatchStdDev, SamplingDropout, spectral_normalized
from gan_core.nets.narrow_conv import NarrowConv2D, worth_it
from gan_core.nets.precision import keras_policy

IMAGE_SHAPES = ((28, 28, 1), (32, 32, 3), (28, 28, 3), (32, 32, 1))


def check_image_shape(shape) -> tuple:
    """The image shape (height, width, channels) as ints, checked for the two networks.

    Square, 16-64 pixels a side, side divisible by 4, 1 or 3 channels, e.g. (28, 28, 1) or
    (32, 32, 3). Raises ValueError with a one-line message otherwise.
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) != 3 or shape[0] != shape[1] or shape[2] not in (1, 3) or shape[0] % 4 or not 16 <= shape[0] <= 64:
        raise ValueError(
            f"images must be square, 16-64 pixels with a side divisible by 4, with 1 or 3 channels; got {shape}"
        )
    return shape


# Seeds of one network's random layers: seed * SEED_STRIDE + an offset per network and layer.
SEED_STRIDE = 10_000
_NETWORK_OFFSET = {"g": 0, "d": SEED_STRIDE // 2}


class LayerBuilder:
    """Layer factories that apply the practices uniformly to both networks (one per network built)."""

    def __init__(self, cfg: ModelConfig, dtype: str, prefix: str, seed: int = 0):
        self.cfg = cfg
        self.dtype = dtype
        self.prefix = prefix
        self._count = 0
        self._seed = int(seed) * SEED_STRIDE + _NETWORK_OFFSET[prefix]
        # Spectral normalization is D's (Miyato et al. 2018 normalize the critic only).
        self.spectral = cfg.spectral_norm and prefix == "d"

    def weighted(self, layer):
        """A conv or dense layer as this network uses it: spectrally normalized in D when asked."""
        return spectral_normalized(layer) if self.spectral else layer

    def g_noise(self, x):
        """G's dropout (on at sampling too) after a hidden stage; nothing when g_dropout is 0."""
        if self.cfg.g_dropout <= 0:
            return x
        return SamplingDropout(self.cfg.g_dropout, seed=self.seed(), dtype=self.dtype, name=self.name("g_dropout"))(x)

    def seed(self) -> int:
        """The next layer's own seed: a fixed integer, so its draw depends on nothing global."""
        self._seed += 1
        return self._seed

    def name(self, kind: str) -> str:
        """Explicit layer names: Keras' automatic ones live in a thread-local counter that a
        server thread cannot rely on, and duplicates make a model unbuildable."""
        self._count += 1
        return f"{self.prefix}_{self._count:02d}_{kind}"

    def init(self):
        """The next kernel initializer: N(0, 0.02) with the Gaussian-init practice (Radford et al.
        2015), else Keras' Glorot uniform; seeded per layer."""
        if self.cfg.gaussian_init:
            return keras.initializers.RandomNormal(mean=0.0, stddev=GAUSSIAN_INIT_STD, seed=self.seed())
        return keras.initializers.GlorotUniform(seed=self.seed())

    def kernel(self) -> int:
        """Kernel size of the strided layers: 4 (divisible by the stride 2, no checkerboard;
        Odena et al. 2016) with that practice, else 3."""
        return KERNEL_DIVISIBLE if self.cfg.kernel_divisible_by_stride else KERNEL_UNEVEN

    def act(self, x):
        """LeakyReLU (slope cfg.leaky_slope) with the leaky practice, else ReLU; same shape and dtype.

        The LeakyReLU is FusableLeakyReLU: Keras' values, its gradient read from its output, so
        each of D's convolutions runs with its bias and activation as one kernel. Saved models
        carry Keras' own LeakyReLU instead (fusable_leaky_relu.with_keras_leaky_relu).
        """
        if self.cfg.leaky_relu:
            return FusableLeakyReLU(
                negative_slope=self.cfg.leaky_slope, dtype=self.dtype, name=self.name("leaky_relu")
            )(x)
        return layers.ReLU(dtype=self.dtype, name=self.name("relu"))(x)

    def norm_act(self, x, normalize: bool = True):
        """BatchNorm (momentum 0.9, when the practice is on and `normalize`) then the activation."""
        if normalize and self.cfg.batch_norm:
            gamma = keras.initializers.RandomNormal(1.0, 0.02, seed=self.seed()) if self.cfg.gaussian_init else "ones"
            x = layers.BatchNormalization(
                momentum=0.9, gamma_initializer=gamma, dtype=self.dtype, name=self.name("batch_norm")
            )(x)
        return self.act(x)

    def conv(self, x, filters, kernel, strides=1, activation=None, dtype=None):
        """A 'same' Conv2D (NarrowConv2D for image heads), spectrally normalized in D when asked;
        no bias when BatchNorm follows. (N, H, W, C) -> (N, H/strides, W/strides, filters)."""
        # Image heads (few filters) take a faster route to the same result.
        conv_class = NarrowConv2D if worth_it(filters, kernel, strides) else layers.Conv2D
        return self.weighted(
            conv_class(
                filters,
                kernel,
                strides=strides,
                padding="same",
                activation=activation,
                use_bias=not self.cfg.batch_norm or activation is not None,
                kernel_initializer=self.init(),
                dtype=dtype or self.dtype,
                name=self.name("conv"),
            )
        )(x)

    def downsample(self, x, filters, kernel):
        """Halve H and W: a stride-2 conv with the strided practice, else a conv then 2x2 max pooling."""
        if self.cfg.strided_downsample:
            return self.conv(x, filters, kernel, strides=2)
        x = self.conv(x, filters, kernel)
        return layers.MaxPooling2D(2, dtype=self.dtype, name=self.name("max_pool"))(x)

    def upsample(self, x, filters, kernel, activation=None, dtype=None):
        """Double H and W: a stride-2 Conv2DTranspose with the strided practice, else nearest
        upsampling then a conv."""
        if self.cfg.strided_upsample:
            return layers.Conv2DTranspose(
                filters,
                kernel,
                strides=2,
                padding="same",
                activation=activation,
                use_bias=not self.cfg.batch_norm or activation is not None,
                kernel_initializer=self.init(),
                dtype=dtype or self.dtype,
                name=self.name("conv_transpose"),
            )(x)
        x = layers.UpSampling2D(2, dtype=self.dtype, name=self.name("upsample"))(x)
        return self.conv(x, filters, kernel, activation=activation, dtype=dtype)


def build_generator(
    cfg: ModelConfig, image_shape, precision: str = "fp32", classes: int = 0, seed: int = 0
) -> keras.Model:
    """(batch, latent_dim + classes) -> images; with classes > 0 the last inputs are a one-hot class code.

    Images are (batch, H, W, C) float32 (the head stays float32 under bf16): in [-1, 1] from tanh,
    or [0, 1] from sigmoid. Raises ValueError for a shape check_image_shape rejects.
    The same (cfg, shape, precision, classes, seed) gives the same initial weights in any thread.
    """
    height, _, channels = check_image_shape(image_shape)
    dtype = keras_policy(precision)
    b = LayerBuilder(cfg, dtype, "g", seed)
    stages = _stages(height, cfg.layout)
    seed_size = height // (2**stages)
    out_act = "tanh" if cfg.tanh_output else "sigmoid"
    f = cfg.base_filters
    tutorial = cfg.layout == "tutorial"

    z = keras.Input(shape=(cfg.latent_dim + classes,), name="z")
    g_widths = [f * m for m in width_multiples(height, cfg.layout)[0]]
    seed_width = g_widths[0]
    x = layers.Dense(
        seed_size * seed_size * seed_width,
        use_bias=not cfg.batch_norm,
        kernel_initializer=b.init(),
        dtype=dtype,
        name=b.name("dense"),
    )(z)
    x = b.norm_act(x)
    x = layers.Reshape((seed_size, seed_size, seed_width), dtype=dtype, name=b.name("reshape"))(x)
    x = b.g_noise(x)
    if tutorial:
        # The tutorial upsamples at constant width with 4x4 kernels, then a 7x7 conv head.
        for _ in range(stages):
            x = b.norm_act(b.upsample(x, f, 4))
        image = b.conv(x, channels, 7, activation=out_act, dtype="float32")
    else:
        for i in range(stages - 1):
            x = b.g_noise(b.norm_act(b.upsample(x, g_widths[i + 1], b.kernel())))
        if cfg.g_extra_conv:
            x = b.norm_act(b.conv(x, x.shape[-1], 3))
        image = b.upsample(x, channels, b.kernel(), activation=out_act, dtype="float32")
    return keras.Model(z, image, name=generator_name(classes))


def build_discriminator(
    cfg: ModelConfig, image_shape, precision: str = "fp32", classes: int = 0, seed: int = 0
) -> keras.Model:
    """images -> logit; with classes > 0: [images, one-hot class] -> [logit, class logits].

    Logits are float32, (batch, 1) and (batch, classes); images come in the generator's scale.
    Raises ValueError for a shape check_image_shape rejects.
    The same arguments give the same initial weights and dropout masks in any thread.
    """
    height, _, _ = check_image_shape(image_shape)
    dtype = keras_policy(precision)
    b = LayerBuilder(cfg, dtype, "d", seed)
    f = cfg.d_base_filters or cfg.base_filters
    tutorial = cfg.layout == "tutorial"
    kernel = 3 if tutorial else b.kernel()

    image = keras.Input(shape=tuple(image_shape), name="image")
    x = image
    for i, multiple in enumerate(width_multiples(height, cfg.layout)[1]):
        x = b.downsample(x, f * multiple, kernel)
        x = b.norm_act(x, normalize=i > 0)  # no BatchNorm on D's input layer
    if cfg.minibatch_stddev:
        # Before the last conv, as in ProGAN, so D can combine batch variety with its features.
        x = MinibatchStdDev(dtype=dtype, name=b.name("minibatch_stddev"))(x)
    if cfg.d_extra_conv:
        x = b.norm_act(b.conv(x, x.shape[-1], 3))
    x = layers.Flatten(dtype=dtype, name=b.name("flatten"))(x)
    if cfg.dropout > 0:
        x = Dropout16(cfg.dropout, seed=b.seed(), dtype=dtype, name=b.name("dropout"))(x)
    logit = b.weighted(layers.Dense(1, kernel_initializer=b.init(), dtype="float32", name=b.name("logit")))(x)
    if not classes:
        return keras.Model(image, logit, name="discriminator")
    # Projection discriminator (Miyato & Koyama 2018): the logit gains <embed(class), features>,
    # so "real" always means "a real example of this class". The auxiliary head (AC-GAN,
    # Odena et al. 2017) names the class, which gives G a direct signal to draw that class.
    code = keras.Input(shape=(classes,), name="class_code")
    embedded = b.weighted(
        layers.Dense(
            x.shape[-1], use_bias=False, kernel_initializer=b.init(), dtype="float32", name=b.name("class_embedding")
        )
    )(code)
    projection = layers.Dot(axes=1, dtype="float32", name=b.name("projection"))([embedded, x])
    logit = layers.Add(dtype="float32", name=b.name("conditional_logit"))([logit, projection])
    class_logits = b.weighted(
        layers.Dense(classes, kernel_initializer=b.init(), dtype="float32", name=b.name("class_logits"))
    )(x)
    return keras.Model([image, code], [logit, class_logits], name="discriminator")
