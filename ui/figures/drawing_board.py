"""The drawing canvas's backdrop: the playground's plane [-2, 2]^2 as a light grid with its axes
and unit ticks, so a student sees where a click lands. A Pillow picture (the canvas takes an
image, not a plotly figure); pure: size in, image out, no Streamlit."""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from gan_core.toy.drawn import PLANE
from ui.figures.styles import REAL_COLOUR

BACKGROUND = (255, 255, 255)
HALF_LINE = (240, 240, 240)  # every 0.5
UNIT_LINE = (218, 218, 218)  # every 1
AXIS = (150, 150, 150)
LABEL = (120, 120, 120)


@lru_cache(maxsize=4)
def board_image(size_px: int) -> Image.Image:
    """A square RGB image `size_px` wide of the plane (x to the right, y up, both -2..2): grid
    lines every half unit, the axes through 0, and the whole units labelled along them."""
    image = Image.new("RGB", (size_px, size_px), BACKGROUND)
    draw = ImageDraw.Draw(image)
    to_px = lambda v: round((v + PLANE) / (2 * PLANE) * (size_px - 1))
    halves = [i / 2 for i in range(int(-2 * PLANE), int(2 * PLANE) + 1)]
    for v in halves:
        if v == 0:
            continue  # the axes go on top, after the grid
        colour = UNIT_LINE if v == int(v) else HALF_LINE
        draw.line([(to_px(v), 0), (to_px(v), size_px)], fill=colour)
        draw.line([(0, to_px(-v)), (size_px, to_px(-v))], fill=colour)
    middle = to_px(0)
    draw.line([(middle, 0), (middle, size_px)], fill=AXIS)
    draw.line([(0, middle), (size_px, middle)], fill=AXIS)
    font = ImageFont.load_default(size=max(10, size_px // 40))
    for v in range(-int(PLANE) + 1, int(PLANE)):
        if v == 0:
            continue
        draw.text((to_px(v) + 3, middle + 2), f"{v:g}", fill=LABEL, font=font)
        draw.text((middle + 4, to_px(-v) - 1), f"{v:g}", fill=LABEL, font=font, anchor="lb")
    return image


def pen_colour(alpha: float = 0.45) -> str:
    """The canvas pen: the playground's colour of real points as CSS rgba, see-through by
    `alpha` (0..1) so crossing strokes show."""
    red, green, blue = (int(REAL_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha:g})"
