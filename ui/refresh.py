"""How often a page's live parts refresh: a run's own page at its set pace, a viewer's slower
as more viewers watch the same run (gan_core/jobs/watchers.py), and in a class every other
refreshing page (a queued run's, the Runs page, a lesson's check) slower as more sessions
refresh at all, in steps of a doubling so that the pace changes seldom (each change costs the
page one full rerun, as a fragment's interval is fixed when its page runs). The teacher's pages
and a student's own training, while it trains, keep their pace: they are what the class watches."""

from __future__ import annotations

import uuid

import streamlit as st

from gan_core.jobs.watchers import CROWD, shared_crowd, shared_watchers
from ui.session import current_access, is_teacher, is_viewer

# Viewers of one run that refresh at the page's own pace; twice as many refresh half as often,
# and so on: 20 viewers kept the trainer at 88% of its speed alone on two cores (measured).
VIEWERS_AT_FULL_PACE = 20
MAX_SLOWDOWN = 8  # at most 8x slower: a status every 16 s still shows a run moving
# Sessions of a server whose pages refresh at their own pace; beyond, by doublings, at most
# MAX_CROWD_SLOWDOWN (the Runs page every 20 s: within the crowd's 30 s window, so a paced page
# is still counted). Thirty students polling a queued run's status every 2 s, its panels every
# 4 s and the Runs page every 5 s were tens of page runs a second beside the teacher's training.
SESSIONS_AT_FULL_PACE = 10
MAX_CROWD_SLOWDOWN = 4


def factor_for(watching: int) -> int:
    """The doubling (1, 2, 4 or 8) for `watching` viewers of one run: the smallest that keeps
    their reruns near those of VIEWERS_AT_FULL_PACE at full pace, at most MAX_SLOWDOWN."""
    factor = 1
    while factor < MAX_SLOWDOWN and watching > VIEWERS_AT_FULL_PACE * factor:
        factor *= 2
    return factor


def crowd_factor(sessions: int) -> int:
    """The doubling (1, 2 or 4) for `sessions` refreshing sessions on the server: the smallest
    that keeps their reruns near those of SESSIONS_AT_FULL_PACE at full pace, at most
    MAX_CROWD_SLOWDOWN."""
    factor = 1
    while factor < MAX_CROWD_SLOWDOWN and sessions > SESSIONS_AT_FULL_PACE * factor:
        factor *= 2
    return factor


def slowdown(full_pace: bool = False) -> int:
    """This session's slowdown (the session noted as one of the server's refreshing crowd):
    for a viewer link `factor_for` the run's viewers now; 1 for the teacher and where
    `full_pace` (a student's own training while it trains); else `crowd_factor` of the
    sessions refreshing now."""
    key = st.session_state.setdefault("watcher_key", uuid.uuid4().hex)
    crowd = shared_crowd().seen(CROWD, key)
    if is_viewer():
        access = current_access()
        return factor_for(shared_watchers().seen(access.job_id, key) if access is not None else 1)
    if full_pace or is_teacher():
        return 1
    return crowd_factor(crowd)


def refresh_seconds(base: float, full_pace: bool = False) -> float:
    """`base` seconds times this session's slowdown (see `slowdown`), noted in session state:
    a fragment reads `pace_changed()` to ask for the full rerun that sets its new interval."""
    factor = slowdown(full_pace)
    st.session_state["refresh_factor"] = factor
    return base * factor


def pace_changed(full_pace: bool = False) -> bool:
    """Whether this session's slowdown differs from the one its page's fragments were made with."""
    return slowdown(full_pace) != st.session_state.get("refresh_factor", 1)
