"""A judge: a small CNN that tells one labelled data set's classes apart.

Its softmax gives "is this a confidently recognized member of a class, and which";
its penultimate layer gives the features for the Fréchet distance. Training is seeded
through each layer and a numpy generator (no global seeds: a GAN may be training in
another thread).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gan_core.metrics.judges import MNIST_JUDGE, JudgeSpec
from gan_core.metrics.junk import junk_images

# Bump when the architecture or recipe changes: the cached file's name carries it,
# so an old model is never loaded for a new recipe.
CLASSIFIER_VERSION = "v3"

FEATURES_LAYER = "features"
_PREDICT_BATCH = 500


@dataclass(frozen=True)
class ClassifierRecipe:
    """How a judge is trained: epochs, batch, Adam's rate (cosine-decayed to 0), shift
    augmentation in pixels, the held-out share, non-images per real image, and the seed."""

    epochs: int = 6
    batch_size: int = 128
    learning_rate: float = 2e-3
    # Random shifts of up to this many pixels: one tolerates an off-centre generated image;
    # two cost a point of validation accuracy on the digits in six epochs.
    max_shift: int = 1
    validation_fraction: float = 0.1
    junk_share: float = 0.25  # non-images per real image in each epoch, taught with a flat target
    seed: int = 1234


def stratified_subset(labels: np.ndarray, limit: int, seed: int) -> np.ndarray:
    """Sorted indices of at most `limit` images, the same random share of every class."""
    if len(labels) <= limit:
        return np.arange(len(labels))
    rng = np.random.default_rng(seed)
    keep = [
        rng.permutation(np.flatnonzero(labels == c))[: int(limit * np.mean(labels == c))] for c in np.unique(labels)
    ]
    return np.sort(np.concatenate(keep))


def judge_training_data(spec: JudgeSpec, recipe: ClassifierRecipe) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 images (N, H, W, C), int labels (N,)): the judge's data set, subsampled per the spec.
    Raises DataError when the set cannot be loaded (e.g. offline and never downloaded)."""
    from gan_core.data import load_images

    real = load_images(spec.training_source)
    keep = stratified_subset(real.labels, spec.max_train_images, recipe.seed)
    return real.images[keep], np.asarray(real.labels[keep], dtype=np.int64)


def data_fingerprint(images: np.ndarray, labels: np.ndarray) -> str:
    """12 hex digits of SHA-256 over the training images and labels: part of the cache key,
    so a judge trained on other files (another download, a test's small set) is never reused."""
    digest = hashlib.sha256()
    digest.update(str(images.shape).encode())
    digest.update(np.ascontiguousarray(images).tobytes())
    digest.update(np.ascontiguousarray(labels, dtype=np.int64).tobytes())
    return digest.hexdigest()[:12]


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
            out[pick] = padded[pick, y : y + h, x : x + w]
    return out


def build_classifier(spec: JudgeSpec, input_shape: tuple, seed: int):
    """Input: raw pixels 0-255 as float32 (N, H, W, C); output: K class probabilities."""
    import keras
    from keras import layers

    def init(offset: int):
        return keras.initializers.GlorotUniform(seed=seed + offset)

    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = layers.Rescaling(1.0 / 255.0)(inputs)
    # Strided convolutions instead of conv + max-pooling: fewer operations per image, same accuracy here.
    for i, width in enumerate(spec.conv_widths):
        x = layers.Conv2D(width, 5, strides=2, padding="same", activation="relu", kernel_initializer=init(1 + i))(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.3, seed=seed + 10)(x)
    x = layers.Dense(128, activation="relu", kernel_initializer=init(11), name=FEATURES_LAYER)(x)
    x = layers.Dropout(0.3, seed=seed + 12)(x)
    outputs = layers.Dense(
        len(spec.class_names), activation="softmax", kernel_initializer=init(13), name="probabilities"
    )(x)
    return keras.Model(inputs, outputs, name=f"{spec.name.replace('-', '_')}_judge_{CLASSIFIER_VERSION}")


