"""Train each judge once per machine, keep it in the user's cache folder, share it.

The cache lives outside the project: $GAN_LAB_CACHE, else $XDG_CACHE_HOME/gan-hacks-lab,
else ~/.cache/gan-hacks-lab. A file's name carries the data set's identity, the recipe
version and a fingerprint of the training data, so a judge is never served for another
data set or recipe. A missing, corrupt or foreign file is replaced by a fresh training,
never an error. One lock guards the loading so the Streamlit server and a trainer thread
asking at once share a single training.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import numpy as np

from gan_core.metrics.classifier import (
    CLASSIFIER_VERSION,
    FEATURES_LAYER,
    ClassifierRecipe,
    Judge,
    data_fingerprint,
    judge_training_data,
    measure_validation_accuracy,
    train_and_measure,
)
from gan_core.metrics.judges import MNIST_JUDGE, JudgeSpec
from gan_core.store.fileio import atomic_write_with

log = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict[Path, Judge] = {}


def cache_dir() -> Path:
    """The folder judges are cached in (see the module docstring for the precedence)."""
    explicit = os.environ.get("GAN_LAB_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "gan-hacks-lab"
    return Path.home() / ".cache" / "gan-hacks-lab"


def judge_cache_path(spec: JudgeSpec, images: np.ndarray, labels: np.ndarray) -> Path:
    """judge-<data set>-<version>-<training data fingerprint>.keras in the cache folder."""
    return cache_dir() / f"judge-{spec.name}-{CLASSIFIER_VERSION}-{data_fingerprint(images, labels)}.keras"


def classifier_cache_path(recipe: ClassifierRecipe = ClassifierRecipe()) -> Path:
    """Where the MNIST digit judge is cached (the latent explorer checks it before training one)."""
    return judge_cache_path(MNIST_JUDGE, *judge_training_data(MNIST_JUDGE, recipe))


def _load_cached_model(path: Path, classes: int):
    """The cached Keras model, or None when the file is missing or not a usable judge."""
    if not path.is_file():
        return None
    import keras

    try:
        model = keras.models.load_model(path, compile=False)
        model.get_layer(FEATURES_LAYER)
        if tuple(model.output_shape) != (None, classes):
            raise ValueError(f"output shape {model.output_shape}")
        return model
    except Exception as exc:  # a half-written or foreign file fails in many ways; all mean "retrain"
        log.warning(
            "judge cache %s is unusable (%s: %s); retraining",
            path,
            type(exc).__name__,
            str(exc).splitlines()[0] if str(exc) else "",
        )
        return None


def load_or_train_classifier(
    path: Path, recipe: ClassifierRecipe = ClassifierRecipe(), spec: JudgeSpec = MNIST_JUDGE, data=None
) -> Judge:
    """Load the judge cached at `path`, or train one on (images, labels) `data` (default: the
    spec's own data set) and cache it there. Raises DataError when that data set cannot be loaded."""
    path = Path(path)
    images, labels = data if data is not None else judge_training_data(spec, recipe)
    model = _load_cached_model(path, len(spec.class_names))
    if model is not None:
        return Judge(model, measure_validation_accuracy(model, images, labels, recipe), None, path, spec)
    log.info("training the %s (once; cached at %s)", spec.title, path)
    model, accuracy, seconds = train_and_measure(spec, images, labels, recipe)
    log.info("%s: validation accuracy %.3f after %.1f s", spec.title, accuracy, seconds)
    try:
        atomic_write_with(path, model.save, suffix=".keras")
    except OSError as exc:
        # A read-only cache only costs a retraining next time; the metrics still work now.
        log.warning("could not cache the %s at %s: %s", spec.title, path, exc)
    return Judge(model, accuracy, seconds, path, spec)


def get_judge(spec: JudgeSpec, recipe: ClassifierRecipe = ClassifierRecipe()) -> Judge:
    """The shared judge for `spec` at the current cache location, loaded or trained on first use.
    Raises DataError when the judge's data set cannot be loaded."""
    images, labels = judge_training_data(spec, recipe)
    path = judge_cache_path(spec, images, labels)
    with _lock:
        if path not in _loaded:
            _loaded[path] = load_or_train_classifier(path, recipe, spec, (images, labels))
        return _loaded[path]


def get_classifier() -> Judge:
    """The shared MNIST digit judge (trained on the embedded digits)."""
    return get_judge(MNIST_JUDGE)
