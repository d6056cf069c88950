"""The quality meter of a run: a judge for labelled data sets, a label-free measure otherwise.

`meter_for(data)` picks it by the data set's identity (judges.py). Both meters are built
once per run (they hold the real images' reference features) and then `report(images)`
the generated samples of each epoch.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from gan_core.metrics.classifier import Judge
from gan_core.metrics.classifier_cache import get_judge
from gan_core.metrics.frechet import frechet_distance, gaussian_fit
from gan_core.metrics.judges import JudgeSpec, judge_for_dataset
from gan_core.metrics.label_free import K_NEIGHBOURS, kernel_distance, pooled_pixels, precision_recall
from gan_core.metrics.validation import as_image_batch

# "Confidently recognized": the judge's top class probability reaches this.
CONFIDENCE = 0.9
# A class counts as present when it holds at least this share of the batch (and one sample),
# so a few stray recognitions do not hide a mode collapse.
PRESENT_SHARE = 0.01
# Real images in a reference set, drawn at random (seeded) so a class-sorted file
# (the embedded digits are sorted by label) gives every class its share.
REFERENCE_IMAGES = 2000
REFERENCE_SEED = 0


def reference_indices(n_real: int, limit: int = REFERENCE_IMAGES, seed: int = REFERENCE_SEED) -> np.ndarray:
    """At most `limit` distinct indices into n_real images, in a seeded random order."""
    return np.random.default_rng(seed).permutation(n_real)[:limit]


@dataclass(frozen=True)
class QualityReport:
    """What a judge says about N generated images.

    recognized_share: share in [0, 1] with top probability >= CONFIDENCE and a class the run
    trains on (for cifar10:frog: recognized as a frog). classes_present: the run's classes
    holding >= PRESENT_SHARE of the batch; None when the run has one class. class_histogram:
    recognized samples per judge class. frechet_distance: between Gaussians fitted to the
    judge's 128 penultimate features of the N samples and of reference_n random real images
    of the run's data set (not FID: another network, few samples). reference_recognized_share:
    the same recognized share on those real images, the ceiling to read the first against.
    """

    judge: str
    n: int
    recognized_share: float
    classes_present: int | None
    classes_total: int
    class_histogram: tuple[int, ...]
    frechet_distance: float
    reference_n: int
    reference_recognized_share: float

    def to_dict(self) -> dict:
        """The report as JSON-ready values, with "meter": "judge" (epochs.jsonl, final_quality.json)."""
        d = {"meter": "judge", **asdict(self)}
        d["class_histogram"] = list(self.class_histogram)
        return d


@dataclass(frozen=True)
class LabelFreeReport:
    """Precision and recall (k-NN balls, k = 3) and the kernel distance of N generated images
    against N (at most) random real images, in pooled-pixel features (label_free.py)."""

    n: int
    precision: float
    recall: float
    kernel_distance: float
    reference_n: int
    k: int = K_NEIGHBOURS

    def to_dict(self) -> dict:
        """The report as JSON-ready values, with "meter": "label-free" (epochs.jsonl, final_quality.json)."""
        return {"meter": "label-free", **asdict(self)}


class JudgeMeter:
    """Judge-based meter for a labelled data set (`data`: the run's ImageSet)."""

    def __init__(self, data, judge: Judge):
        self.judge = judge
        self.shape = data.shape
        self.run_classes = np.unique(data.labels)
        reference = data.images[reference_indices(len(data))]
        features, probs = judge.features_and_probabilities(reference)
        self.reference_fit = gaussian_fit(features)
        self.reference_n = len(reference)
        self.reference_recognized_share = float(self._recognized(probs).mean())

    def _recognized(self, probs: np.ndarray) -> np.ndarray:
        return (probs.max(axis=1) >= CONFIDENCE) & np.isin(probs.argmax(axis=1), self.run_classes)

    def report(self, images: np.ndarray) -> QualityReport:
        """Judge uint8 images shaped like the run's data; raises MetricsError for anything else."""
        batch = as_image_batch(images, self.shape)
        features, probs = self.judge.features_and_probabilities(batch)
        n = len(batch)
        recognized = self._recognized(probs)
        histogram = np.bincount(probs.argmax(axis=1)[recognized], minlength=probs.shape[1])
        present = None
        if len(self.run_classes) > 1:
            present = int(np.sum(histogram[self.run_classes] >= max(1.0, PRESENT_SHARE * n)))
        return QualityReport(
            judge=self.judge.spec.name,
            n=n,
            recognized_share=float(recognized.mean()),
            classes_present=present,
            classes_total=len(self.run_classes),
            class_histogram=tuple(int(c) for c in histogram),
            frechet_distance=frechet_distance(gaussian_fit(features), self.reference_fit),
            reference_n=self.reference_n,
            reference_recognized_share=self.reference_recognized_share,
        )


class LabelFreeMeter:
    """Label-free meter for images without a judge (`data`: the run's ImageSet)."""

    def __init__(self, data):
        self.shape = data.shape
        self._real = pooled_pixels(data.images[reference_indices(len(data))])

    def report(self, images: np.ndarray) -> LabelFreeReport:
        """Measure uint8 images shaped like the run's data; raises MetricsError for anything else.
        Uses as many real images as generated ones (at most REFERENCE_IMAGES), as the paper does."""
        batch = as_image_batch(images, self.shape)
        generated = pooled_pixels(batch)
        real = self._real[: len(generated)]
        k = min(K_NEIGHBOURS, len(generated) - 1, len(real) - 1)
        precision, recall = precision_recall(generated, real, k)
        return LabelFreeReport(
            n=len(generated),
            precision=precision,
            recall=recall,
            kernel_distance=kernel_distance(generated, real),
            reference_n=len(real),
            k=k,
        )


Meter = JudgeMeter | LabelFreeMeter


def meter_for(data, judge: Judge | None = None) -> Meter:
    """The meter for a run on `data` (an ImageSet): its data set's judge (trained on first use,
    then cached), or the label-free meter when the set has none. Raises DataError when the
    judge's data set cannot be loaded."""
    spec: JudgeSpec | None = judge_for_dataset(data)
    if spec is None:
        return LabelFreeMeter(data)
    return JudgeMeter(data, judge or get_judge(spec))


def quality_report(images: np.ndarray, judge: Judge | None = None, data=None):
    """One report of `images` against `data` (default: the embedded digits) with its meter."""
    if data is None:
        from gan_core.data import load_images

        data = load_images("mnist-5k")
    as_image_batch(images, data.shape)  # a bad batch fails before any judge is trained
    return meter_for(data, judge).report(images)
