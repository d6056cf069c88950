"""Quality meters for generated images: a cached judge per labelled data set (recognized
share, classes present, a Fréchet distance in the judge's features) and a label-free
measure (precision/recall, kernel distance) for images without one."""

from gan_core.metrics.classifier import CLASSIFIER_VERSION, ClassifierRecipe, Judge
from gan_core.metrics.classifier_cache import (
    cache_dir,
    classifier_cache_path,
    get_classifier,
    get_judge,
    judge_cache_path,
    load_or_train_classifier,
)
from gan_core.metrics.frechet import GaussianFit, frechet_distance, gaussian_fit
from gan_core.metrics.judges import JUDGES, JudgeSpec, judge_for_dataset, judge_for_source
from gan_core.metrics.meter import (
    CONFIDENCE,
    REFERENCE_IMAGES,
    JudgeMeter,
    LabelFreeMeter,
    LabelFreeReport,
    QualityReport,
    meter_for,
    quality_report,
)
from gan_core.metrics.npy import metrics_from_npy
from gan_core.metrics.validation import MetricsError
from gan_core.metrics.wording import metric_cards, summary, upgrade_quality

__all__ = [
    "CLASSIFIER_VERSION",
    "CONFIDENCE",
    "ClassifierRecipe",
    "GaussianFit",
    "JUDGES",
    "Judge",
    "JudgeMeter",
    "JudgeSpec",
    "LabelFreeMeter",
    "LabelFreeReport",
    "MetricsError",
    "QualityReport",
    "REFERENCE_IMAGES",
    "cache_dir",
    "classifier_cache_path",
    "frechet_distance",
    "gaussian_fit",
    "get_classifier",
    "get_judge",
    "judge_cache_path",
    "judge_for_dataset",
    "judge_for_source",
    "load_or_train_classifier",
    "meter_for",
    "metric_cards",
    "metrics_from_npy",
    "quality_report",
    "summary",
    "upgrade_quality",
]
