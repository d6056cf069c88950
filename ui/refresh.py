"""How often a page's live parts refresh: a run's own page at its set pace, a viewer's slower
as more viewers watch the same run (gan_core/jobs/watchers.py), in steps of a doubling so that
the pace changes seldom (each change costs the page one full rerun, as a fragment's interval
is fixed when its page runs)."""

from __future__ import annotations

import uuid

import streamlit as st

from gan_core.jobs.watchers import shared_watchers
from ui.session import current_access, is_viewer

# Viewers of one run that refresh at the page's own pace; twice as many refresh half as often,
# and so on: 20 viewers kept the trainer at 88% of its speed alone on two cores (measured).
VIEWERS_AT_FULL_PACE = 20
MAX_SLOWDOWN = 8  # at most 8x slower: a status every 16 s still shows a run moving


def factor_for(watching: int) -> int:
    """The doubling (1, 2, 4 or 8) for `watching` viewers of one run: the smallest that keeps
    their reruns near those of VIEWERS_AT_FULL_PACE at full pace, at most MAX_SLOWDOWN."""
    factor = 1
    while factor < MAX_SLOWDOWN and watching > VIEWERS_AT_FULL_PACE * factor:
        factor *= 2
    return factor


def slowdown() -> int:
    """1 for a run's own page; for a viewer link `factor_for` the run's viewers now (this
    session noted as one of them)."""
    if not is_viewer():
        return 1
    access = current_access()
    key = st.session_state.setdefault("watcher_key", uuid.uuid4().hex)
    return factor_for(shared_watchers().seen(access.job_id, key) if access is not None else 1)


def refresh_seconds(base: float) -> float:
    """`base` seconds times this session's slowdown, noted in session state: a fragment reads
    `pace_changed()` to ask for the full rerun that sets its new interval."""
    factor = slowdown()
    st.session_state["refresh_factor"] = factor
    return base * factor


def pace_changed() -> bool:
    """Whether this viewer's slowdown differs from the one its page's fragments were made with."""
    return is_viewer() and slowdown() != st.session_state.get("refresh_factor", 1)
