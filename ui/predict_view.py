"""Predict, then run, on the Compare page: "What do you expect?" before Start, the answer kept
with the comparison (gan_core/jobs/predictions.py, by the job's id), and at the end the
prediction beside the verdict with the guide card's "why".
"""

from __future__ import annotations

import streamlit as st

from gan_core.config.exercise import exercise_id
from gan_core.guide import lookup as guide
from gan_core.jobs.predictions import (
    CURVES,
    EXPECTATIONS,
    Prediction,
    prediction,
    shared_predictions,
)
from gan_core.jobs.settle import settle_finished
from ui.session import current_seat

QUESTION = "What do you expect?"
ROUND = "compare_predict_round"  # a fresh question for each comparison (the widgets' keys carry it)
_CARD = "compare_predict_card"
_SHOWN = {"A better": "A better", "B better": "B better", "about the same": "About the same"}


def _keys() -> tuple[str, str]:
    n = st.session_state.get(ROUND, 0)
    return f"compare_expect_{n}", f"compare_curve_{n}"


def ask() -> Prediction | None:
    """The question, drawn before Start: A better, B better or about the same, and optionally
    which curve moves. The answer, or None until one is picked (Start waits for it)."""
    expect_key, curve_key = _keys()
    with st.container(border=True):
        st.markdown(f"**{QUESTION}** Say it before you start: afterwards the verdict stands beside it.")
        left, right = st.columns([3, 2])
        expected = left.radio(
            QUESTION,
            EXPECTATIONS,
            index=None,
            format_func=_SHOWN.get,
            horizontal=True,
            key=expect_key,
            label_visibility="collapsed",
        )
        curve = right.selectbox(
            "Which curve do you expect to move? (optional)",
            ["", *CURVES],
            format_func=lambda c: c or "no guess",
            key=curve_key,
        )
    return prediction(expected, curve) if expected is not None else None


def remember(job_id: str, pair, title: str, card: str | None, answer: Prediction) -> None:
    """Keep `answer` with comparison `job_id` of `pair` (its exercise: the pair's digest,
    `title` for the teacher, the guide `card` whose "why" the end shows), and ask afresh next time."""
    book = shared_predictions()
    book.record(job_id, exercise_id(*pair), title, current_seat().id, answer, card=card or "")
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


def _said(answer: Prediction) -> str:
    curve = f", and {answer.curve} to move" if answer.curve else ""
    return f"You expected: **{_SHOWN[answer.expected]}**{curve}."


def _curve_line(entry) -> str:
    """Which curve moved most clearly (gan_core.compare.moved), beside the student's guess."""
    guess = entry.prediction.curve
    if entry.moved is None:
        moved = "No curve moved clearly: none shifted by more than its own step-to-step wobble"
        return moved + (f" (you named {guess})." if guess else ".")
    moved = f"The curve that moved most: **{entry.moved}**"
    if not guess:
        return moved + "."
    return moved + (", as you expected." if entry.curve_right else f"; you named {guess}.")


def beside_verdict(job_id: str | None, job, state: str) -> bool:
    """The prediction kept with comparison `job_id` (None: nothing drawn, False returned): while
    it trains, one line; once finished, whether it came out as expected and the card's "why";
    once stopped, that there is no outcome to compare. True when something was drawn."""
    book = shared_predictions()
    entry = book.get(job_id)
    if entry is None:
        return False
    with st.container(border=True, key="compare_prediction"):
        st.markdown(_said(entry.prediction))
        if state == "finished":
            settle_finished(book, job_id, job)
            entry = book.get(job_id)
            if entry.outcome is None:
                st.markdown("It came out: **no call** (the verdict could not say).")
            elif entry.right:
                st.markdown(f"It came out: **{_SHOWN[entry.outcome]}**, as you expected.")
            else:
                st.markdown(f"It came out: **{_SHOWN[entry.outcome]}**, not what you expected.")
            st.markdown(_curve_line(entry))
            if entry.card:
                st.markdown(f"**Why:** {guide.card(entry.card).why}")
        elif state in ("stopped", "failed"):
            book.settle(job_id, state)
            st.caption("It did not finish: there is no outcome to set beside your prediction.")
    return True
