"""The Train page's Health panel (ganhacks #10, "track failures early"): the step's own
health figures and the named warnings with the hack to try. Reads a Snapshot only."""

from __future__ import annotations

import streamlit as st

from gan_core.run import health_watch as health
from gan_core.run.snapshot import Snapshot


def health_lines(snap: Snapshot) -> list[str]:
    """The panel's figures as short lines (empty before the first step)."""
    fig = health.figures(health.recent_rows(snap.series))
    if not fig:
        return []
    return [
        f"Gradient norm D {fig['d_grad_norm']:.1f} · G {fig['g_grad_norm']:.1f} "
        f"(warning above {health.GRAD_LIMIT:.0f})",
        f"D's mean verdict (0 fake, 1 real): real {fig['d_prob_real']:.2f} · fake {fig['d_prob_fake']:.2f} "
        f"(D wins: fake ≤ {health.D_WINS_FAKE_PROB} with real ≥ {health.D_WINS_REAL_PROB})",
        f"D loss {fig['d_loss']:.3f} · variance {fig['d_loss_var']:.4f} over the last {fig['steps']} steps",
    ]


def draw_health(snap: Snapshot) -> None:
    """A small "Health" panel: figures, then each named warning with its suggested hack."""
    with st.expander("Health", expanded=bool(snap.health_events)):
        lines = health_lines(snap)
        if not lines:
            st.caption("Health figures appear after the first steps.")
        for line in lines:
            st.caption(line)
        if not snap.health_events:
            st.caption("No health warning so far.")
        for event in snap.health_events[-4:]:
            st.warning(f"**{event['name']}** at step {event['step']}: {event['detail']} Try: {event['hack']}")
