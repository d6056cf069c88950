"""Exercise links, the Streamlit side: take a page's link once, hide and lock its controls, and
the "Copy exercise link" popover with its hide/lock picker. Reading and writing a link's query
is gan_core/config/exercise.py; what each page's link holds is its own module there
(`train_config`, gan_core.toy.exercise, gan_core.compare.exercise).

A link is applied once per session: when the page first sees its query, and again only when
Streamlit dropped the page's widgets (it does on a visit to another page, which a page tells by
`present`). A student's changes are never overwritten by the same link on a rerun. The link
stays the page's exercise for the session (`Exercise`), so its hidden and locked controls stay
fixed: a hidden control is not drawn and a locked one is drawn disabled, and their values come
from the link's config, whatever a crafted message might send.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from gan_core.config.exercise_link import ALL, ExerciseLink, PageRules, link_query, read_link
from gan_core.config.tree import ConfigError

_ACTIVE = "exercise:{}"  # session-state keys, one per page
_SEEN = "exercise_seen:{}"
_ERROR = "exercise_error:{}"
REFUSED = "This exercise link was not applied: {}"
FIXED_NOTE = "Opened from an exercise link: some settings are fixed by it."


@dataclass(frozen=True)
class Exercise:
    """A page's exercise in this session: the link and what it set up (`setup`: a config, or
    the Compare page's CompareSetup)."""

    link: ExerciseLink
    setup: Any

    def hides(self, name: str) -> bool:
        """Whether the control `name` is not drawn."""
        return self.link.hides(name)

    def locks(self, name: str) -> bool:
        """Whether the control `name` is fixed (drawn disabled, or hidden)."""
        return self.link.locks(name)


def _query() -> dict[str, list[str]]:
    return {name: st.query_params.get_all(name) for name in st.query_params}


def _digest(query: dict[str, list[str]]) -> str:
    return hashlib.sha256(repr(sorted(query.items())).encode()).hexdigest()


def active(page: str) -> Exercise | None:
    """The exercise the page `page` has in this session, or None."""
    return st.session_state.get(_ACTIVE.format(page))


def leave(page: str) -> None:
    """Forget the page's exercise (another setup was handed to the page: a guide card's pair)."""
    st.session_state.pop(_ACTIVE.format(page), None)


def take_link(
    rules: PageRules,
    setup: Callable[[ExerciseLink], Any],
    fill: Callable[[Exercise], None],
    present: Callable[[], bool],
) -> Exercise | None:
    """Read the page's link and apply it once: `setup(link)` checks it and makes what it sets up
    (ConfigError: the page shows that one line and nothing is applied), `fill(exercise)` writes
    the controls' values into session state before they are drawn. Applies again only when
    `present()` says the page's widgets are gone (Streamlit drops them on a page switch).
    Returns the page's exercise (from this link or an earlier one), or None."""
    page = rules.name
    query = _query()
    digest = _digest(query)
    if st.session_state.get(_SEEN.format(page)) != digest:
        st.session_state[_SEEN.format(page)] = digest
        try:
            link = read_link(query, rules)
            if link is not None:
                exercise = Exercise(link, setup(link))
                st.session_state[_ACTIVE.format(page)] = exercise
                st.session_state.pop(_ERROR.format(page), None)
                fill(exercise)
                return exercise
        except ConfigError as e:
            st.session_state[_ERROR.format(page)] = REFUSED.format(e)
    exercise = active(page)
    if exercise is not None and not present():
        fill(exercise)
    return exercise


def show_notes(page: str) -> None:
    """The refused link's one line, or a note that the link fixes some settings."""
    error = st.session_state.get(_ERROR.format(page))
    if error:
        st.error(error)
    exercise = active(page)
    if exercise is not None and exercise.link.fixes_any:
        st.caption(FIXED_NOTE)


def fixed(cfg, exercise: Exercise | None, names: Sequence[str]):
    """`cfg` with every hidden or locked setting among `names` set to the exercise's value
    (what a hidden control's missing widget, or a disabled one, cannot be trusted to hold)."""
    if exercise is None:
        return cfg
    for key in names:
        if exercise.locks(key):
            section, _, name = key.partition(".")
            cfg = cfg.with_value(key, getattr(getattr(exercise.setup, section), name))
    return cfg


def link_popover(
    page: str,
    address: str,
    controls: Sequence[tuple[str, str]],
    build: Callable[[frozenset, frozenset], ExerciseLink | None],
    notes: Sequence[str] = (),
    unavailable: str | None = None,
) -> None:
    """The "Copy exercise link" popover: pickers of the controls to hide and to lock
    (`controls`: (name, label) pairs), and the link `build(hide, lock)` makes of what the page
    shows, at `address` (the page's own), in a code box with a copy button; `build` returns None
    while the page's settings have an error. `notes`: one line each on what the link leaves out;
    `unavailable`: the one line shown instead of a link when what the page shows has none."""
    exercise = active(page)
    names = [ALL, *(name for name, _ in controls)]
    labels = {ALL: "every control", **dict(controls)}
    with st.popover("Copy exercise link", icon=":material/link:"):
        if unavailable:
            st.info(unavailable)
            return
        st.caption(
            "A link that opens this page set up exactly as it is now: same preset, settings, seed "
            "and data set. Pick controls to hide or to lock (shown, but fixed)."
        )
        hide = st.multiselect(
            "Hide these controls",
            names,
            default=sorted(exercise.link.hide) if exercise else [],
            format_func=labels.get,
            key=f"{page}_link_hide",
        )
        lock = st.multiselect(
            "Lock these controls",
            names,
            default=sorted(exercise.link.lock) if exercise else [],
            format_func=labels.get,
            key=f"{page}_link_lock",
        )
        link = build(frozenset(hide), frozenset(lock))
        if link is None:
            st.warning("Fix the settings' errors first: a link carries only a setup that can start.")
            return
        st.code(f"{address}?{link_query(link)}", language=None, wrap_lines=True)
        for note in notes:
            st.caption(note)
