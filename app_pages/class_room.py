"""Class: the teacher's page. Every run on the server live, its Stop and Delete, the class's
limits, and a projector view of any run.

In the menu of the teacher's browser only (app.py); a browser without the teacher's seat that
reaches this file anyway sees one line and nothing else. The parts are ui/class_view.py.
"""

from __future__ import annotations

import streamlit as st

from ui.class_view import jobs_list, leave_projector, limits_form, predictions_summary, projected, projector
from ui.session import current_seat

REFRESH_SECONDS = 3.0

if not current_seat().teacher:
    st.error("This page is the teacher's: open the app with the teacher link to see it.")
    st.stop()


@st.fragment(run_every=REFRESH_SECONDS)
def live() -> None:
    """The list, or the projector view, redrawn every few seconds (a fragment)."""
    job_id = projected()
    if job_id is not None:
        projector(job_id)
    else:
        predictions_summary()
        jobs_list()


if projected() is not None:
    st.button("Back to the class", on_click=leave_projector, key="class_back")
    live()
else:
    st.title("Class")
    st.caption("Every run on this server, live. Stop or delete any of them; project one for the room.")
    limits_form()
    live()
