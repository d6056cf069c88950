"""Who this browser is, which run its pages show, and whether it may control that run.

Every browser holds a seat (gan_core.jobs.seats): a token kept in a first-party cookie, so it
survives refreshes and page switches, and never in the address bar, so a projected screen shows
nothing that controls a run. The first visit makes the token and sets the cookie with one line
of the app's own script; later sessions read it from the request (`st.context.cookies`).
Opening the app with `?teacher=<token>` gives this seat the teacher's seat (the parameter is
removed from the address bar at once).

A run belongs to the seat that started it: a refresh finds the seat's newest run again. `?view=`
carries a viewer token, which shows a run read-only to anyone. Reading goes through
`current_run()` (the Trainer for its owner or the teacher, a ReadOnlyJob for anyone else); every
control calls `controlled_trainer()`, which asks the pool whether this seat may control the
run at the moment of the call, not only by hiding buttons.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st

from gan_core.jobs.pool import TrainerPool
from gan_core.jobs.seats import Seat, is_seat_token, may_see, new_seat_token, seat_id
from gan_core.jobs.server import shared_classroom, shared_pool
from gan_core.jobs.sharing import VIEWER, Access, ReadOnlyJob
from gan_core.run.snapshot import Board, SeriesFollower, Snapshot
from gan_core.store.run_owner import read_owner
from ui.keras_guard import keep_keras_state

keep_keras_state()  # pages run standalone too

OWNER = "owner"  # the role of a session that shows its own run (or the teacher)
SEAT_COOKIE = "gan_lab_seat"
SEAT_COOKIE_DAYS = 365
VIEWER_QUERY_KEY = "view"
TEACHER_QUERY_KEY = "teacher"
RETIRED_QUERY_KEYS = ("run",)  # the owner links of older versions: they open nothing now
READ_ONLY_CAPTION = "Viewing a shared run: read-only"
UNKNOWN_LINK = (
    "This run link is unknown or has expired (the run was forgotten an hour after it ended, the "
    "owner renewed the link, or the server restarted); ask for a new link, or start a run of your own."
)
# The other pages' addresses (their file names), cut off to find the Train page's address.
_OTHER_PAGES = {p.stem for p in (Path(__file__).resolve().parents[1] / "app_pages").glob("*.py")} - {"train"}


def trainer_pool() -> TrainerPool:
    """The server-wide TrainerPool every session shares. When it cannot be made (a bad
    GAN_LAB_RAY_ADDRESS or class limit, no Ray cluster there) the page shows that one line and
    stops; the next page run tries again."""
    from gan_core.config.tree import ConfigError

    try:
        return shared_pool()
    except (ConfigError, ConnectionError) as e:
        st.error(str(e))
        st.stop()


def _seat_token() -> str:
    """This browser's seat token: kept in session state, else from its cookie, else a new one
    (and the cookie that keeps it is set)."""
    token = st.session_state.get("seat_token")
    if token:
        return token
    cookie = (st.context.cookies or {}).get(SEAT_COOKIE)
    if is_seat_token(cookie):
        token = cookie
    else:
        token = new_seat_token()
        # Our own constant script and a token of [A-Za-z0-9_-]: nothing from a browser is inserted.
        st.html(
            f"<script>document.cookie='{SEAT_COOKIE}={token}; Path=/; "
            f"Max-Age={SEAT_COOKIE_DAYS * 86400}; SameSite=Strict';</script>",
            unsafe_allow_javascript=True,
        )
    st.session_state["seat_token"] = token
    return token


def current_seat() -> Seat:
    """This browser's seat, the teacher's once it opened the teacher link (which this call
    removes from the address bar; a wrong token is remembered as one line to show)."""
    token = _seat_token()
    sid = seat_id(token)
    offered = st.query_params.get(TEACHER_QUERY_KEY)
    if offered is not None:
        st.query_params.pop(TEACHER_QUERY_KEY, None)
        if not shared_classroom().claim_teacher(offered, sid):
            st.session_state["teacher_refused"] = "That teacher link is not this server's: nothing changed."
    for key in RETIRED_QUERY_KEYS:
        st.query_params.pop(key, None)
    return Seat(sid, shared_classroom().is_teacher(sid))


def is_teacher() -> bool:
    """Whether this browser holds the teacher's seat."""
    return current_seat().teacher


