"""The judge: a small CNN that tells the ten digits apart, trained on the embedded MNIST digits.

Its softmax gives "is this a confidently recognized digit, and which one"; its
penultimate layer gives the features for the Frechet distance. Training is seeded
through each layer and a numpy generator (no global seeds: a GAN may be training in
another thread).
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from .frechet import GaussianFit, gaussian_fit
from .junk import junk_images

# Bump when the architecture or recipe changes: the cached file's name carries it,
# so an old model is never loaded for a new recipe.
CLASSIFIER_VERSION = "v2"

FEATURES_LAYER = "features"
_PREDICT_BATCH = 500


@dataclass(frozen=True)
class ClassifierRecipe:
    epochs: int = 6
    batch_size: int = 128
    learning_rate: float = 2e-3
    # Random shifts of up to this many pixels: one tolerates an off-centre generated digit;
    # two cost a point of validation accuracy in six epochs.
    max_shift: int = 1
    validation_fraction: float = 0.1
    junk_share: float = 0.25       # non-digits per digit in each epoch, taught with a flat target
    seed: int = 1234


def _digits_and_labels() -> tuple[np.ndarray, np.ndarray]:
    from ..data import load_images

    real = load_images("mnist-5k")
    return real.images, real.labels


def validation_split(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified (train_idx, val_idx): the same share of every class is held out, deterministically."""
    rng = np.random.default_rng(seed)
    train, val = [], []
    for digit in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        n_val = max(1, int(round(len(idx) * fraction)))
        val.append(idx[:n_val])
        train.append(idx[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(val))


def random_shifts(images: np.ndarray, max_shift: int, rng: np.random.Generator) -> np.ndarray:
    """Shift each (N, H, W, C) image by up to max_shift pixels per axis, filling with black."""
    if max_shift <= 0:
        return images
    n, h, w, _ = images.shape
    padded = np.pad(images, ((0, 0), (max_shift, max_shift), (max_shift, max_shift), (0, 0)))
    dy = rng.integers(0, 2 * max_shift + 1, size=n)
    dx = rng.integers(0, 2 * max_shift + 1, size=n)
    out = np.empty_like(images)
    for y in range(2 * max_shift + 1):
        for x in range(2 * max_shift + 1):
            pick = (dy == y) & (dx == x)
            out[pick] = padded[pick, y:y + h, x:x + w]
    return out


def build_digit_classifier(seed: int):
    """Input: raw pixels 0-255 as float32 (N, 28, 28, 1); output: 10 class probabilities."""
    import keras
    from keras import layers

    def init(offset: int):
        return keras.initializers.GlorotUniform(seed=seed + offset)

    inputs = keras.Input(shape=(28, 28, 1), name="pixels")
    x = layers.Rescaling(1.0 / 255.0)(inputs)
    # Strided convolutions instead of conv + max-pooling: fewer operations per image, same accuracy here.
    x = layers.Conv2D(32, 5, strides=2, padding="same", activation="relu", kernel_initializer=init(1))(x)
    x = layers.Conv2D(64, 5, strides=2, padding="same", activation="relu", kernel_initializer=init(2))(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.3, seed=seed + 3)(x)
    x = layers.Dense(128, activation="relu", kernel_initializer=init(4), name=FEATURES_LAYER)(x)
    x = layers.Dropout(0.3, seed=seed + 5)(x)
    outputs = layers.Dense(10, activation="softmax", kernel_initializer=init(6), name="probabilities")(x)
    return keras.Model(inputs, outputs, name=f"digit_classifier_{CLASSIFIER_VERSION}")


def train_digit_classifier(images: np.ndarray, labels: np.ndarray, recipe: ClassifierRecipe):
    """Train on the non-held-out digits plus fresh non-digits each epoch; returns the Keras model."""
    import keras

    model = build_digit_classifier(recipe.seed)
    train_idx, _ = validation_split(labels, recipe.validation_fraction, recipe.seed)
    digits = images[train_idx]
    digit_targets = np.eye(10, dtype=np.float32)[labels[train_idx]]
    n_junk = int(round(recipe.junk_share * len(digits)))
    steps = recipe.epochs * int(np.ceil((len(digits) + n_junk) / recipe.batch_size))
    # Decaying the rate to zero buys the last half point of accuracy that a few epochs leave.
    schedule = keras.optimizers.schedules.CosineDecay(recipe.learning_rate, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="categorical_crossentropy")
    junk_targets = np.full((n_junk, 10), 0.1, dtype=np.float32)
    targets = np.concatenate([digit_targets, junk_targets])
    rng = np.random.default_rng(recipe.seed)
    # Our own shuffling and augmentation per epoch: Keras' shuffle would draw from global seeds.
    for _ in range(recipe.epochs):
        x = np.concatenate([random_shifts(digits, recipe.max_shift, rng), junk_images(n_junk, rng, digits)])
        order = rng.permutation(len(x))
        model.fit(x[order].astype(np.float32), targets[order], batch_size=recipe.batch_size,
                  epochs=1, shuffle=False, verbose=0)
    return model


class DigitClassifier:
    """A trained digit model plus what was measured about it. Safe to share between threads."""

    def __init__(self, model, validation_accuracy: float, training_seconds: Optional[float],
                 path: Optional[Path] = None):
        import keras

        self.model = model
        self.validation_accuracy = float(validation_accuracy)
        self.training_seconds = training_seconds   # None when loaded from the cache
        self.path = path
        self._features_and_probs = keras.Model(
            model.input, [model.get_layer(FEATURES_LAYER).output, model.outputs[0]])
        self._real_fit: Optional[GaussianFit] = None
        self._real_fit_lock = threading.Lock()

    @property
    def loaded_from_cache(self) -> bool:
        return self.training_seconds is None

    def features_and_probabilities(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """uint8 (N, 28, 28, 1) -> (features (N, 128), probabilities (N, 10))."""
        feats, probs = [], []
        for start in range(0, len(images), _PREDICT_BATCH):
            chunk = np.asarray(images[start:start + _PREDICT_BATCH], dtype=np.float32)
            f, p = self._features_and_probs(chunk, training=False)
            feats.append(np.asarray(f))
            probs.append(np.asarray(p))
        return np.concatenate(feats), np.concatenate(probs)

    def real_feature_fit(self) -> GaussianFit:
        """Gaussian fit of the features of all embedded real digits, computed once."""
        with self._real_fit_lock:
            if self._real_fit is None:
                images, _ = _digits_and_labels()
                features, _ = self.features_and_probabilities(images)
                self._real_fit = gaussian_fit(features)
            return self._real_fit


def measure_validation_accuracy(model, recipe: ClassifierRecipe) -> float:
    """Accuracy on the held-out digits (the same split the training left out)."""
    images, labels = _digits_and_labels()
    _, val_idx = validation_split(labels, recipe.validation_fraction, recipe.seed)
    probs = model(np.asarray(images[val_idx], dtype=np.float32), training=False)
    return float(np.mean(np.argmax(np.asarray(probs), axis=1) == labels[val_idx]))


def train_and_measure(recipe: ClassifierRecipe) -> tuple[object, float, float]:
    """(model, validation accuracy, training seconds) on the embedded digits."""
    images, labels = _digits_and_labels()
    started = time.perf_counter()
    model = train_digit_classifier(images, labels, recipe)
    seconds = time.perf_counter() - started
    return model, measure_validation_accuracy(model, recipe), seconds
