"""Bookkeeping for class-conditional models ("use labels"): how many classes, and how a
saved generator says it is conditional. No TensorFlow here, so listings stay light."""

from __future__ import annotations

import re

import numpy as np

# A class-conditional generator carries its class count in its name, so a saved file
# alone says how many of its inputs are the one-hot class code (the last ones).
_CONDITIONAL_NAME = re.compile(r"^conditional_generator_(\d+)_classes$")


def generator_name(classes: int) -> str:
    """The Keras model name of a generator: "generator", or "conditional_generator_<n>_classes"."""
    return f"conditional_generator_{classes}_classes" if classes else "generator"


def classes_of(model) -> int:
    """How many class-code inputs a generator takes after z (0: unconditional)."""
    match = _CONDITIONAL_NAME.match(getattr(model, "name", "") or "")
    return int(match.group(1)) if match else 0


def label_classes(labels) -> int:
    """Class count a conditional model needs for these labels; 0 when they cannot condition
    anything (no labels, or a single class such as a filtered CIFAR-10)."""
    if labels is None:
        return 0
    labels = np.asarray(labels)
    if labels.size == 0 or labels.min() < 0 or len(np.unique(labels)) < 2:
        return 0
    return int(labels.max()) + 1


def labels_note(use_labels: bool, labels) -> str:
    """Why 'use labels' is not in effect for a run ('' when it is, or was not asked for)."""
    if not use_labels or label_classes(labels):
        return ""
    why = "has no labels" if labels is None else "has a single class"
    return f"'Use labels' is on but this data set {why}: training without labels."