UPLOADS_OFF = "The teacher has turned uploads off for this class."


def uploads_allowed() -> bool:
    """Whether this browser may upload its own files (images, points, generators): the class's
    rule (the teacher's always may)."""
    return current_seat().teacher or shared_classroom().rules().uploads_allowed


def may_see_run(run_path) -> bool:
    """Whether this browser may see the run folder `run_path` (its own; every run for the
    teacher; a run without an owner, made on the command line, for everyone; others' where the
    teacher allows it): the Runs page's rule, for the other pages
    that list runs."""
    return may_see(current_seat(), read_owner(run_path), shared_classroom().rules().students_see_others)


def current_access() -> Access | None:
    """The run this session shows: its own (the one it started here, else this seat's newest,
    e.g. after a refresh), else what the URL's ?view= token opens; None when there is none."""
    pool = trainer_pool()
    seat = current_seat()
    own = st.session_state.get("trainer_id")
    if not (own and pool.get(own) is not None and pool.may_control(own, seat)):
        own = pool.latest(seat.id)
    if own:
        st.session_state["trainer_id"] = own
        return Access(own, OWNER)
    return pool.open_link(st.query_params.get(VIEWER_QUERY_KEY))


def current_id() -> str | None:
    """The id of the run this session shows (owned or viewed), or None."""
    access = current_access()
    return access.job_id if access else None


def is_viewer() -> bool:
    """Whether this session shows a run through a viewer link (read-only)."""
    access = current_access()
    return access is not None and access.role == VIEWER


def link_problem() -> str | None:
    """UNKNOWN_LINK when the URL carries a viewer token that opens nothing (and this session has
    no run of its own), else None."""
    return UNKNOWN_LINK if st.query_params.get(VIEWER_QUERY_KEY) and current_access() is None else None


def current_run():
    """The run this session shows, for reading: the Trainer for its owner or the teacher, a
    ReadOnlyJob for anyone else, None without one. Looking marks it seen, so the pool's idle
    sweep spares it."""
    access = current_access()
    if access is None:
        return None
    pool = trainer_pool()
    pool.touch(access.job_id)
    job = pool.get(access.job_id)
    if job is None or pool.may_control(access.job_id, current_seat()):
        return job
    return ReadOnlyJob(job)


def controlled_trainer():
    """The Trainer this session may change (pause, stop, hacks, roll-back): its own run or, for
    the teacher, any; None for a viewer or without a run. Every control calls it when it acts."""
    access = current_access()
    if access is None:
        return None
    return trainer_pool().control(access.job_id, current_seat())


def remember(trainer_id: str) -> None:
    """Make `trainer_id` this session's run (kept in session state; a refresh finds it through
    the seat). Any viewer token leaves the address bar: this session now shows its own run."""
    st.session_state["trainer_id"] = trainer_id
    st.query_params.pop(VIEWER_QUERY_KEY, None)


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
    token = trainer_pool().viewer_token(trainer_id)
    return f"{train_page_url()}?{VIEWER_QUERY_KEY}={token}" if token else None


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
def _server_log_once() -> None:
    import logging

    logger = logging.getLogger("gan_core")
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler()  # stderr: the console `make run` started the server in
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)


def keep_server_log() -> None:
    """Once per server: the library's INFO lines (who deleted which run, by seat id; a quality
    judge trained) go to the server's console with their time, the class's record of them."""
    _server_log_once()


@st.cache_resource(show_spinner=False)
def _prewarm_once() -> None:
    from gan_core.config.presets import DEFAULT_PRESET
    from gan_core.config.tree import ConfigError
    from gan_core.jobs.server import preload_page_imports, shared_classroom
    from gan_core.step.cache import prewarm_preset

    # As many copies as trainings may run at once: a class's first Starts come together.
    try:
        copies = shared_classroom().rules().max_trainings
    except ConfigError:  # a bad class limit in the environment: the pages say so in one line
        copies = 1
    preload_page_imports(after=prewarm_preset(DEFAULT_PRESET, copies=copies))


def warm_default_step() -> None:
    """Once per server, trace the default preset's training step in the background, so the
    class's first Start shows a grid within about a second, then import what pages import on
    first use (gan_core.jobs.server.PAGE_IMPORTS) (GAN_LAB_PREWARM=0 turns both off; a bad
    value is one warning line and no warm-up)."""
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
