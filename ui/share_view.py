"""The Train page's Share button: the run's viewer link, ready to copy, and a way to renew it."""

from __future__ import annotations

import streamlit as st

from ui.session import controlled_trainer, current_id, current_seat, trainer_pool, viewer_link

SHARE_HELP = (
    "Anyone with this link watches the run live, read-only: nothing in it can change the run. Only "
    "this browser and the teacher control it. Renewing the link closes the old one."
)


def renew_link() -> None:
    """The Renew button: a fresh viewer link for this session's run (its owner or the teacher only)."""
    trainer_id = current_id()
    if trainer_id is not None:
        trainer_pool().renew_link(trainer_id, current_seat())


def render_share() -> None:
    """A "Share" popover with the viewer link (st.code: it has a copy button), one line on who
    can do what and a Renew button; nothing when this session controls no run."""
    trainer_id = current_id()
    if trainer_id is None or controlled_trainer() is None:
        return
    viewer = viewer_link(trainer_id)
    if viewer is None:
        return
    with st.popover("Share", icon=":material/share:"):
        st.caption(SHARE_HELP)
        st.markdown("**Viewer link** (read-only)")
        st.code(viewer, language=None)
        st.button("Renew the link", key="btn_renew_link", on_click=renew_link, help="The old link stops working.")
