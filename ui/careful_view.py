"""The Compare page's view of a careful comparison (three seeds per arm): status, the verdict
against the seeds' spread, one seed pair's grids, and the curves and quality as bands.

Every function takes each arm's snapshots (one per seed, in the job's `seeds` order) and the
job's CompareStatus; none touches the job or Keras. The figures come from
ui/figures/careful.py, the grids from ui/compare_view.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from gan_core.compare.spread import careful_verdict
from gan_core.compare.status import CompareStatus
from gan_core.run.snapshot import Snapshot
from ui.compare_view import show_grids, show_progress
from ui.figures import careful as figures

SEED_KEY = "compare_grid_seed"


def show_status(
    snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], status: CompareStatus, seeds: Sequence[int]
) -> None:
    """The progress bar (steps and mean training seconds per run), the message, and each run's
    latest warning, named by arm and seed."""
    runs = len(snaps_a) + len(snaps_b)
    show_progress(status, "run", f" ({runs} runs: {len(snaps_a)} seeds each for A and B)")
    for arm, snaps in (("A", snaps_a), ("B", snaps_b)):
        for seed, snap in zip(seeds, snaps):
            if snap.warnings:
                st.warning(f"{arm}, seed {seed}: {snap.warnings[-1]}")


def show_verdict(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], status: CompareStatus) -> None:
    """The verdict against the seeds' spread once finished, or "so far" when stopped after an
    epoch."""
    if status.state == "finished":
        st.success(f"Verdict: {careful_verdict(snaps_a, snaps_b).text}")
    elif status.state == "stopped" and any(s.epochs for s in (*snaps_a, *snaps_b)):
        st.info(f"Stopped early. So far: {careful_verdict(snaps_a, snaps_b).text}")


def show_seed_grids(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], seeds: Sequence[int]) -> None:
    """The grids of one seed's pair (a choice of seed above them), as a plain comparison shows them."""
    seed = st.radio(
        "Grids of seed",
        list(seeds),
        horizontal=True,
        key=SEED_KEY,
        help="A and B of one seed start from the same weights and draw the same latent points.",
    )
    i = list(seeds).index(seed) if seed in seeds else 0
    show_grids(snaps_a[i], snaps_b[i])


def show_curves(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot]) -> None:
    """Each arm's losses and D's accuracies over its seeds, as a mean line in a band."""
    st.plotly_chart(figures.loss_figure(snaps_a, snaps_b), key="compare_losses", width="stretch")
    st.caption("With label smoothing, real targets above 1 make D's loss dip below zero: expected, not a bug.")
    st.plotly_chart(figures.accuracy_figure(snaps_a, snaps_b), key="compare_accuracy", width="stretch")


def show_quality(snaps_a: Sequence[Snapshot], snaps_b: Sequence[Snapshot], seeds: Sequence[int]) -> None:
    """The quality figures per epoch as bands over the seeds, and the last epoch seed by seed;
    nothing until one was measured."""
    if not any(e.quality for s in (*snaps_a, *snaps_b) for e in s.epochs):
        return
    st.plotly_chart(figures.quality_figure(snaps_a, snaps_b), key="compare_quality", width="stretch")
    st.plotly_chart(figures.distance_figure(snaps_a, snaps_b), key="compare_distance", width="stretch")
    st.caption("Each seed's last measured epoch; the last row: mean (lowest–highest seed).")
    st.dataframe(figures.seed_rows(snaps_a, snaps_b, seeds), hide_index=True, key="compare_seed_table")


def draw_careful(
    snaps_a: Sequence[Snapshot],
    snaps_b: Sequence[Snapshot],
    status: CompareStatus,
    seeds: Sequence[int],
    beside=None,
) -> None:
    """The whole careful view, top to bottom: status, verdict, grids, curves, quality. `beside`,
    when given, draws what stands beside the verdict (the student's prediction), as on a plain
    comparison (ui/compare_view.py: draw)."""
    show_status(snaps_a, snaps_b, status, seeds)
    if beside is None:
        show_verdict(snaps_a, snaps_b, status)
    else:
        verdict_column, beside_column = st.columns(2)
        with verdict_column:
            show_verdict(snaps_a, snaps_b, status)
        with beside_column:
            beside()
    show_seed_grids(snaps_a, snaps_b, seeds)
    show_curves(snaps_a, snaps_b)
    show_quality(snaps_a, snaps_b, seeds)
