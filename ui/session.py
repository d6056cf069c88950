"""Which trainer belongs to this browser session, across refreshes.

The trainer id lives in the URL (?run=<id>), so a refresh - a new Streamlit session -
finds the same trainer in the server-wide pool instead of starting a second one.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from gan_core.training.pool import TrainerPool, shared_pool
from gan_core.training.snapshot import Board, SeriesFollower, Snapshot
from gan_core.training.trainer import Trainer
from ui.keras_guard import keep_keras_state

keep_keras_state()  # pages run standalone too

QUERY_KEY = "run"


def trainer_pool() -> TrainerPool:
    """The server-wide TrainerPool every session shares. When it cannot be made (a bad
    GAN_LAB_RAY_ADDRESS, no Ray cluster there) the page shows that one line and stops; the
    next page run tries again."""
    from gan_core.config import ConfigError

    try:
        return shared_pool()
    except (ConfigError, ConnectionError) as e:
        st.error(str(e))
        st.stop()


def current_id() -> str | None:
    """This session's trainer id (from session state or the URL's ?run=), if the pool still
    holds that trainer; else None.
    """
    trainer_id = st.session_state.get("trainer_id") or st.query_params.get(QUERY_KEY)
    if trainer_id and trainer_pool().get(trainer_id) is not None:
        st.session_state["trainer_id"] = trainer_id
        return trainer_id
    return None


def current_trainer() -> Trainer | None:
    """This session's Trainer, or None; looking marks it seen, so the pool's idle sweep spares it."""
    trainer_id = current_id()
    pool = trainer_pool()
    pool.touch(trainer_id)
    return pool.get(trainer_id)


def remember(trainer_id: str) -> None:
    """Make `trainer_id` this session's trainer, in session state and in the URL (?run=)."""
    st.session_state["trainer_id"] = trainer_id
    st.query_params[QUERY_KEY] = trainer_id


def followed_snapshot(board: Board, key: str) -> Snapshot:
    """A board's snapshot for drawing, its per-step series taken from this session's follower
    (kept under session_state[key]), which copies only the rows added since the last draw."""
    held = st.session_state.get(key)
    if held is None or held[0] is not board:
        held = (board, SeriesFollower())  # another run: follow it from its first row
        st.session_state[key] = held
    series = held[1].update(board)
    return replace(board.snapshot(series=False), series=series)
