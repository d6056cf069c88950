"""Quality metrics for generated digits: a cached digit classifier, recognized share,
classes present and a Frechet distance to the real digits."""
from .classifier import CLASSIFIER_VERSION, ClassifierRecipe, DigitClassifier
from .classifier_cache import cache_dir, classifier_cache_path, get_classifier, load_or_train_classifier
from .frechet import GaussianFit, frechet_distance, gaussian_fit
from .npy import metrics_from_npy
from .report import CONFIDENCE, QualityReport, quality_report
from .validation import MetricsError, is_digit_dataset

__all__ = [
    "CLASSIFIER_VERSION", "CONFIDENCE", "ClassifierRecipe", "DigitClassifier", "GaussianFit",
    "MetricsError", "QualityReport", "cache_dir", "classifier_cache_path", "frechet_distance",
    "gaussian_fit", "get_classifier", "is_digit_dataset", "load_or_train_classifier",
    "metrics_from_npy", "quality_report",
]
