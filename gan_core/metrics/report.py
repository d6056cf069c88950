"""How digit-like is a batch of generated images: the numbers the app shows beside the grid."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Optional, Tuple

import numpy as np

from .classifier import DigitClassifier
from .classifier_cache import get_classifier
from .frechet import frechet_distance, gaussian_fit
from .validation import as_digit_batch

# "Confidently recognized": the classifier's top class probability reaches this.
CONFIDENCE = 0.9
# A class counts as present when it holds at least this share of the batch (and one sample),
# so a few stray recognitions do not hide a mode collapse.
PRESENT_SHARE = 0.01


@dataclass(frozen=True)
class QualityReport:
    n: int                                 # images judged
    recognized_share: float                # share with top class probability >= CONFIDENCE
    classes_present: int                   # digit classes with enough recognized samples
    class_histogram: Tuple[int, ...]       # recognized samples per digit 0..9
    fid: float                             # Frechet distance to the real digits (classifier features)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["class_histogram"] = list(self.class_histogram)
        return d


def quality_report(images: np.ndarray, classifier: Optional[DigitClassifier] = None) -> QualityReport:
    """Judge uint8 digits (N, 28, 28, 1) or (N, 28, 28); raises MetricsError for anything else."""
    batch = as_digit_batch(images)
    classifier = classifier or get_classifier()
    features, probs = classifier.features_and_probabilities(batch)
    n = len(batch)
    recognized = probs.max(axis=1) >= CONFIDENCE
    histogram = np.bincount(probs.argmax(axis=1)[recognized], minlength=10)
    min_count = max(1.0, PRESENT_SHARE * n)
    return QualityReport(
        n=n,
        recognized_share=float(recognized.mean()),
        classes_present=int(np.sum(histogram >= min_count)),
        class_histogram=tuple(int(c) for c in histogram),
        fid=frechet_distance(gaussian_fit(features), classifier.real_feature_fit()),
    )