def train_classifier(spec: JudgeSpec, images: np.ndarray, labels: np.ndarray, recipe: ClassifierRecipe):
    """Train on the non-held-out images plus fresh non-images each epoch; returns the Keras model."""
    import keras

    k = len(spec.class_names)
    model = build_classifier(spec, images.shape[1:], recipe.seed)
    train_idx, _ = validation_split(labels, recipe.validation_fraction, recipe.seed)
    real = images[train_idx]
    real_targets = np.eye(k, dtype=np.float32)[labels[train_idx]]
    n_junk = int(round(recipe.junk_share * len(real)))
    steps = recipe.epochs * int(np.ceil((len(real) + n_junk) / recipe.batch_size))
    # Decaying the rate to zero buys the last half point of accuracy that a few epochs leave.
    schedule = keras.optimizers.schedules.CosineDecay(recipe.learning_rate, decay_steps=steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss="categorical_crossentropy")
    targets = np.concatenate([real_targets, np.full((n_junk, k), 1.0 / k, dtype=np.float32)])
    rng = np.random.default_rng(recipe.seed)
    # Our own shuffling and augmentation per epoch: Keras' shuffle would draw from global seeds.
    for _ in range(recipe.epochs):
        x = np.concatenate([random_shifts(real, recipe.max_shift, rng), junk_images(n_junk, rng, real)])
        order = rng.permutation(len(x))
        model.fit(
            x[order].astype(np.float32),
            targets[order],
            batch_size=recipe.batch_size,
            epochs=1,
            shuffle=False,
            verbose=0,
        )
    return model


class Judge:
    """A trained judge plus what was measured about it. Safe to share between threads."""

    def __init__(
        self,
        model,
        validation_accuracy: float,
        training_seconds: float | None,
        path: Path | None = None,
        spec: JudgeSpec = MNIST_JUDGE,
    ):
        import keras

        self.model = model
        self.spec = spec
        self.validation_accuracy = float(validation_accuracy)
        self.training_seconds = training_seconds  # None when loaded from the cache
        self.path = path
        self._features_and_probs = keras.Model(model.input, [model.get_layer(FEATURES_LAYER).output, model.outputs[0]])

    @property
    def loaded_from_cache(self) -> bool:
        """Whether this judge came from the cache file (no training time measured)."""
        return self.training_seconds is None

    @property
    def input_shape(self) -> tuple:
        """(H, W, C) of the images it judges."""
        return tuple(self.model.input_shape[1:])

    def features_and_probabilities(self, images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """uint8 (N, H, W, C) -> (features float32 (N, 128), probabilities float32 (N, K))."""
        feats, probs = [], []
        for start in range(0, len(images), _PREDICT_BATCH):
            chunk = np.asarray(images[start : start + _PREDICT_BATCH], dtype=np.float32)
            f, p = self._features_and_probs(chunk, training=False)
            feats.append(np.asarray(f))
            probs.append(np.asarray(p))
        return np.concatenate(feats), np.concatenate(probs)


def measure_validation_accuracy(model, images: np.ndarray, labels: np.ndarray, recipe: ClassifierRecipe) -> float:
    """Accuracy on the held-out images (the same split the training left out)."""
    _, val_idx = validation_split(labels, recipe.validation_fraction, recipe.seed)
    probs = model(np.asarray(images[val_idx], dtype=np.float32), training=False)
    return float(np.mean(np.argmax(np.asarray(probs), axis=1) == labels[val_idx]))


def train_and_measure(
    spec: JudgeSpec, images: np.ndarray, labels: np.ndarray, recipe: ClassifierRecipe
) -> tuple[object, float, float]:
    """(model, validation accuracy, training seconds)."""
    started = time.perf_counter()
    model = train_classifier(spec, images, labels, recipe)
    seconds = time.perf_counter() - started
    return model, measure_validation_accuracy(model, images, labels, recipe), seconds
