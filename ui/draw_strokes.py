"""Strokes of the drawing canvas (streamlit-drawable-canvas, Fabric.js JSON) as polylines on
the playground's plane.

The canvas sends every freehand stroke as a Fabric.js `Path` object: its path commands
(`["M", x, y]`, `["Q", cx, cy, x, y]`, `["L", x, y]`) in canvas pixels, and the object's
transform (position `left`/`top` at its origin, `scaleX`/`scaleY`, `flipX`/`flipY`, `angle` in
degrees), which changes only when the canvas's edit tool moves a stroke. The value comes from
the browser, so it is untrusted: its size is checked before anything is made of it, and a bad
object is refused with one line. No Streamlit here: ui/draw_view.py draws the canvas.
"""

from __future__ import annotations

import math

import numpy as np

from gan_core.toy.drawn import MAX_DRAWN_POINTS, MAX_STROKE_VERTICES, PLANE

# Each stroke places at least one point, so a drawing can never use more strokes than points.
MAX_STROKES = MAX_DRAWN_POINTS
# Path commands of all strokes together: reading one costs a few microseconds of Python, so
# this bounds a rerun's reading to well under a second. The canvas sends a command every few
# pixels of mouse travel; a drawing of 2,000 points along drags is about 9,000 pixels of it.
MAX_COMMANDS = 50_000


class StrokeError(ValueError):
    """A canvas object is not a stroke this page can read; the message is one line."""


def canvas_objects(json_data) -> list:
    """The objects list of the canvas's JSON value (a dict with "objects"); [] for None.
    Raises StrokeError for another shape, more than MAX_STROKES objects, or more than
    MAX_COMMANDS path commands in all (counted before any is read)."""
    if json_data is None:
        return []
    objects = json_data.get("objects", []) if isinstance(json_data, dict) else None
    if not isinstance(objects, list):
        raise StrokeError("the canvas sent a drawing this page cannot read")
    if len(objects) > MAX_STROKES:
        raise StrokeError(f"the canvas sent {len(objects):,} strokes; a drawing holds at most {MAX_STROKES:,}")
    commands = sum(len(o["path"]) for o in objects if isinstance(o, dict) and isinstance(o.get("path"), list))
    if commands > MAX_COMMANDS:
        raise StrokeError(f"the canvas sent {commands:,} path commands; a drawing may have at most {MAX_COMMANDS:,}")
    return objects


def plane_stroke(obj, width_px: float, height_px: float) -> np.ndarray:
    """One Fabric.js Path object as its polyline (V, 2) float64 on the plane [-PLANE, PLANE]^2
    (x to the right, y up) of a canvas `width_px` x `height_px` pixels. The path's end points
    are the vertices (the curves' control points lie between the mouse's own samples).

    Raises StrokeError (one line) for anything but a Path of 1 to MAX_STROKE_VERTICES commands
    whose numbers are all finite.
    """
    if not isinstance(obj, dict) or str(obj.get("type", "")).lower() != "path":
        raise StrokeError("only freehand strokes can be drawn here")
    commands = obj.get("path")
    if not isinstance(commands, list) or not 1 <= len(commands) <= MAX_STROKE_VERTICES:
        raise StrokeError(f"a stroke must have 1 to {MAX_STROKE_VERTICES:,} path commands")
    ends = [_end_point(c) for c in commands]
    pixels = np.array([p for p in ends if p is not None], dtype=np.float64).reshape(-1, 2)
    if len(pixels) == 0:
        raise StrokeError("a stroke has no points")
    pixels = _placed(pixels, obj)
    x = -PLANE + 2 * PLANE * pixels[:, 0] / width_px
    y = PLANE - 2 * PLANE * pixels[:, 1] / height_px
    return np.stack([x, y], axis=1)


def _end_point(command) -> tuple[float, float] | None:
    """The (x, y) a path command ends at; None for one that ends nowhere new ("Z")."""
    if not isinstance(command, list) or not command or not isinstance(command[0], str):
        raise StrokeError("a stroke's path command is malformed")
    if len(command) < 3:
        return None
    x, y = command[-2], command[-1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (x, y)):
        raise StrokeError("a stroke's coordinates must be finite numbers")
    return float(x), float(y)


def _number(obj: dict, name: str, default: float) -> float:
    value = obj.get(name, default)
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise StrokeError(f"a stroke's {name} must be a finite number")
    return float(value)


def _placed(pixels: np.ndarray, obj: dict) -> np.ndarray:
    """Path points (V, 2) moved by the object's transform into canvas pixels: about the path's
    centre, scaled, flipped and turned, then to the object's centre. Fabric's own freehand
    strokes sit where they were drawn (centre origin, no scale): the identity."""
    sx = _number(obj, "scaleX", 1.0) * (-1.0 if obj.get("flipX") else 1.0)
    sy = _number(obj, "scaleY", 1.0) * (-1.0 if obj.get("flipY") else 1.0)
    turn = math.radians(_number(obj, "angle", 0.0))
    middle = (pixels.min(axis=0) + pixels.max(axis=0)) / 2
    local = (pixels - middle) * [sx, sy]
    cos, sin = math.cos(turn), math.sin(turn)
    turned = local @ np.array([[cos, sin], [-sin, cos]])
    size = (pixels.max(axis=0) - pixels.min(axis=0) + _number(obj, "strokeWidth", 0.0)) * [abs(sx), abs(sy)]
    shift = {"left": 0.5, "top": 0.5, "center": 0.0, "right": -0.5, "bottom": -0.5}
    origin_x, origin_y = obj.get("originX", "center"), obj.get("originY", "center")
    if origin_x not in shift or origin_y not in shift:
        raise StrokeError("a stroke's origin is not one the canvas uses")
    centre = np.array(
        [
            _number(obj, "left", middle[0]) + shift[origin_x] * size[0],
            _number(obj, "top", middle[1]) + shift[origin_y] * size[1],
        ]
    )
    return turned + centre
