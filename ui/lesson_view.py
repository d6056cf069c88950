"""The Lesson page's Streamlit parts: one step of a guided lesson (gan_core/guide/lessons.py) at
a time, with its exercise, its question and its check read from this browser's live run.

A step's "Open the exercise" goes to the Train page with the step's exercise link and the
setting it is about marked (`focus`, which ui/train_controls.py opens and highlights). The
answer to a step's question is kept for this browser's session; the check is read from the run
this browser shows (its own, ui/session.py), never from anyone else's.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import streamlit as st
from streamlit.errors import StreamlitAPIException

from gan_core.config.settings import setting
from gan_core.guide.lessons import Lesson, LessonStep, list_lessons, run_figure
from ui.session import current_run, followed_snapshot

TRAIN_PAGE = Path(__file__).resolve().parents[1] / "app_pages" / "train.py"
STEP_KEY = "lesson_step"


@st.cache_data(ttl=30, show_spinner=False)
def lessons() -> tuple[dict[str, Lesson], list[str]]:
    """Every lesson and the one-line problems of the files that could not be read (read again
    every 30 s, so a teacher's new file appears without a restart)."""
    return list_lessons()


def exercise_query(step: LessonStep) -> dict:
    """The query of the step's exercise link as Streamlit's query_params take it (a repeated key,
    such as `set`, as a list), with `focus` naming the step's setting."""
    query = {k: (v if len(v) > 1 else v[0]) for k, v in parse_qs(step.link, keep_blank_values=False).items()}
    if step.control:
        query["focus"] = step.control
    return query


def open_exercise(step: LessonStep) -> None:
    """Go to the Train page with the step's exercise link (run alone, this page shows the link)."""
    try:
        st.switch_page(TRAIN_PAGE, query_params=exercise_query(step))
    except StreamlitAPIException:
        st.info(f"Open the Train page with ?{step.link}")


def _move(lesson: Lesson, by: int) -> None:
    index = st.session_state.get(STEP_KEY, {}).get(lesson.name, 0) + by
    st.session_state.setdefault(STEP_KEY, {})[lesson.name] = max(0, min(len(lesson.steps) - 1, index))


def step_index(lesson: Lesson) -> int:
    """The step this session is at in `lesson` (0 at first)."""
    return st.session_state.get(STEP_KEY, {}).get(lesson.name, 0)


def draw_check(step: LessonStep) -> None:
    """The step's check against this browser's run: met, not yet, or no run to read."""
    if step.check is None:
        return
    run = current_run()
    if run is None:
        st.info(f"**Check:** {step.check.meaning or step.check.describe()} Start the exercise to see it read.")
        return
    snap = followed_snapshot(run.board, "lesson_follower")  # only the rows new since the last look
    found = run_figure(step.check.figure, snap.series, snap.epochs, snap.step, snap.epoch)
    shown = "not measured yet" if found is None else f"{found:.3g}"
    text = f"**Check** ({step.check.describe()}, now {shown}): {step.check.meaning}"
    if step.check.holds(found):
        st.success(text, icon=":material/check_circle:")
    else:
        st.warning(text, icon=":material/hourglass_empty:")


def draw_step(lesson: Lesson) -> None:
    """The current step: title, text, sources, its exercise, its question and its check, with
    Back and Next."""
    index = step_index(lesson)
    step = lesson.steps[index]
    st.progress((index + 1) / len(lesson.steps), text=f"Step {index + 1} of {len(lesson.steps)}")
    st.subheader(step.title)
    st.markdown(step.text)
    if step.sources:
        st.caption(f"Sources: {step.sources}")
    if step.link:
        about = f" It marks **{setting(step.control).label}** in the sidebar." if step.control else ""
        if st.button(
            "Open the exercise on the Train page",
            key="lesson_open",
            icon=":material/model_training:",
            help=f"Loads the step's settings.{about}",
        ):
            open_exercise(step)
    if step.question:
        st.radio(step.question, step.choices, index=None, key=f"lesson_answer:{lesson.name}:{index}")
    draw_check(step)
    back, _, forward = st.columns([1, 4, 1])
    back.button("Back", key="lesson_back", disabled=index == 0, on_click=_move, args=(lesson, -1))
    forward.button(
        "Next",
        key="lesson_next",
        type="primary",
        disabled=index == len(lesson.steps) - 1,
        on_click=_move,
        args=(lesson, 1),
    )
