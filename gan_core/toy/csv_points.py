"""The user's own 2-D points from a CSV file: untrusted input, read with Python's csv module.

Spreadsheet exports differ: `,` or `;` or tab separators, decimal commas where `;`
separates, every value in quotes, CRLF line ends, `#` comment lines, blank lines, padded
values, a header line. `csv.Sniffer` finds the separator and the quoting; what it does not
do is written here: comment and blank lines are dropped before it looks, a `;` present on
every line wins over the `,` inside decimal commas (the Sniffer prefers `,` whenever both
are consistent), and values split on whitespace when no separator is found.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass

import numpy as np

MIN_ROWS = 10
MAX_ROWS = 100_000
MAX_BYTES = 8 * 1024 * 1024
SNIFF_LINES = 50
# Fewer than this share of the distinct values left after rounding to float32: the points collapse.
MIN_FLOAT32_DISTINCT_SHARE = 0.5
SUBSAMPLE_SEED = 0


class PointsError(ValueError):
    """A points file could not be used; the message is one line a user can act on."""


@dataclass(frozen=True)
class PointsFile:
    """Points read from a CSV: float32 (N, 2) with N <= MAX_ROWS, and one-line notes on
    what was done to them (subsampling)."""

    points: np.ndarray
    notes: tuple[str, ...] = ()


def parse_points_csv(data: bytes | str) -> np.ndarray:
    """(N, 2) float32 points from CSV text with two columns x,y; see read_points_csv."""
    return read_points_csv(data).points


def read_points_csv(data: bytes | str) -> PointsFile:
    """Points and notes from CSV text (bytes: UTF-8, a BOM allowed, at most MAX_BYTES).

    Two columns x,y per line, an optional header line. More than MAX_ROWS rows are
    subsampled (a fixed seed, so the same file gives the same points) with a note.
    Raises PointsError (one line, with the line number where one is to blame) for fewer
    than MIN_ROWS rows, a row that is not two numbers, non-finite values, coordinates
    beyond +-1e6, identical points, or a spread that float32 cannot hold.
    """
    text = _text(data)
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise PointsError(f"found 0 points; a points file needs at least {MIN_ROWS} rows of x,y")
    delimiter, quotechar = _dialect([line for _, line in lines[:SNIFF_LINES]])
    rows: list[tuple[float, float]] = []
    for index, (number, line) in enumerate(lines):
        cells = _cells(line, delimiter, quotechar)
        if len(cells) != 2:
            raise PointsError(
                f"line {number}: expected two columns x,y{_separator_name(delimiter)}, found {len(cells)}"
            )
        values = [_number(cell, decimal_comma=delimiter != ",") for cell in cells]
        if None in values:
            if index == 0:
                continue  # a header line
            bad = cells[values.index(None)]
            raise PointsError(f"line {number}: '{bad[:20]}' is not a number")
        if not all(math.isfinite(v) for v in values):
            raise PointsError(f"line {number}: values must be finite, got {cells[0]},{cells[1]}")
        rows.append((values[0], values[1]))
    if len(rows) < MIN_ROWS:
        raise PointsError(f"found {len(rows)} points; a points file needs at least {MIN_ROWS} rows of x,y")
    points = np.asarray(rows, dtype=np.float64)
    notes: tuple[str, ...] = ()
    if len(points) > MAX_ROWS:
        keep = np.sort(np.random.default_rng(SUBSAMPLE_SEED).choice(len(points), MAX_ROWS, replace=False))
        notes += (f"{len(points):,} points read; training on a random {MAX_ROWS:,} of them (the limit)",)
        points = points[keep]
    if np.abs(points).max() > 1e6:
        raise PointsError("coordinates must lie within +-1,000,000")
    if np.ptp(points, axis=0).max() == 0.0:
        raise PointsError("all points are identical: there is nothing to learn")
    _check_float32_spread(points)
    return PointsFile(points=points.astype(np.float32), notes=notes)


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise PointsError(
            f"the file is {len(data) / 1e6:.1f} MB; points files may be at most {MAX_BYTES // (1024 * 1024)} MB"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PointsError("the file is not UTF-8 text: save it as a plain CSV") from None


def _dialect(sample: list[str]) -> tuple[str | None, str]:
    """(separator or None for whitespace, quote character) from the first data lines."""
    try:
        dialect = csv.Sniffer().sniff("\n".join(sample), delimiters=",;\t")
        delimiter, quotechar = dialect.delimiter, dialect.quotechar or '"'
    except csv.Error:
        delimiter, quotechar = None, '"'
    if delimiter != ";" and all(";" in line for line in sample):
        delimiter = ";"  # '1,5;2,25': the commas are decimal commas
    if delimiter is None:
        for candidate in (";", "\t", ","):
            if all(candidate in line for line in sample):
                delimiter = candidate
                break
    return delimiter, quotechar


def _cells(line: str, delimiter: str | None, quotechar: str) -> list[str]:
    if delimiter is None:
        cells = [cell.strip(quotechar) for cell in line.split()]
    else:
        cells = next(csv.reader([line], delimiter=delimiter, quotechar=quotechar, skipinitialspace=True))
        cells = [cell.strip().strip(quotechar) for cell in cells]
    while cells and not cells[-1]:
        cells.pop()  # a trailing separator
    return cells


def _separator_name(delimiter: str | None) -> str:
    names = {",": "", ";": " separated by ';'", "\t": " separated by tabs", None: " separated by spaces"}
    return names.get(delimiter, f" separated by '{delimiter}'")


def _number(text: str, decimal_comma: bool) -> float | None:
    if decimal_comma and text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _check_float32_spread(points: np.ndarray) -> None:
    """Refuse points whose spread float32 cannot hold (e.g. x = 1e6 + 0.001 * i): the
    networks see float32, where they would fall on a few values."""
    for axis, name in enumerate("xy"):
        exact = len(np.unique(points[:, axis]))
        rounded = len(np.unique(points[:, axis].astype(np.float32)))
        if exact > 1 and rounded < MIN_FLOAT32_DISTINCT_SHARE * exact:
            centre = float(np.median(points[:, axis]))
            raise PointsError(
                f"{name} spans only {np.ptp(points[:, axis]):.3g} around {centre:.7g}: in float32 "
                f"its {exact:,} distinct values collapse to {rounded:,}; subtract {centre:.7g} "
                f"from {name} first"
            )
