"""The two small MLPs of the playground: G maps latent points to the plane, D scores points."""

from __future__ import annotations

import keras


def _dense_stack(
    name: str,
    inputs: int,
    width: int,
    depth: int,
    outputs: int,
    activation,
    seed: int,
    input_scale: float = 1.0,
    output_scale: float = 1.0,
    spectral_norm: bool = False,
):
    layers = [keras.Input((inputs,))]
    wrap = (
        (lambda layer: keras.layers.SpectralNormalization(layer, power_iterations=1, name=f"{layer.name}_sn"))
        if spectral_norm
        else (lambda layer: layer)
    )
    if input_scale != 1.0:
        layers.append(keras.layers.Rescaling(input_scale, name=f"{name}_in_scale"))
    for i in range(depth):
        layers.append(
            wrap(
                keras.layers.Dense(
                    width,
                    activation=activation,
                    name=f"{name}_hidden{i}",
                    kernel_initializer=keras.initializers.HeUniform(seed=seed + i),
                )
            )
        )
    layers.append(
        wrap(
            keras.layers.Dense(
                outputs, name=f"{name}_out", kernel_initializer=keras.initializers.GlorotUniform(seed=seed + depth)
            )
        )
    )
    if output_scale != 1.0:
        layers.append(keras.layers.Rescaling(output_scale, name=f"{name}_out_scale"))
    return keras.Sequential(layers, name=name)


# `data_scale` is the data's size (its RMS distance from the origin): G's output is multiplied
# by it and D's input divided by it, so both networks work in units where the data is ~1 wide
# whether it is the unit ring or the grid out to +-4 (measured: the grid learned far faster).


def build_generator(latent_dim: int, hidden: int, depth: int, seed: int = 0, data_scale: float = 1.0) -> keras.Model:
    """latent -> (x, y); a linear output, because the plane has no natural range to squash into."""
    return _dense_stack("toy_generator", latent_dim, hidden, depth, 2, "relu", seed, output_scale=data_scale)


def build_discriminator(
    hidden: int, depth: int, seed: int = 0, data_scale: float = 1.0, pack: int = 1, spectral_norm: bool = False
) -> keras.Model:
    """`pack` points (x1, y1, x2, y2, ...) -> one logit (probability = sigmoid) that all of
    them are real. LeakyReLU keeps gradients alive far from the data. With `spectral_norm`
    every dense kernel is divided by its largest singular value in training calls (Miyato
    et al. 2018, one power iteration per call)."""
    return _dense_stack(
        "toy_discriminator",
        2 * pack,
        hidden,
        depth,
        1,
        keras.layers.LeakyReLU(0.2),
        seed + 100,
        input_scale=1.0 / data_scale,
        spectral_norm=spectral_norm,
    )
