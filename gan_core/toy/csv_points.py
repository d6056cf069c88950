"""The user's own 2-D points from a CSV file: untrusted input, checked line by line."""
from __future__ import annotations

import math

import numpy as np

MIN_ROWS = 10
MAX_ROWS = 100_000
MAX_BYTES = 8 * 1024 * 1024


class PointsError(ValueError):
    """A points file could not be used; the message is one line a user can act on."""


def parse_points_csv(data: bytes | str) -> np.ndarray:
    """(N, 2) float32 points from CSV text with two columns x,y and an optional header row."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise PointsError(f"the file is {len(data) / 1e6:.1f} MB; points files may be at most "
                              f"{MAX_BYTES // (1024 * 1024)} MB")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PointsError("the file is not UTF-8 text: save it as a plain CSV") from None
    rows: list[tuple[float, float]] = []
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != 2:
            raise PointsError(f"line {number}: expected two columns x,y, found {len(cells)}")
        values = [_number(c) for c in cells]
        if None in values:
            if not rows and number == _first_line(data):
                continue  # a header row
            bad = cells[values.index(None)]
            raise PointsError(f"line {number}: '{bad[:20]}' is not a number")
        if not all(math.isfinite(v) for v in values):
            raise PointsError(f"line {number}: values must be finite, got {cells[0]},{cells[1]}")
        rows.append((values[0], values[1]))
        if len(rows) > MAX_ROWS:
            raise PointsError(f"more than {MAX_ROWS:,} points: use at most {MAX_ROWS:,} rows")
    if len(rows) < MIN_ROWS:
        raise PointsError(f"found {len(rows)} points; a points file needs at least {MIN_ROWS} rows of x,y")
    points = np.asarray(rows, dtype=np.float64)
    if np.abs(points).max() > 1e6:
        raise PointsError("coordinates must lie within +-1,000,000")
    if np.ptp(points, axis=0).max() == 0.0:
        raise PointsError("all points are identical: there is nothing to learn")
    return points.astype(np.float32)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _first_line(data: str) -> int:
    for number, line in enumerate(data.splitlines(), start=1):
        if line.strip():
            return number
    return 0
