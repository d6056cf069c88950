"""The 2D playground's "Draw your own" board: a drawing canvas over the plane, Undo, Clear,
the point count and the CSV download.

The canvas is streamlit-drawable-canvas (Fabric.js, served from the package: no network at run
time) in freehand mode: a press of the mouse is one stroke, a click or a drag. The drawing is
kept in this browser's session state as the canvas's own objects (`toy_drawing`), so a page
switch, Undo and Clear draw a fresh canvas (a new key) from it; every rerun turns the objects
into points (ui/draw_strokes.py, then gan_core/toy/drawn.py's brush, which is deterministic),
so the trainer's data key changes only when the drawing does.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from gan_core.toy import ToyDataset
from gan_core.toy.drawn import (
    CLICK_POINTS,
    MAX_DRAWN_POINTS,
    MIN_DRAWN_POINTS,
    DrawingError,
    drawing_points,
    drawn_dataset,
    points_csv,
)
from ui.draw_strokes import StrokeError, canvas_objects, plane_stroke
from ui.figures.drawing_board import board_image, pen_colour

CANVAS_PX = 440
# The pen's width on the canvas: about the band (+-2 spreads) the brush's points fall in.
PEN_PX = 12
NOTHING_DRAWN = "drawn:"  # the data key while the drawing holds too few points to train on


def _canvas_key() -> str:
    return f"toy_canvas:{st.session_state.toy_canvas_round}"


def _redraw(objects: list) -> None:
    """Keep `objects` as the drawing and show them on a fresh canvas at the next run."""
    st.session_state.toy_drawing = list(objects)
    st.session_state.toy_canvas_round += 1


def undo_stroke() -> None:
    """Undo button callback: drop the drawing's last stroke."""
    _redraw(st.session_state.toy_drawing[:-1])


def clear_drawing() -> None:
    """Clear button callback: drop every stroke."""
    _redraw([])


def _strokes(objects: list) -> tuple[list[np.ndarray], str | None]:
    """The plane polylines of the canvas objects, in order, up to the first that cannot be read
    (and that one's one-line reason)."""
    strokes = []
    for obj in objects:
        try:
            strokes.append(plane_stroke(obj, CANVAS_PX, CANVAS_PX))
        except StrokeError as e:
            return strokes, f"stroke {len(strokes) + 1} was not added: {e}"
    return strokes, None


def _dataset(points: np.ndarray) -> tuple[str, ToyDataset]:
    """("drawn:<digest>", ToyDataset) of the points, the clusters found once per drawing."""
    state = st.session_state
    digest = hashlib.sha256(points.tobytes()).hexdigest()[:16]
    kept = state.get("toy_drawn_dataset")
    if kept is None or kept[0] != digest:
        state.toy_drawn_dataset = kept = (digest, drawn_dataset(points))
    return "drawn:" + digest, kept[1]


def drawing_board() -> tuple[str | None, ToyDataset | None]:
    """Draw the board where it is called; (data key, ToyDataset) of the drawing, ("drawn:",
    None) while it holds fewer than MIN_DRAWN_POINTS points (no training to show), or (None,
    None) when its points were refused (the training on screen stays)."""
    # The component registers itself on import, which needs a running Streamlit (its asset
    # manager): imported here, this module still imports in plain Python (tests, tools).
    from streamlit_drawable_canvas import st_canvas

    state = st.session_state
    state.setdefault("toy_drawing", [])
    state.setdefault("toy_canvas_round", 0)
    if _canvas_key() not in state:  # a fresh canvas: first visit, Undo, Clear, back from another page
        state.toy_canvas_initial = {"objects": list(state.toy_drawing)}
    canvas, side = st.columns([CANVAS_PX + 40, 400], gap="medium")
    with canvas:
        result = st_canvas(
            stroke_width=PEN_PX,
            stroke_color=pen_colour(),
            background_image=board_image(CANVAS_PX),
            width=CANVAS_PX,
            height=CANVAS_PX,
            drawing_mode="freedraw",
            initial_drawing=state.toy_canvas_initial,
            key=_canvas_key(),
        )
    objects, points, refusal = _read(result.json_data)
    if refusal is not None:  # the canvas shows a stroke the drawing did not take: draw it again without
        _redraw(objects)
        state.toy_draw_refusal = refusal
        st.rerun()
    state.toy_drawing = objects
    key, dataset, problem = NOTHING_DRAWN, None, None
    if len(points) >= MIN_DRAWN_POINTS:
        try:
            key, dataset = _dataset(points)
        except DrawingError as e:
            key, problem = None, str(e)
    with side:
        _board_side(points, dataset, problem)
    return key, dataset


def _read(json_data) -> tuple[list, np.ndarray, str | None]:
    """(objects kept, their points (N, 2) float32, refusal) of the canvas's value: the strokes in
    order up to the first that cannot be read or would take the drawing past MAX_DRAWN_POINTS,
    with that one's one-line reason (None when all were taken)."""
    try:
        objects = canvas_objects(json_data)
    except StrokeError as e:  # nothing of it is read: the drawing stays as it was
        objects, refusal = list(st.session_state.toy_drawing), str(e)
        strokes, _ = _strokes(objects)
    else:
        strokes, refusal = _strokes(objects)
    points, used, too_many = drawing_points(strokes)
    return objects[:used], points, refusal or too_many


def _board_side(points: np.ndarray, dataset: ToyDataset | None, problem: str | None) -> None:
    """The column beside the canvas: what the drawing holds, Undo, Clear, the CSV download."""
    state = st.session_state
    for line in (state.pop("toy_draw_refusal", None), problem):
        if line:
            st.error(line)
    strokes = len(state.toy_drawing)
    found = f" · {len(dataset.modes)} mode{'s' if len(dataset.modes) != 1 else ''} found" if dataset else ""
    st.markdown(f"**{len(points):,} points** in {strokes:,} stroke{'s' if strokes != 1 else ''}{found}")
    if len(points) < MIN_DRAWN_POINTS:
        st.info(f"Click or drag on the plane to place points; training starts once there are {MIN_DRAWN_POINTS}.")
    undo, clear = st.columns(2)
    off = dict(disabled=not strokes, width="stretch")
    undo.button("Undo last stroke", on_click=undo_stroke, help="Take the last click or drag away.", **off)
    clear.button("Clear drawing", on_click=clear_drawing, help="Take every stroke away.", **off)
    st.download_button(
        "Download CSV",
        data=points_csv(points),
        file_name="drawn_points.csv",
        mime="text/csv",
        on_click="ignore",
        disabled=len(points) == 0,
        width="stretch",
        help="Your points as x,y lines: upload the file under 'Your own points (CSV)' to train on it again.",
    )
    st.caption(
        f"Click to place a blob of {CLICK_POINTS} points (one mode); drag to place points along the "
        f"stroke. The plane runs from -2 to 2 both ways; a drawing holds up to {MAX_DRAWN_POINTS:,} points."
    )
