"""Train the digit classifier once per machine, keep it in the user's cache folder, share it.

The cache lives outside the project: $GAN_LAB_CACHE, else $XDG_CACHE_HOME/gan-hacks-lab,
else ~/.cache/gan-hacks-lab. A missing, corrupt or foreign file is replaced by a fresh
training, never an error. One lock guards the loading so the Streamlit server and a
trainer thread asking at once share a single training.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from ..fileio import atomic_write_with
from .classifier import (CLASSIFIER_VERSION, FEATURES_LAYER, ClassifierRecipe, DigitClassifier,
                         measure_validation_accuracy, train_and_measure)

log = logging.getLogger(__name__)

_lock = threading.Lock()
_loaded: dict[Path, DigitClassifier] = {}


def cache_dir() -> Path:
    explicit = os.environ.get("GAN_LAB_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg).expanduser() / "gan-hacks-lab"
    return Path.home() / ".cache" / "gan-hacks-lab"


def classifier_cache_path() -> Path:
    return cache_dir() / f"digit-classifier-{CLASSIFIER_VERSION}.keras"


def _load_cached_model(path: Path):
    """The cached Keras model, or None when the file is missing or not a usable classifier."""
    if not path.is_file():
        return None
    import keras

    try:
        model = keras.models.load_model(path, compile=False)
        model.get_layer(FEATURES_LAYER)
        if tuple(model.output_shape) != (None, 10):
            raise ValueError(f"output shape {model.output_shape}")
        return model
    except Exception as exc:  # a half-written or foreign file fails in many ways; all mean "retrain"
        log.warning("digit classifier cache %s is unusable (%s: %s); retraining",
                    path, type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
        return None


def load_or_train_classifier(path: Path, recipe: ClassifierRecipe = ClassifierRecipe()) -> DigitClassifier:
    """Load the classifier cached at `path`, or train one and cache it there."""
    path = Path(path)
    model = _load_cached_model(path)
    if model is not None:
        return DigitClassifier(model, measure_validation_accuracy(model, recipe), None, path)
    log.info("training the digit classifier (once; cached at %s)", path)
    model, accuracy, seconds = train_and_measure(recipe)
    log.info("digit classifier: validation accuracy %.3f after %.1f s", accuracy, seconds)
    try:
        atomic_write_with(path, model.save, suffix=".keras")
    except OSError as exc:
        # A read-only cache only costs a retraining next time; the metrics still work now.
        log.warning("could not cache the digit classifier at %s: %s", path, exc)
    return DigitClassifier(model, accuracy, seconds, path)


def get_classifier() -> DigitClassifier:
    """The shared classifier for the current cache location, loaded or trained on first use."""
    path = classifier_cache_path()
    with _lock:
        if path not in _loaded:
            _loaded[path] = load_or_train_classifier(path)
        return _loaded[path]
