"""Data set name, CSV path or uploaded CSV bytes -> points, with one-line errors."""

from __future__ import annotations

from pathlib import Path

from gan_core.toy.csv_points import PointsError, PointsFile, read_points_csv
from gan_core.toy.datasets import BUILTIN, ToyDataset, builtin_dataset, points_dataset
from gan_core.uploads.bounded_worker import WorkLimits, WorkRefused, run_bounded

# An 8 MB file reads in about a second (numpy's reader), one numpy cannot read in 5-15 s on
# two busy cores (line by line, to name the bad line); its text, lines and arrays stay under
# 300 MB.
UPLOAD_LIMITS = WorkLimits(seconds=30.0, memory_mb=512, imports=("gan_core.toy.csv_points",))


def read_uploaded_points(data: bytes) -> PointsFile:
    """read_points_csv for a browser's upload, in a bounded worker process (UPLOAD_LIMITS):
    the server's pages and trainings keep the GIL while it reads. Raises PointsError (one
    line), also for a file that took longer or needed more memory than the limits."""
    try:
        return run_bounded(read_points_csv, (data,), limits=UPLOAD_LIMITS)
    except WorkRefused as e:
        raise PointsError(str(e)) from None


def load_toy_dataset(name_or_path: str) -> ToyDataset:
    """A built-in name ('ring', 'grid', 'spiral', 'moons') or a path to a CSV of x,y points
    (its notes, e.g. on subsampling, in `ToyDataset.notes`). Raises PointsError (one line)."""
    if name_or_path in BUILTIN:
        return builtin_dataset(name_or_path)
    path = Path(name_or_path)
    if path.suffix.lower() != ".csv":
        raise PointsError(f"unknown toy data set '{name_or_path}' (known: {', '.join(BUILTIN)}, or a .csv file)")
    if not path.is_file():
        raise PointsError(f"no such file: {name_or_path}")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PointsError(f"cannot read {path.name}: {e.strerror}") from None
    try:
        read = read_points_csv(raw)
        return points_dataset(read.points, name=path.stem, notes=read.notes)
    except PointsError as e:
        raise PointsError(f"{path.name}: {e}") from None
