"""Hacks guide: one card per DCGAN practice and training hack, then a symptom finder.

Registered by app.py under the title "Hacks guide"; also runs on its own with
`streamlit run app_pages/hacks_guide.py`.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

# Run on its own, Streamlit puts only app_pages/ on the import path.
from gan_core.guide import lookup as guide  # noqa: E402
from gan_core.guide.measured import measured_caption  # noqa: E402
from gan_core.guide.numbers import NUMBERS  # noqa: E402
from ui.figures.guide import activation_figure, generator_loss_figure, label_target_figure, overlap_figure

COMPARE_PAGE = Path(__file__).resolve().parent / "compare.py"
PLAYGROUND_PAGE = Path(__file__).resolve().parent / "playground.py"
FILTERS = {"All": "all", "Practices (next start)": "practices", "Live hacks": "hacks"}
_CHART_CONFIG = {"displayModeBar": False, "staticPlot": True}


def show_visual(card: guide.GuideCard) -> None:
    """The card's small illustration (activation, label targets, G's losses or kernel overlap), if it has one."""
    if card.visual == "activation":
        st.plotly_chart(activation_figure(), key=f"viz-{card.id}", config=_CHART_CONFIG)
    elif card.visual == "label_targets":
        st.plotly_chart(label_target_figure(), key=f"viz-{card.id}", config=_CHART_CONFIG)
    elif card.visual == "generator_loss":
        st.plotly_chart(generator_loss_figure(), key=f"viz-{card.id}", config=_CHART_CONFIG)
    elif card.visual == "overlap":
        uneven, even = int(NUMBERS["kernel_uneven"]), int(NUMBERS["kernel_even"])
        left, right = st.columns(2)
        with left:
            st.plotly_chart(overlap_figure(uneven), key=f"viz-{card.id}-{uneven}", config=_CHART_CONFIG)
        with right:
            st.plotly_chart(overlap_figure(even), key=f"viz-{card.id}-{even}", config=_CHART_CONFIG)
        st.caption(f"Taps per output pixel: uneven with {uneven}x{uneven} (checkerboard), even with {even}x{even}.")


# -- cards -----------------------------------------------------------------------------
def open_compare(card: guide.GuideCard) -> None:
    """Hand the card's pair to the Compare page; say so plainly when that page is missing."""
    st.session_state["compare_preload"] = guide.compare_preload(card)
    if not COMPARE_PAGE.exists():
        st.info("The pair is saved for the Compare page, but this app has no Compare page yet.")
        return
    try:
        st.switch_page(COMPARE_PAGE)
    except StreamlitAPIException:
        # Run on its own, this page is the whole app and Compare is not one of its pages.
        st.info("The pair is saved: open the Compare page from the app's menu to run it.")


def open_playground(preset_name: str) -> None:
    """Open the 2D playground on the ring with a preset that shows the symptom."""
    st.session_state["toy_preload"] = preset_name
    try:
        st.switch_page(PLAYGROUND_PAGE)
    except StreamlitAPIException:
        st.info("Saved: open the 2D playground from the app's menu to watch it.")


def show_card(card: guide.GuideCard) -> None:
    """One card: what, why, on/off values, sources, what was measured here, and its Try it button."""
    with st.container(border=True):
        st.subheader(card.title, anchor=card.id)
        when = "applies live, while training" if card.applies == guide.LIVE else "applies at the next start"
        controls = ", ".join(f"**{c}**" for c in (card.control, *card.related_controls))
        st.markdown(f"Train page control: {controls} · {when}")
        text, visual = st.columns([3, 2]) if card.visual else (st.container(), None)
        with text:
            st.markdown(f"**What it is.** {card.what}")
            st.markdown(f"**Why it helps.** {card.why}")
            caption = measured_caption(card.id, card.measured)
            if caption:
                st.caption(caption)
            st.markdown(f"**On:** {card.on}  \n**Off:** {card.off}")
            keys = ", ".join(f"`{k}`" for k in card.keys)
            st.caption(f"Config: {keys} · Source: {'; '.join(card.sources)}")
        if visual is not None:
            with visual:
                show_visual(card)
        if st.button(
            "Try it", key=f"try-{card.id}", help="Train this setting on and off side by side on the Compare page"
        ):
            open_compare(card)


def show_symptoms(shown_ids: set[str]) -> None:
    """The symptom finder: what a learner sees, what it means, links to the cards shown
    (`shown_ids`) and the sources of the explanation."""
    st.header("Symptoms", anchor="symptoms")
    st.write("What you see on the Train page, what usually causes it, and which cards help.")
    for s in guide.SYMPTOMS:
        with st.container(border=True):
            st.markdown(f"**{s.title}**" + (" - expected, not a fault" if s.expected else ""))
            st.markdown(f"{s.looks_like} {s.explanation}")
            st.markdown("Likely causes: " + "; ".join(s.causes) + ".")
            links = []
            for card_id in s.cards:
                title = guide.card(card_id).title
                links.append(f"[{title}](#{card_id})" if card_id in shown_ids else f"{title} (hidden by the filter)")
            st.markdown("Helps: " + " · ".join(links))
            st.caption("Source: " + "; ".join(s.sources))
            if s.playground_preset and st.button(
                "Watch it in 2D",
                key=f"watch-{s.id}",
                help="Open the 2D playground on the ring of 8 Gaussians with settings that collapse it, "
                "then press Play: the points pile onto a few modes and hop between them.",
            ):
                open_playground(s.playground_preset)


def main() -> None:
    """The page top-down: search and filter, the cards in their two eras, then the symptoms."""
    st.title("Hacks guide")
    st.write(
        "Every DCGAN practice and training hack the app can switch, with what it does, why it "
        "helps, where it comes from and which control on the Train page sets it. Practices "
        "shape the networks and take effect at the next start; hacks change the training step "
        "and apply live. **Try it** trains the setting on and off side by side, starting from "
        f"the `{guide.COMPARE_BASE_PRESET}` preset. The cards come in two groups: 2016's lists "
        "(the DCGAN practices and ganhacks) first, then the stabilizers that came after them."
    )
    st.info(guide.BATCH_NORM_PLACEMENT)
    st.markdown("[Jump to the symptoms](#symptoms)")
    left, right = st.columns([1, 1])
    with left:
        shown = st.radio("Show", list(FILTERS), horizontal=True, key="guide_filter")
    with right:
        query = st.text_input(
            "Search the cards", key="guide_search", placeholder="e.g. smoothing, checkerboard, beta_1"
        )
    cards = guide.filter_cards(FILTERS[shown], query)
    if not cards:
        st.warning(f"No card matches '{query}'.")
    for heading, members in guide.by_era(cards):
        st.header(heading)
        for card in members:
            show_card(card)
    show_symptoms({c.id for c in cards})


main()
