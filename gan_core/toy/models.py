"""The two small MLPs of the playground: G maps latent points to the plane, D scores points."""
from __future__ import annotations

import keras


def _dense_stack(name: str, inputs: int, width: int, depth: int, outputs: int, activation, seed: int):
    layers = [keras.Input((inputs,))]
    for i in range(depth):
        layers.append(keras.layers.Dense(width, activation=activation, name=f"{name}_hidden{i}",
                                         kernel_initializer=keras.initializers.HeUniform(seed=seed + i)))
    layers.append(keras.layers.Dense(outputs, name=f"{name}_out",
                                     kernel_initializer=keras.initializers.GlorotUniform(seed=seed + depth)))
    return keras.Sequential(layers, name=name)


def build_generator(latent_dim: int, hidden: int, depth: int, seed: int = 0) -> keras.Model:
    """latent -> (x, y); a linear output, because the plane has no natural range to squash into."""
    return _dense_stack("toy_generator", latent_dim, hidden, depth, 2, "relu", seed)


def build_discriminator(hidden: int, depth: int, seed: int = 0) -> keras.Model:
    """(x, y) -> one logit (probability = sigmoid). LeakyReLU keeps gradients alive far from the data."""
    return _dense_stack("toy_discriminator", 2, hidden, depth, 1, keras.layers.LeakyReLU(0.2), seed + 100)
