"""Point CSVs users bring (tests/data/cases/points) and more of the same kinds: spreadsheet
exports with other separators, decimal commas, quotes, comments, padding, too many rows, a
spread float32 cannot hold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]

from gan_core.toy import PointsError, read_points_csv  # noqa: E402
from gan_core.toy.source import load_toy_dataset  # noqa: E402

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

CASES = ROOT / "tests" / "data" / "cases" / "points"
CASE_FILES = ("semicolon_decimal_comma.csv", "quoted_crlf.csv", "whitespace_and_comments.csv")

POINTS = np.round(np.random.default_rng(7).normal(size=(60, 2)) * 3, 5)


@pytest.fixture(scope="module")
def case_points() -> dict:
    return {name: read_points_csv((CASES / name).read_bytes()).points for name in CASE_FILES}


@pytest.mark.parametrize("name", CASE_FILES)
def test_each_case_file_reads_as_400_points(case_points, name):
    assert case_points[name].shape == (400, 2) and case_points[name].dtype == np.float32
    np.testing.assert_allclose(case_points[name][0], (-1.32847, 1.42712), rtol=1e-6)


def test_the_three_case_files_hold_the_same_points(case_points):
    first = case_points[CASE_FILES[0]]
    for name in CASE_FILES[1:]:
        np.testing.assert_array_equal(case_points[name], first)


def _text(row, header="", comment="", line_end="\n") -> str:
    lines = ([header] if header else []) + ([comment] if comment else [])
    lines += [row(x, y) for x, y in POINTS]
    return line_end.join(lines) + line_end


def _comma(v: float) -> str:
    return f"{v}".replace(".", ",")


@pytest.mark.parametrize(
    "text",
    [
        _text(lambda x, y: f"{_comma(x)}\t{_comma(y)}", header="x\ty"),  # tabs, decimal commas
        _text(lambda x, y: f'"{_comma(x)}";"{_comma(y)}"', header='"x";"y"', line_end="\r\n"),  # quoted ; with CRLF
        _text(lambda x, y: f"{x}   {y}", comment="# exported by my script"),  # spaces only
        _text(lambda x, y: f" {x} ; {y} ;", header="x;y;"),  # trailing separator
        "\ufeff" + _text(lambda x, y: f"{x},{y}", header="x,y"),  # a BOM
        _text(lambda x, y: f"'{x}','{y}'", header="'x','y'"),  # single quotes
        _text(lambda x, y: f"{x}, {y}", comment="  # indented comment\n\n\n"),  # blank lines
    ],
)
def test_other_spreadsheet_exports_read_the_same_points(text):
    np.testing.assert_allclose(read_points_csv(text.encode()).points, POINTS.astype(np.float32))


def test_a_semicolon_file_with_a_bad_row_names_the_line_and_the_separator():
    text = _text(lambda x, y: f"{_comma(x)};{_comma(y)}", header="x;y") + "1,5;2,5;3,5\n"
    with pytest.raises(PointsError) as err:
        read_points_csv(text)
    assert str(err.value) == "line 62: expected two columns x,y separated by ';', found 3"


def test_more_rows_than_the_limit_are_subsampled_reproducibly():
    angles = np.linspace(0, 2 * np.pi, 123_456)
    text = "x,y\n" + "".join(f"{np.cos(a):.5f},{np.sin(a):.5f}\n" for a in angles)
    first, second = read_points_csv(text), read_points_csv(text)
    assert first.points.shape == (100_000, 2)
    assert first.notes == ("123,456 points read; training on a random 100,000 of them (the limit)",)
    np.testing.assert_array_equal(first.points, second.points)


def test_a_spread_that_collapses_in_float32_is_refused_in_one_line():
    text = "".join(f"{100_000 + 1e-4 * i:.6f},{i % 9}\n" for i in range(300))
    with pytest.raises(PointsError) as err:
        read_points_csv(text)
    message = str(err.value)
    assert message.startswith("x spans only 0.0299 around 100000: in float32 its 300 distinct values collapse to")
    assert message.endswith("subtract 100000 from x first") and "\n" not in message


def test_a_large_offset_with_a_spread_float32_holds_is_kept():
    text = "".join(f"{1000 + 0.5 * i},{i % 9}\n" for i in range(300))
    assert np.ptp(read_points_csv(text).points[:, 0]) == pytest.approx(149.5)


def test_toy_command_reads_a_case_file_and_says_when_it_subsamples(tmp_path):
    angles = np.linspace(0, 2 * np.pi, 100_500)
    big = tmp_path / "big.csv"
    big.write_text("x;y\n" + "".join(f"{_comma(round(np.cos(a), 4))};{_comma(round(np.sin(a), 4))}\n" for a in angles))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    for path, note in (
        (CASES / "semicolon_decimal_comma.csv", None),
        (big, "toy: note: 100,500 points read; training on a random 100,000 of them (the limit)"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "gan_core", "toy", "--dataset", str(path), "--max-seconds", "0.5", "--json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert '"dataset": "' + path.stem + '"' in done.stdout
        assert (note in done.stderr) if note else "note" not in done.stderr


def test_case_file_loads_as_a_toy_data_set_by_path():
    dataset = load_toy_dataset(str(CASES / "quoted_crlf.csv"))
    assert dataset.pool.shape == (400, 2) and dataset.notes == ()
