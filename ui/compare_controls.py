"""The Compare page's setup controls: the card select, the seconds per arm, the careful toggle
and the Advanced override boxes, each hidden or locked where an exercise link says so.

A hidden or locked control takes the link's value (ui/exercise_view.py), whatever a browser
message sent; the page builds the pair from what these return (gan_core/compare/setup.py).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from gan_core.compare.pair import CAREFUL_SEEDS
from gan_core.compare.setup import SAME, card_ids, card_label
from gan_core.guide import lookup as guide
from ui.exercise_view import Exercise

CAREFUL = "compare_careful"  # the toggle's widget key: three seeds per arm


def compare_controls(
    exercise: Exercise | None, branching: bool, on_card_change: Callable[[], None]
) -> tuple[str, float, bool, str, str]:
    """Draw the controls; (card id, seconds per arm, careful, A's override lines, B's). A
    branch beside its parent (`branching`) goes on from one run's saved weights: one seed, so
    the careful toggle is off and disabled. `on_card_change` runs when the card select changes."""
    card_id, seconds = _card_and_seconds(exercise, on_card_change)
    careful = _careful(exercise, branching)
    lines_a, lines_b = _overrides(exercise)
    if exercise is not None:  # a locked control's value is the link's, whatever a message sent
        fixed = exercise.setup
        card_id = fixed.card if exercise.locks("card") else card_id
        seconds = fixed.seconds if exercise.locks("seconds") else seconds
        careful = fixed.careful if exercise.locks("careful") else careful
        if exercise.locks("overrides"):
            lines_a, lines_b = fixed.lines_a, fixed.lines_b
    return card_id, seconds, careful, lines_a, lines_b


def _locked(exercise: Exercise | None, name: str) -> bool:
    return exercise is not None and exercise.locks(name)


def _hidden(exercise: Exercise | None, name: str) -> bool:
    return exercise is not None and exercise.hides(name)


def _card_and_seconds(exercise: Exercise | None, on_card_change: Callable[[], None]) -> tuple[str, float]:
    left, right = st.columns([2, 1])
    if _hidden(exercise, "card"):
        card_id = exercise.setup.card
    else:
        with left:
            card_id = st.selectbox(
                "Practice or hack to switch off in B",
                [SAME, *card_ids()],
                format_func=card_label,
                key="compare_card",
                on_change=on_card_change,
                disabled=_locked(exercise, "card"),
                help=f"A is the `{guide.COMPARE_BASE_PRESET}` preset with every practice and hack on; "
                "B is the same with this one setting off.",
            )
    if _hidden(exercise, "seconds"):
        return card_id, exercise.setup.seconds
    with right:
        seconds = st.number_input(
            "Seconds per arm",
            min_value=5,
            max_value=1800,
            step=5,
            key="compare_seconds",
            disabled=_locked(exercise, "seconds"),
            help="Training time for each side. Both sides train the same number of steps, one after the "
            "other, so the whole comparison takes about twice this, plus compiling and the grids.",
        )
    return card_id, seconds


def _careful(exercise: Exercise | None, branching: bool) -> bool:
    if _hidden(exercise, "careful"):
        careful = exercise.setup.careful
    else:
        careful = st.toggle(
            f"Careful: {CAREFUL_SEEDS} seeds per arm",
            key=CAREFUL,
            disabled=branching or _locked(exercise, "careful"),
            help="A branch goes on from one run's saved weights, so it trains one seed."
            if branching
            else f"Train A and B from {CAREFUL_SEEDS} seeds each (A and B share each seed), the same steps for all "
            f"{2 * CAREFUL_SEEDS} runs. The curves show each arm's band from its lowest to its highest seed, and "
            'the verdict calls a difference no larger than that spread "within noise".',
        )
    careful = careful and not branching
    if careful:
        st.caption(
            f"{2 * CAREFUL_SEEDS} runs, one step at a time: about {2 * CAREFUL_SEEDS} × the seconds per arm, "
            "plus compiling and the grids."
        )
    return careful


def _overrides(exercise: Exercise | None) -> tuple[str, str]:
    if _hidden(exercise, "overrides"):
        return exercise.setup.lines_a, exercise.setup.lines_b
    with st.expander("Advanced"):
        st.caption(
            "Override any setting for one side, one `key=value` per line, e.g. `model.base_filters=16`. "
            "Data source, batch size, seed, budget and grid size must be the same on both sides."
        )
        col_a, col_b = st.columns(2)
        locked = _locked(exercise, "overrides")
        lines_a = col_a.text_area(
            "A overrides", key="compare_overrides_a", placeholder="model.base_filters=16", disabled=locked
        )
        lines_b = col_b.text_area(
            "B overrides", key="compare_overrides_b", placeholder="hacks.d_steps=2", disabled=locked
        )
    return lines_a, lines_b
