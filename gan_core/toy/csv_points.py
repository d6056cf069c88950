"""The user's own 2-D points from a CSV file: untrusted input, read in time linear in its size.

Spreadsheet exports differ: `,` or `;` or tab separators, decimal commas where `;`
separates, every value in quotes, CRLF line ends, `#` comment lines, blank lines, padded
values, a header line. `csv.Sniffer` finds the separator and the quoting; what it does not
do is written here: comment and blank lines are dropped before it looks, a `;` present on
every line wins over the `,` inside decimal commas (the Sniffer prefers `,` whenever both
are consistent), and values split on whitespace when no separator is found.

Bounded before anything is parsed: the file's size (MAX_BYTES) and every data line's
length (MAX_LINE_CHARS). `csv.Sniffer().sniff` is quadratic in a line's length (a 64 KB
line of quotes and commas took 20-45 s, measured; docs/measured.md) and `csv.reader` raises on a field
past 131,072 characters; a row of two numbers needs neither, so a longer line is refused
by its number. The rows are then read by `numpy.loadtxt` (its C reader: about 0.2 s for
8 MB); a file it cannot read as two numbers a row is read again line by line, which names
the first line to blame.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_ROWS = 10
MAX_ROWS = 100_000
MAX_BYTES = 8 * 1024 * 1024
# Two quoted, padded doubles ("-1.2345678901234567e-05") and a separator take under 64; a
# header line of two long column names fits too.
MAX_LINE_CHARS = 256
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
    """Points and notes from CSV text (bytes: UTF-8, a BOM allowed; at most MAX_BYTES bytes,
    or characters for str), in time linear in its size.

    Two columns x,y per line, an optional header line; data lines at most MAX_LINE_CHARS
    characters (comment lines may be longer). More than MAX_ROWS rows are subsampled (a
    fixed seed, so the same file gives the same points) with a note. Raises PointsError
    (one line, with the line number where one is to blame) for a file too large, a line
    too long, fewer than MIN_ROWS rows, a row that is not two numbers, non-finite values,
    coordinates beyond +-1e6, identical points, or a spread that float32 cannot hold.
    """
    numbers, lines = _data_lines(_text(data))
    if not lines:
        raise PointsError(f"found 0 points; a points file needs at least {MIN_ROWS} rows of x,y")
    delimiter, quotechar = _dialect(lines[:SNIFF_LINES])
    first = _cells(numbers[0], lines[0], delimiter, quotechar)
    if len(first) == 2 and None in (_number(cell, delimiter) for cell in first):  # a header line
        numbers, lines = numbers[1:], lines[1:]
    points = _loadtxt(lines, delimiter, quotechar) if lines else None
    if points is None:
        points = _rows_one_by_one(numbers, lines, delimiter, quotechar)
    finite = np.isfinite(points).all(axis=1)
    if not finite.all():
        number, line = numbers[int(np.argmin(finite))], lines[int(np.argmin(finite))]
        raise PointsError(
            f"line {number}: values must be finite, got {','.join(_cells(number, line, delimiter, quotechar))}"
        )
    if len(points) < MIN_ROWS:
        raise PointsError(f"found {len(points)} points; a points file needs at least {MIN_ROWS} rows of x,y")
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
    limit = f"points files may be at most {MAX_BYTES // (1024 * 1024)} MB"
    if isinstance(data, str):
        if len(data) > MAX_BYTES:
            raise PointsError(f"the text has {len(data):,} characters; {limit}")
        return data
    if len(data) > MAX_BYTES:
        raise PointsError(f"the file is {len(data) / 1e6:.1f} MB; {limit}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PointsError("the file is not UTF-8 text: save it as a plain CSV") from None


def _data_lines(text: str) -> tuple[Sequence[int], list[str]]:
    """(line numbers, lines) of the lines that are not blank or a # comment; PointsError for
    the first data line longer than MAX_LINE_CHARS."""
    lines = text.splitlines()
    if lines and max(map(len, lines)) > MAX_LINE_CHARS:
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LINE_CHARS and not line.lstrip().startswith("#"):
                raise PointsError(
                    f"line {number} has {len(line):,} characters; a row of x,y has at most "
                    f"{MAX_LINE_CHARS}: is this a file of two columns x,y?"
                )
    if "#" not in text and all(map(str.strip, lines)):  # the usual file: every line is data
        return range(1, len(lines) + 1), lines
    kept = [n for n, line in enumerate(lines, start=1) if line.strip() and not line.lstrip().startswith("#")]
    return kept, [lines[n - 1] for n in kept]


def _dialect(sample: list[str]) -> tuple[str | None, str]:
    """(separator or None for whitespace, quote character) from the first data lines
    (SNIFF_LINES lines of at most MAX_LINE_CHARS: the Sniffer's quadratic cost stays small)."""
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


def _loadtxt(lines: list[str], delimiter: str | None, quotechar: str) -> np.ndarray | None:
    """(N, 2) float64 from numpy's C reader, or None where it cannot read every line as two
    numbers (then `_rows_one_by_one` names the line). Decimal commas become points first
    where ',' is not the separator: a cell this changes wrongly (two commas, or a comma and
    a point) no longer parses, so it too falls to the line-by-line reader. A trailing
    separator ('1;2;', as some exports end every row) is dropped, as `_cells` drops it."""
    if delimiter != ",":
        lines = [line.replace(",", ".") for line in lines]
    if delimiter is not None and lines[0].rstrip().endswith(delimiter):
        lines = [line.rstrip(delimiter + " \t") for line in lines]
    try:
        points = np.loadtxt(
            lines,
            dtype=np.float64,
            delimiter=delimiter,
            comments=None,
            quotechar=quotechar if delimiter is not None else None,
            ndmin=2,
        )
    except ValueError:
        return None
    return points if points.ndim == 2 and points.shape[1] == 2 else None


def _rows_one_by_one(numbers: Sequence[int], lines: list[str], delimiter: str | None, quotechar: str) -> np.ndarray:
    """(N, 2) float64 of lines that numpy could not read; PointsError naming the first line
    that is not two numbers."""
    values = []
    for number, line in zip(numbers, lines, strict=True):
        cells = _cells(number, line, delimiter, quotechar)
        if len(cells) != 2:
            raise PointsError(
                f"line {number}: expected two columns x,y{_separator_name(delimiter)}, found {len(cells)}"
            )
        pair = [_number(cell, delimiter) for cell in cells]
        if None in pair:
            bad = cells[pair.index(None)]
            raise PointsError(f"line {number}: '{bad[:20]}' is not a number")
        values.append(pair)
    return np.asarray(values, dtype=np.float64).reshape(-1, 2)


def _cells(number: int, line: str, delimiter: str | None, quotechar: str) -> list[str]:
    """The cells of one line as csv.reader splits it (spaces and quotes stripped, a trailing
    separator dropped); PointsError for a line csv cannot read (a NUL character)."""
    if delimiter is None:
        cells = [cell.strip(quotechar) for cell in line.split()]
    else:
        try:
            cells = next(csv.reader([line], delimiter=delimiter, quotechar=quotechar, skipinitialspace=True))
        except csv.Error as e:  # e.g. a NUL character
            raise PointsError(f"line {number}: {e}") from None
        cells = [cell.strip().strip(quotechar) for cell in cells]
    while cells and not cells[-1]:
        cells.pop()  # a trailing separator
    return cells


def _separator_name(delimiter: str | None) -> str:
    names = {",": "", ";": " separated by ';'", "\t": " separated by tabs", None: " separated by spaces"}
    return names.get(delimiter, f" separated by '{delimiter}'")


def _number(text: str, delimiter: str | None) -> float | None:
    if delimiter != "," and text.count(",") == 1 and "." not in text:
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
