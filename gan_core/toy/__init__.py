"""The 2-D playground: small MLP GANs on point clouds, live hacks, mode-collapse metrics.

Importing this package does not load TensorFlow, so the CLI can reject a bad flag with one
clean line before TensorFlow's start-up messages. The trainer (`ToyTrainer`,
`HISTORY_COLUMNS`) is in gan_core.toy.trainer, which loads TensorFlow: import it from there.
"""

from gan_core.toy.config import ToyConfig
from gan_core.toy.csv_points import PointsError, parse_points_csv, read_points_csv
from gan_core.toy.datasets import BUILTIN, ToyDataset, builtin_dataset, points_dataset
from gan_core.toy.drawn import DrawingError, drawn_dataset
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
    "DrawingError",
    "drawn_dataset",
    "ModeMetrics",
    "mode_metrics",
]
