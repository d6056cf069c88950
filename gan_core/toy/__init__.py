"""The 2-D playground: small MLP GANs on point clouds, live hacks, mode-collapse metrics.

TensorFlow loads only when the trainer is first used, so the CLI can reject a bad flag
with one clean line before TensorFlow's start-up messages.
"""

from gan_core.toy.config import ToyConfig
from gan_core.toy.csv_points import PointsError, parse_points_csv, read_points_csv
from gan_core.toy.datasets import BUILTIN, ToyDataset, builtin_dataset, points_dataset
from gan_core.toy.metrics import ModeMetrics, mode_metrics

__all__ = [
    "ToyConfig",
    "PointsError",
    "parse_points_csv",
    "read_points_csv",
    "BUILTIN",
    "ToyDataset",
    "builtin_dataset",
    "points_dataset",
    "ModeMetrics",
    "mode_metrics",
    "HISTORY_COLUMNS",
    "ToyTrainer",
]


def __getattr__(name):
    if name in ("ToyTrainer", "HISTORY_COLUMNS"):
        from gan_core.toy import trainer

        return getattr(trainer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
