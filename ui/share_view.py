"""The Train page's Share button: the run's viewer link and owner link, ready to copy."""

from __future__ import annotations

import streamlit as st

from ui.session import controlled_trainer, current_id, owner_link, viewer_link

SHARE_HELP = (
    "Anyone with the viewer link watches this run live, read-only; the owner link can pause, stop "
    "and change it, so keep that one to yourself."
)


def render_share() -> None:
    """A "Share" popover with the viewer link and the owner link (st.code: each has a copy
    button) and one line on who can do what; nothing when this session controls no run."""
    trainer_id = current_id()
    if trainer_id is None or controlled_trainer() is None:
        return
    viewer, owner = viewer_link(trainer_id), owner_link(trainer_id)
    if viewer is None or owner is None:
        return
    with st.popover("Share", icon=":material/share:"):
        st.caption(SHARE_HELP)
        st.markdown("**Viewer link** (read-only)")
        st.code(viewer, language=None)
        st.markdown("**Owner link** (controls the run)")
        st.code(owner, language=None)
