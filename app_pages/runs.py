"""Runs: every run in the runs folder, newest first; open, compare or delete one.

Registered by app.py under the title "Runs"; also runs on its own with
`streamlit run app_pages/runs.py`. The list is gan_core/jobs/run_list.py, the rows and
their actions ui/runs_view.py.
"""

from __future__ import annotations

import streamlit as st

from gan_core.config.paths import default_runs_dir
from gan_core.jobs.run_list import list_runs
from gan_core.jobs.server import shared_classroom
from ui.runs_view import compare_picker, follow_branch, messages, page_of, run_row, viewer
from ui.session import trainer_pool

REFRESH_SECONDS = 5.0  # running runs' steps and grids move on while the page is open


@st.fragment(run_every=REFRESH_SECONDS)
def runs_list() -> None:
    """The rows, redrawn every few seconds (a fragment), so running runs move on."""
    runs_dir = default_runs_dir()
    follow_branch()  # a branch started from a row: watch it on the Train page
    messages()  # inside the fragment: a delete's buttons rerun only the fragment
    others = shared_classroom().rules().students_see_others
    who = viewer()
    runs = list_runs(runs_dir, trainer_pool().run_states(), seat=who.seat, others=others)
    if not runs:
        st.info(f"No runs yet in `{runs_dir}`: start one on the Train page.")
        return
    compare_picker(runs)
    for summary in page_of(runs, who, others):
        run_row(summary, runs_dir, who)


st.title("Runs")
st.caption(
    "Your past and running trainings, newest first (and the class's, read-only, where the teacher "
    "shows them). **Open** shows your own running training on the Train page and any other run's "
    "generator in the Latent explorer; **Branch…** starts a new run from one of its saved epochs with "
    "some settings changed; **Delete** asks first and never touches a run that is still training."
)
runs_list()
