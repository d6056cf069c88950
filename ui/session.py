"""Which run this browser session shows, and whether it may control it.

A session that pressed Start owns its trainer (its id is kept server-side in session state).
The URL carries a link token, never the bare id: `?run=<owner token>` reattaches with full
control (a refresh, a second tab of the owner), `?view=<viewer token>` shows the run read-only.
Both tokens come from the pool (gan_core.jobs.sharing); a token the pool does not know
(mistyped, or the run was forgotten or the server restarted) opens nothing and the page says so.

Reading goes through `current_run()` (a Trainer for the owner, a ReadOnlyJob for a viewer);
every control calls `controlled_trainer()`, which is None for a viewer: the check is made on
the server at the moment of the call, not only by hiding buttons.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from gan_core.jobs.pool import TrainerPool
from gan_core.jobs.server import shared_pool
from gan_core.jobs.sharing import OWNER, VIEWER, Access, ReadOnlyJob
from gan_core.run.snapshot import Board, SeriesFollower, Snapshot
from ui.keras_guard import keep_keras_state

keep_keras_state()  # pages run standalone too

OWNER_QUERY_KEY = "run"
VIEWER_QUERY_KEY = "view"
READ_ONLY_CAPTION = "Viewing a shared run: read-only"
UNKNOWN_LINK = (
    "This run link is unknown or has expired (the run was forgotten an hour after it ended, or the "
    "server restarted); ask its owner for a new link, or start a run of your own."
)
# The other pages' addresses (their file names), cut off to find the Train page's address.
_OTHER_PAGES = {p.stem for p in (Path(__file__).resolve().parents[1] / "app_pages").glob("*.py")} - {"train"}


def trainer_pool() -> TrainerPool:
    """The server-wide TrainerPool every session shares. When it cannot be made (a bad
    GAN_LAB_RAY_ADDRESS, no Ray cluster there) the page shows that one line and stops; the
    next page run tries again."""
    from gan_core.config.tree import ConfigError

    try:
        return shared_pool()
    except (ConfigError, ConnectionError) as e:
        st.error(str(e))
        st.stop()


def current_access() -> Access | None:
    """This session's run and role: its own run (OWNER), else what the URL's ?run= or ?view=
    token opens; None when there is none or the pool no longer holds it."""
    pool = trainer_pool()
    own = st.session_state.get("trainer_id")
    if own and pool.get(own) is not None:
        return Access(own, OWNER)
    for key in (OWNER_QUERY_KEY, VIEWER_QUERY_KEY):
        # The role comes from the token, never from the parameter's name.
        access = pool.open_link(st.query_params.get(key))
        if access is not None:
            if access.can_control:
                st.session_state["trainer_id"] = access.job_id
            return access
    return None


def current_id() -> str | None:
    """The id of the run this session shows (owned or viewed), or None."""
    access = current_access()
    return access.job_id if access else None


def is_viewer() -> bool:
    """Whether this session shows a run through a viewer link (read-only)."""
    access = current_access()
    return access is not None and access.role == VIEWER


def link_problem() -> str | None:
    """UNKNOWN_LINK when the URL carries a run token that opens nothing (and this session has
    no run of its own), else None."""
    has_token = any(st.query_params.get(key) for key in (OWNER_QUERY_KEY, VIEWER_QUERY_KEY))
    return UNKNOWN_LINK if has_token and current_access() is None else None


def current_run():
    """The run this session shows, for reading: the Trainer for its owner, a ReadOnlyJob for a
    viewer, None without one. Looking marks it seen, so the pool's idle sweep spares it."""
    access = current_access()
    if access is None:
        return None
    pool = trainer_pool()
    pool.touch(access.job_id)
    job = pool.get(access.job_id)
    if job is None or access.can_control:
        return job
    return ReadOnlyJob(job)


def controlled_trainer():
    """The Trainer this session may change (pause, stop, hacks, roll-back); None for a viewer
    or without a run. Every control calls it when it acts."""
    access = current_access()
    if access is None or not access.can_control:
        return None
    return trainer_pool().get(access.job_id)


def current_trainer():
    """Alias of `controlled_trainer()`: the Trainer only for the session that may control it."""
    return controlled_trainer()


def remember(trainer_id: str) -> None:
    """Make `trainer_id` this session's own run: in session state, and its owner token in the URL (?run=)."""
    st.session_state["trainer_id"] = trainer_id
    tokens = trainer_pool().share_tokens(trainer_id)
    if tokens is not None:
        st.query_params.pop(VIEWER_QUERY_KEY, None)
        st.query_params[OWNER_QUERY_KEY] = tokens.owner


def train_page_url() -> str:
    """The Train page's address as this browser reached the server (scheme, host, port, path),
    without a query; "/" when the browser has not said (tests)."""
    url = st.context.url or ""
    if not url:
        return "/"
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if path.rsplit("/", 1)[-1] in _OTHER_PAGES:
        path = path.rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path}/"


def viewer_link(trainer_id: str) -> str | None:
    """The read-only link of run `trainer_id` (Train page + ?view=<token>), or None when the pool
    does not hold it. Anyone may be given it."""
    tokens = trainer_pool().share_tokens(trainer_id)
    return f"{train_page_url()}?{VIEWER_QUERY_KEY}={tokens.viewer}" if tokens else None


def owner_link(trainer_id: str) -> str | None:
    """The controlling link of run `trainer_id` (Train page + ?run=<token>), or None when the pool
    does not hold it. Show it only to a session that controls the run (`controlled_trainer()`)."""
    tokens = trainer_pool().share_tokens(trainer_id)
    return f"{train_page_url()}?{OWNER_QUERY_KEY}={tokens.owner}" if tokens else None


def followed_snapshot(board: Board, key: str) -> Snapshot:
    """A board's snapshot for drawing, its per-step series taken from this session's follower
    (kept under session_state[key]), which copies only the rows added since the last draw."""
    held = st.session_state.get(key)
    if held is None or held[0] is not board:
        held = (board, SeriesFollower())  # another run: follow it from its first row
        st.session_state[key] = held
    series = held[1].update(board)
    return replace(board.snapshot(series=False), series=series)


@st.cache_resource(show_spinner=False)
def _prewarm_once() -> None:
    from gan_core.config.presets import DEFAULT_PRESET
    from gan_core.step.cache import prewarm_preset

    prewarm_preset(DEFAULT_PRESET)


def warm_default_step() -> None:
    """Once per server, trace the default preset's training step in the background, so the
    class's first Start shows a grid within about a second (GAN_LAB_PREWARM=0 turns it off;
    a bad value is one warning line and no warm-up)."""
    import os

    from gan_core.config.tree import ConfigError
    from gan_core.step.cache import prewarm_wanted

    try:
        wanted = prewarm_wanted(os.environ)
    except ConfigError as e:
        st.warning(str(e))
        return
    if wanted:
        _prewarm_once()
