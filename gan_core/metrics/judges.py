"""Which judge measures a data set: decided by the data set's identity, never by image shape.

A grayscale 28x28 picture may be a digit, a garment or a user's drawing; only the
source it came from says which. Sets without a judge (the user's own images) are
measured by a label-free meter instead (see label_free.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from gan_core.data.dataset_files import CIFAR10_CLASSES

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle boot",
)


@dataclass(frozen=True)
class JudgeSpec:
    """A classifier judge for one labelled data set.

    name: the cache key's identity part ("mnist", ...); title: what the UI calls it;
    training_source: the `load_images` source it is trained on; class_names: its K
    outputs in label order; noun: the plural the wording uses for classes
    ("digits"); conv_widths: its strided 5x5 convolutions; max_train_images: a
    stratified random subset of at most this many images keeps first-use training well
    under a minute on two cores.
    """

    name: str
    title: str
    training_source: str
    class_names: tuple
    noun: str
    conv_widths: tuple = (32, 64)
    max_train_images: int = 10_000


MNIST_JUDGE = JudgeSpec("mnist", "MNIST digit judge", "mnist-5k", tuple(str(d) for d in range(10)), "digits")
FASHION_MNIST_JUDGE = JudgeSpec(
    "fashion-mnist", "Fashion-MNIST judge", "fashion-mnist", FASHION_MNIST_CLASSES, "classes"
)
# All ten classes, so a one-class run (cifar10:frog) is judged as "is it a frog, not a ship".
# A third convolution for colour photos; 8,000 images keep its first training near 40 s on two
# busy cores (10,000 took 47 s with the cores shared three ways).
CIFAR10_JUDGE = JudgeSpec(
    "cifar10",
    "CIFAR-10 judge",
    "cifar10",
    CIFAR10_CLASSES,
    "classes",
    conv_widths=(32, 64, 128),
    max_train_images=8_000,
)
JUDGES = {spec.name: spec for spec in (MNIST_JUDGE, FASHION_MNIST_JUDGE, CIFAR10_JUDGE)}


def judge_for_source(source: str) -> JudgeSpec | None:
    """The judge for a named data source ("mnist-5k", "mnist", "fashion-mnist", "cifar10",
    "cifar10:<class>"), or None for anything else (a folder or .zip of the user's images)."""
    source = (source or "").strip()
    if source in ("mnist-5k", "mnist"):
        return MNIST_JUDGE
    if source == "fashion-mnist":
        return FASHION_MNIST_JUDGE
    if source == "cifar10" or source.startswith("cifar10:"):
        return CIFAR10_JUDGE
    return None


def judge_for_dataset(data) -> JudgeSpec | None:
    """The judge for an ImageSet. Only labelled sets qualify: the user's images carry no
    labels, so a folder that happens to be called "mnist" is never judged as digits."""
    if data.labels is None:
        return None
    return judge_for_source(data.name)
