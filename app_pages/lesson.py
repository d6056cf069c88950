"""Lesson: a guided lesson, one step at a time: a short text, the exercise to load, a question
to answer before running it, and a check read from your live run.

Lessons are Markdown files (assets/lessons/, and a teacher's folder named by GAN_LAB_LESSONS);
their format is gan_core/guide/lessons.py, the page's parts ui/lesson_view.py.
"""

from __future__ import annotations

import streamlit as st

from ui.lesson_view import draw_step, lessons

REFRESH_SECONDS = 3.0  # the check follows the live run

st.title("Lesson")
found, problems = lessons()
for problem in problems:
    st.warning(f"A lesson file could not be read: {problem}")
if not found:
    st.info("No lesson yet: put a lesson file (Markdown) in assets/lessons/ or in the folder GAN_LAB_LESSONS names.")
    st.stop()
name = st.selectbox("Lesson", list(found), format_func=lambda n: found[n].title, key="lesson_name")
lesson = found[name]
if lesson.intro:
    st.caption(lesson.intro)


@st.fragment(run_every=REFRESH_SECONDS)
def step_view() -> None:
    """The step, redrawn every few seconds so its check follows the run (a fragment)."""
    draw_step(lesson)


step_view()
