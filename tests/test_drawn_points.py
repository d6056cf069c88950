"""Points drawn on the 2D playground's plane: the brush, the modes found in a drawing, the
drawn data set the mode metrics count over, the CSV it downloads as, and the canvas's strokes
read as untrusted input."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from gan_core.toy import mode_metrics, points_dataset, read_points_csv
from gan_core.toy.clusters import ARC_LENGTH, cluster_modes
from gan_core.toy.drawn import (
    CLICK_POINTS,
    CLICK_SPREAD,
    MAX_DRAWN_POINTS,
    STROKE_SPACING,
    STROKE_SPREAD,
    DrawingError,
    brush,
    drawing_points,
    drawn_dataset,
    points_csv,
)
from ui.draw_strokes import MAX_COMMANDS, MAX_STROKES, StrokeError, canvas_objects, plane_stroke


def click(x, y):
    return np.array([[x, y], [x, y]])


def ring_clicks(n=8, radius=1.5):
    return [click(radius * math.cos(a), radius * math.sin(a)) for a in 2 * np.pi * np.arange(n) / n]


def blob(centre, n=CLICK_POINTS, seed=0):
    return np.asarray(centre) + CLICK_SPREAD * np.random.default_rng(seed).standard_normal((n, 2))


# -- the brush ------------------------------------------------------------------------------
def test_a_click_places_one_blob_of_points_around_it():
    points = brush(click(0.5, -1.0))
    assert points.shape == (CLICK_POINTS, 2) and points.dtype == np.float32
    assert np.linalg.norm(points.mean(axis=0) - [0.5, -1.0]) < 2 * CLICK_SPREAD
    assert np.linalg.norm(points - [0.5, -1.0], axis=1).max() < 5 * CLICK_SPREAD
    assert 0.5 * CLICK_SPREAD < points.std(axis=0).mean() < 2 * CLICK_SPREAD


def test_a_drag_places_points_along_the_stroke_every_spacing():
    stroke = np.stack([np.linspace(-1.5, 1.5, 40), np.zeros(40)], axis=1)  # 3 units long
    points = brush(stroke)
    assert len(points) == math.ceil(3.0 / STROKE_SPACING)
    assert np.abs(points[:, 1]).max() < 5 * STROKE_SPREAD  # on the line, give or take the spread
    assert points[:, 0].min() < -1.4 and points[:, 0].max() > 1.4  # the whole length


def test_the_same_stroke_always_places_the_same_points():
    stroke = np.array([[0.0, 0.0], [0.3, 0.4], [1.0, 1.0]])
    np.testing.assert_array_equal(brush(stroke), brush(stroke.copy()))
    assert not np.array_equal(brush(stroke), brush(stroke + 0.01))


def test_points_stay_in_the_plane_at_its_edge():
    points = brush(click(2.0, -2.0))  # a click in the corner: half its blob would fall off
    assert np.abs(points).max() <= 2.0
    assert np.abs(brush(np.array([[5.0, 5.0], [9.0, 9.0]]))).max() <= 2.0  # beyond the board: at its edge


@pytest.mark.parametrize(
    "stroke,fragment",
    [
        (np.array([[0.0, np.nan], [1.0, 1.0]]), "finite"),
        (np.array([[0.0, np.inf]]), "finite"),
        (np.zeros((0, 2)), "1 to 5,000"),
        (np.zeros((3, 3)), "1 to 5,000"),
        (np.zeros((10**6, 2)), "1 to 5,000"),
        ([["a", "b"]], "numbers"),
    ],
)
def test_a_bad_stroke_is_refused_in_one_line(stroke, fragment):
    with pytest.raises(DrawingError, match=fragment) as e:
        brush(stroke)
    assert "\n" not in str(e.value)


def test_a_zigzag_stroke_too_long_for_a_drawing_is_refused_before_any_point_is_made():
    zigzag = np.tile([[-2.0, -2.0], [2.0, 2.0]], (2_500, 1))  # 5,000 vertices, ~28,000 units of arc
    started = time.perf_counter()
    with pytest.raises(DrawingError, match="a drawing holds 2,000"):
        brush(zigzag)
    assert time.perf_counter() - started < 5


def test_a_drawing_stops_at_2000_points_and_says_which_stroke_was_left_out():
    clicks = [click(-1.8 + 0.45 * (i % 9), -1.8 + 0.45 * (i // 9)) for i in range(70)]
    points, used, refusal = drawing_points(clicks)
    assert used == MAX_DRAWN_POINTS // CLICK_POINTS == 66
    assert len(points) == 66 * CLICK_POINTS <= MAX_DRAWN_POINTS
    assert refusal.startswith("2,000 points is the most a drawing holds")
    assert drawing_points(clicks[:3])[1:] == (3, None)


def test_a_bad_stroke_ends_the_drawing_there_with_its_reason():
    points, used, refusal = drawing_points([click(0, 0), np.array([[np.nan, 0.0]]), click(1, 1)])
    assert (len(points), used) == (CLICK_POINTS, 1)
    assert refusal == "stroke 2 was not added: a stroke's coordinates must be finite numbers"


# -- the modes of a drawing ------------------------------------------------------------------
def test_each_click_of_a_ring_is_one_mode_at_the_click():
    points, _, _ = drawing_points(ring_clicks())
    centres, labels = cluster_modes(points)
    assert len(centres) == 8
    truth = [[1.5 * math.cos(a), 1.5 * math.sin(a)] for a in 2 * np.pi * np.arange(8) / 8]
    assert max(np.linalg.norm(centres - t, axis=1).min() for t in truth) < 2 * CLICK_SPREAD
    # every blob's points share one label, and no two blobs share one
    assert [len(set(labels[i * CLICK_POINTS : (i + 1) * CLICK_POINTS])) for i in range(8)] == [1] * 8
    assert len(set(labels)) == 8


def test_a_grid_of_25_clicks_gives_the_grids_25_modes():
    clicks = [click(x, y) for x in (-1.6, -0.8, 0, 0.8, 1.6) for y in (-1.6, -0.8, 0, 0.8, 1.6)]
    assert len(cluster_modes(drawing_points(clicks)[0])[0]) == 25


def test_one_click_is_one_mode_and_touching_blobs_merge_while_apart_ones_do_not():
    assert len(cluster_modes(blob([0, 0]))[0]) == 1
    assert len(cluster_modes(np.concatenate([blob([0, 0]), blob([0.1, 0], seed=1)]))[0]) == 1
    assert len(cluster_modes(np.concatenate([blob([0, 0]), blob([0.6, 0], seed=1)]))[0]) == 2


def test_a_drawn_line_is_cut_into_arcs_of_contiguous_points():
    line = brush(np.stack([np.linspace(-1.5, 1.5, 40), np.zeros(40)], axis=1))
    centres, labels = cluster_modes(line)
    width = float(np.linalg.norm(np.ptp(line, axis=0)))
    assert len(centres) == math.ceil(width / ARC_LENGTH)
    order = labels[np.argsort(line[:, 0])]  # along the line, each arc's label appears in one run
    assert len(np.flatnonzero(np.diff(order))) == len(centres) - 1


def test_clustering_is_deterministic_and_bounded_for_a_full_drawing():
    points = drawing_points([click(-1.8 + 0.45 * (i % 9), -1.8 + 0.45 * (i // 9)) for i in range(66)])[0]
    started = time.perf_counter()
    centres, labels = cluster_modes(points)
    assert time.perf_counter() - started < 5
    assert len(centres) == 66
    again = cluster_modes(points)
    np.testing.assert_array_equal(centres, again[0])
    np.testing.assert_array_equal(labels, again[1])


# -- the drawn data set ----------------------------------------------------------------------
def test_the_drawn_data_set_trains_on_the_points_as_drawn_and_counts_their_clusters():
    points, _, _ = drawing_points(ring_clicks())
    data = drawn_dataset(points)
    np.testing.assert_array_equal(data.pool, points)  # no rescaling, no noise
    assert data.noise_std == 0.0
    assert len(data.modes) == 8
    np.testing.assert_allclose(data.real_mode_share, np.full(8, 1 / 8))
    assert data.sample(100, seed=1).shape == (100, 2)


def test_mode_metrics_on_a_drawing_see_full_coverage_and_collapse():
    data = drawn_dataset(drawing_points(ring_clicks())[0])
    copy = np.concatenate([blob(c, n=300, seed=i) for i, c in enumerate(data.modes)])
    perfect = mode_metrics(copy, data)
    assert (perfect.modes_covered, perfect.modes_total) == (8, 8)
    assert perfect.high_quality > 0.8
    assert perfect.kl < 0.05
    collapsed = mode_metrics(blob(data.modes[0], n=2400), data)
    assert (collapsed.modes_covered, collapsed.modes_total) == (1, 8)
    assert collapsed.kl > 1.5  # log(8) = 2.08 when every point sits on one of eight modes


@pytest.mark.parametrize(
    "points,fragment",
    [
        (np.zeros((10**6, 2), np.float32), "1,000,000 points drawn; a drawing holds at most 2,000"),
        (np.full((50, 2), np.nan), "finite"),
        (np.concatenate([blob([0, 0]), [[np.inf, 0.0]]]), "finite"),
        (blob([0, 0]) + 3.0, r"square \[-2, 2\]"),
        (blob([0, 0])[:5], "5 points drawn; click or drag to place at least 10"),
        (np.zeros((20, 3)), "an \\(N, 2\\) array"),
        (np.zeros((20, 2)), "identical"),
        (np.array([["a", "b"]] * 20, dtype=object), "numbers"),
    ],
)
def test_bad_drawn_points_are_refused_in_one_line(points, fragment):
    started = time.perf_counter()
    with pytest.raises(DrawingError, match=fragment) as e:
        drawn_dataset(points)
    assert "\n" not in str(e.value)
    assert time.perf_counter() - started < 5  # a million points: refused on their count alone


def test_the_csv_download_reads_back_to_the_same_points_and_uploads_as_a_data_set():
    points, _, _ = drawing_points([*ring_clicks(), np.array([[-1.0, 0.3], [0.2, 0.1], [1.1, -0.7]])])
    csv = points_csv(points)
    assert csv.startswith(b"x,y\n") and csv.count(b"\n") == len(points) + 1
    read = read_points_csv(csv)
    np.testing.assert_array_equal(read.points, points)  # every float32 exactly
    uploaded = points_dataset(read.points, name="drawn_points")  # what the CSV upload trains on
    assert uploaded.pool.shape == points.shape


# -- the canvas's strokes ----------------------------------------------------------------------
def path_object(pixels, **transform):
    xs, ys = [p[0] for p in pixels], [p[1] for p in pixels]
    obj = {
        "type": "Path",
        "originX": "center",
        "originY": "center",
        "left": (min(xs) + max(xs)) / 2,
        "top": (min(ys) + max(ys)) / 2,
        "strokeWidth": 12,
        "path": [["M", *pixels[0]], *[["Q", *pixels[i - 1], *pixels[i]] for i in range(1, len(pixels))]],
    }
    return obj | transform


def test_canvas_pixels_map_onto_the_plane_with_y_up():
    stroke = plane_stroke(path_object([(0, 0), (440, 440)]), 440, 440)
    np.testing.assert_allclose(stroke, [[-2, 2], [2, -2]])
    np.testing.assert_allclose(plane_stroke(path_object([(110, 330), (110, 330)]), 440, 440), [[-1, -1]] * 2)


def test_a_stroke_moved_or_turned_with_the_edit_tool_is_read_where_it_now_is():
    moved = path_object([(100, 100), (200, 100)], left=260)  # its centre moved from 150 to 260 px
    now = [[210, 100], [310, 100]]  # pixels, 110 to the plane's unit
    np.testing.assert_allclose(plane_stroke(moved, 440, 440), [[-2 + x / 110, 2 - y / 110] for x, y in now])
    turned = path_object([(100, 220), (340, 220)], angle=90)  # a horizontal stroke stood upright
    np.testing.assert_allclose(plane_stroke(turned, 440, 440), [[0, 12 / 11], [0, -12 / 11]], atol=1e-9)


@pytest.mark.parametrize(
    "obj,fragment",
    [
        ({"type": "Rect", "left": 1}, "only freehand strokes"),
        ("a string", "only freehand strokes"),
        (path_object([(1, 1)]) | {"path": [["M", float("nan"), 1.0]]}, "finite"),
        (path_object([(1, 1)]) | {"path": [["M", True, 1.0]]}, "finite"),
        (path_object([(1, 1)]) | {"path": [["M", "1", "1"]]}, "finite"),
        (path_object([(1, 1)]) | {"path": [["M", 1, 1]] * 5_001}, "1 to 5,000"),
        (path_object([(1, 1)]) | {"path": []}, "1 to 5,000"),
        (path_object([(1, 1)]) | {"path": [[7, 1, 1]]}, "malformed"),
        (path_object([(1, 1)]) | {"path": [["Z"]]}, "no points"),
        (path_object([(1, 1)]) | {"scaleX": float("inf")}, "scaleX"),
        (path_object([(1, 1)]) | {"originX": "elsewhere"}, "origin"),
    ],
)
def test_a_bad_canvas_object_is_refused_in_one_line(obj, fragment):
    with pytest.raises(StrokeError, match=fragment) as e:
        plane_stroke(obj, 440, 440)
    assert "\n" not in str(e.value)


def test_the_canvas_value_is_bounded_before_its_strokes_are_read():
    assert canvas_objects(None) == []
    assert canvas_objects({"objects": [1, 2]}) == [1, 2]
    with pytest.raises(StrokeError, match="cannot read"):
        canvas_objects({"objects": "many"})
    with pytest.raises(StrokeError, match="cannot read"):
        canvas_objects(["objects"])
    with pytest.raises(StrokeError, match="2,001 strokes; a drawing holds at most 2,000"):
        canvas_objects({"objects": [{}] * (MAX_STROKES + 1)})


def test_a_canvas_value_of_too_many_path_commands_is_refused_before_any_is_read():
    heavy = {"type": "Path", "path": [["L", 1.0, 1.0]] * 5_000}  # each stroke alone is allowed
    started = time.perf_counter()
    with pytest.raises(StrokeError, match="55,000 path commands; a drawing may have at most 50,000"):
        canvas_objects({"objects": [heavy] * 11})
    assert time.perf_counter() - started < 5
    assert len(canvas_objects({"objects": [heavy] * (MAX_COMMANDS // 5_000)})) == 10
