"""Each page's side of its exercise link (ui/exercise_view.py): what the link fills in before
the page's widgets are drawn, how the page tells its widgets are still there, and the "Copy
exercise link" popover built from what the page shows.

Train: the preset, the Dataset select and every control ("ctl:<key>"). 2D playground: its
preset, its data select and its controls ("toy:<key>"). Compare: the card select, the seconds
per arm, the careful toggle and the Advanced boxes (gan_core.compare.exercise).
"""

from __future__ import annotations

import streamlit as st

from gan_core.compare.exercise import CONTROLS as COMPARE_CONTROLS
from gan_core.compare.exercise import compare_rules, link_setup, setup_link
from gan_core.config.exercise import train_config, train_link, train_rules
from gan_core.config.exercise_link import ExerciseLink
from gan_core.config.presets import DEFAULT_PRESET
from gan_core.config.settings import IMAGE, TOY, settings
from gan_core.data import describe_sources
from gan_core.toy.exercise import PLAYGROUND, toy_config, toy_link
from gan_core.toy.presets import DEFAULT_TOY_PRESET
from ui.exercise_view import Exercise, leave, link_popover, take_link
from ui.session import train_page_url

TRAIN, COMPARE, TOY_PAGE = "train", "compare", "playground"
BRANCH_NOTE = (
    "A branch starts from a saved run's checkpoint on this server, which no link carries: pick a card to make a link."
)
UPLOAD_NOTE = "Your uploaded images are not in the link: it opens on the preset's data set."
COMPARE_LABELS = {
    "card": "Practice or hack (the card)",
    "seconds": "Seconds per arm",
    "careful": "Careful (3 seeds per arm)",
    "overrides": "Advanced overrides",
}


def _controls(scope: str) -> list[tuple[str, str]]:
    return [(s.key, s.label) for s in settings(scope) if s.on_page]


# -- Train ---------------------------------------------------------------------------------------
def _fill_train(exercise: Exercise) -> None:
    from ui.control_specs import widget_values

    state = st.session_state
    state["preset"] = exercise.link.preset or DEFAULT_PRESET
    state.update(widget_values(exercise.setup))
    state["dataset"] = exercise.setup.data.source


def train_exercise() -> Exercise | None:
    """Apply the Train page's link once (before its sidebar is drawn); its exercise or None."""
    return take_link(
        train_rules(tuple(describe_sources())), train_config, _fill_train, lambda: "preset" in st.session_state
    )


def train_base(exercise: Exercise | None, preset_name: str):
    """The config the Train page's controls are applied to: the exercise's (its seed and the
    settings no control shows) while the preset is still the link's, else the preset's."""
    from gan_core.config.presets import preset

    if exercise is not None and preset_name == (exercise.link.preset or DEFAULT_PRESET):
        return exercise.setup
    return preset(preset_name)


def train_popover(cfg) -> None:
    """ "Copy exercise link" on the Train page, from the preset and `cfg` (None while the
    settings have an error); an uploaded data set is left out of the link, which says so."""
    preset_name = st.session_state.get("preset", DEFAULT_PRESET)
    source = cfg.data.source if cfg is not None else st.session_state.get("dataset", "")
    data = source if source in describe_sources() else ""

    def build(hide, lock) -> ExerciseLink | None:
        """The link of what the sidebar shows, with the controls to hide and lock; None on a settings error."""
        return None if cfg is None else train_link(preset_name, cfg, data, hide, lock)

    link_popover(TRAIN, train_page_url(), _controls(IMAGE), build, notes=() if data else (UPLOAD_NOTE,))


# -- 2D playground ---------------------------------------------------------------------------------
def _fill_toy(exercise: Exercise) -> None:
    from ui.playground_view import DATASETS, control_values

    state = st.session_state
    state["toy_preset"] = exercise.link.preset or DEFAULT_TOY_PRESET
    state.update(control_values(exercise.setup))
    label = {name: label for label, name in DATASETS.items()}.get(exercise.setup.data.dataset)
    if label is not None:
        state["toy_dataset"] = label
    state["toy_playing"] = False
    state.pop("toy_trainer_key", None)  # fresh networks for the link's setup
    state.pop("toy_loaded", None)


def toy_exercise() -> Exercise | None:
    """Apply the playground's link once (before its defaults and widgets); its exercise or None.
    A pair from the Hacks guide ("Watch it in 2D") replaces it."""
    if "toy_preload" in st.session_state:
        leave(TOY_PAGE)
        return None
    return take_link(PLAYGROUND, toy_config, _fill_toy, lambda: "toy_preset" in st.session_state)


def toy_base(exercise: Exercise | None, preset_name: str):
    """The ToyConfig the playground's controls are applied to: the exercise's while the preset
    is still the link's, else the preset's."""
    from gan_core.toy.presets import toy_preset

    if exercise is not None and preset_name == (exercise.link.preset or DEFAULT_TOY_PRESET):
        return exercise.setup
    return toy_preset(preset_name)


def toy_popover(cfg) -> None:
    """ "Copy exercise link" on the playground, from its preset and `cfg` (the ToyConfig shown)."""
    preset_name = st.session_state.get("toy_preset", DEFAULT_TOY_PRESET)
    notes = (
        ()
        if cfg.data.dataset in PLAYGROUND.datasets
        else ("Your own points are not in the link: it opens on the ring.",)
    )
    link_popover(
        TOY_PAGE,
        train_page_url() + TOY_PAGE,
        _controls(TOY),
        lambda hide, lock: toy_link(preset_name, cfg, hide, lock),
        notes=notes,
    )


# -- Compare ---------------------------------------------------------------------------------------
def _fill_compare(exercise: Exercise) -> None:
    setup = exercise.setup
    st.session_state.update(
        compare_card=setup.card,
        compare_seconds=int(setup.seconds) if float(setup.seconds).is_integer() else setup.seconds,
        compare_overrides_a=setup.lines_a,
        compare_overrides_b=setup.lines_b,
        compare_careful=setup.careful,
    )
    st.session_state.pop("compare_loaded", None)


def compare_exercise(default_card: str, default_seconds: float) -> Exercise | None:
    """Apply the Compare page's link once (before its controls); its exercise or None. A pair
    handed over by the Hacks guide or the Runs page replaces it."""
    if "compare_preload" in st.session_state:
        leave(COMPARE)
        return None
    return take_link(
        compare_rules(),
        lambda link: link_setup(link, default_card, default_seconds),
        _fill_compare,
        lambda: "compare_start" in st.session_state,  # the Start button is always drawn
    )


def compare_popover(
    card: str, loaded: dict | None, seconds: float, lines_a: str, lines_b: str, seed: int, careful: bool
) -> None:
    """ "Copy exercise link" on Compare, from its controls' values, the pair's seed and the
    careful toggle; a branch beside its parent (a saved run's checkpoint) has none."""
    branch = loaded is not None and loaded.get("branch")
    link_popover(
        COMPARE,
        train_page_url() + COMPARE,
        [(name, COMPARE_LABELS[name]) for name in COMPARE_CONTROLS],
        lambda hide, lock: setup_link(card, loaded, seconds, lines_a, lines_b, seed, hide, lock, careful),
        unavailable=BRANCH_NOTE if branch else None,
    )
