"""The Hacks guide's lookups over its cards (texts in cards.py) and symptoms
(symptoms.py): find a card, filter, build Compare's with/without pair.

Each card names the exact config keys it is about and a pair of overrides ("a" with the
practice, "b" without) that the Compare page applies to the dcgan-hacks preset, so the
guide, the Train page and the comparisons all speak of the same settings.
"""

from __future__ import annotations

from typing import Any

from gan_core.config.presets import preset
from gan_core.config.settings import controls
from gan_core.config.tree import TrainConfig
from gan_core.guide.cards import CARDS
from gan_core.guide.model import (
    BATCH_NORM_PLACEMENT,
    ERA_2016,
    ERA_LATER,
    ERAS,
    LIVE,
    NEXT_START,
    GuideCard,
    GuideError,
    Symptom,
)
from gan_core.guide.symptoms import SYMPTOMS

__all__ = [
    "BATCH_NORM_PLACEMENT",
    "CARDS",
    "COMPARE_BASE_PRESET",
    "CONTROL_LABELS",
    "GuideCard",
    "GuideError",
    "KINDS",
    "LIVE",
    "NEXT_START",
    "SYMPTOMS",
    "Symptom",
    "card",
    "compare_configs",
    "compare_preload",
    "filter_cards",
    "symptoms_for_card",
    "ERAS",
    "ERA_2016",
    "ERA_LATER",
    "by_era",
]

# Labels of the Train page's controls, so a card can say which one to reach for (the settings
# table, gan_core/config/settings.py, which the Train page reads too).
PRACTICE_CONTROLS = tuple(s.label for s in controls("practice"))
HACK_CONTROLS = tuple(s.label for s in controls("hack"))
# Controls of the settings beyond the DCGAN paper that apply at the next start.
MODEL_HACK_CONTROLS = tuple(s.label for s in controls("model_hack"))
CONTROL_LABELS = PRACTICE_CONTROLS + HACK_CONTROLS + MODEL_HACK_CONTROLS

COMPARE_BASE_PRESET = "dcgan-hacks"

KINDS = {"all": ("practice", "hack"), "practices": ("practice",), "hacks": ("hack",)}


def card(card_id: str) -> GuideCard:
    """The card with this id; an unknown id raises GuideError listing the known ones."""
    for c in CARDS:
        if c.id == card_id:
            return c
    raise GuideError(f"unknown guide card '{card_id}' (known: {', '.join(c.id for c in CARDS)})")


def filter_cards(kind: str = "all", query: str = "") -> list[GuideCard]:
    """Cards of a kind ("all", "practices", "hacks") whose text holds every word of `query`."""
    if kind not in KINDS:
        raise GuideError(f"unknown card filter '{kind}' (use one of: {', '.join(KINDS)})")
    words = query.lower().split()
    return [c for c in CARDS if c.kind in KINDS[kind] and all(w in _haystack(c) for w in words)]


def by_era(cards: list[GuideCard]) -> list[tuple[str, list[GuideCard]]]:
    """The cards in the guide's two groups, in order: (ERAS heading, cards) for 2016's list
    (DCGAN practices and ganhacks), then for what came after (2017-2021); empty groups left out."""
    groups = [(ERAS[era], [c for c in cards if c.era == era]) for era in ERAS]
    return [(heading, members) for heading, members in groups if members]


def _haystack(c: GuideCard) -> str:
    return " ".join(
        (c.id, c.title, c.what, c.why, c.on, c.off, c.control, *c.related_controls, *c.keys, *c.sources)
    ).lower()


def compare_configs(c: GuideCard, base: TrainConfig | None = None) -> tuple[TrainConfig, TrainConfig]:
    """The "with" and "without" configs of a card, built on the dcgan-hacks preset."""
    base = base if base is not None else preset(COMPARE_BASE_PRESET)
    return _apply(base, c.overrides["a"]), _apply(base, c.overrides["b"])


def _apply(base: TrainConfig, overrides: dict[str, Any]) -> TrainConfig:
    cfg = base
    for key, value in overrides.items():
        cfg = cfg.with_value(key, value)
    return cfg.validated()


def compare_preload(c: GuideCard) -> dict[str, Any]:
    """What the Compare page reads from session_state["compare_preload"]."""
    return {"card": c.id, "title": c.title, "a": dict(c.overrides["a"]), "b": dict(c.overrides["b"])}


def symptoms_for_card(card_id: str) -> list[Symptom]:
    """The symptoms that name this card as a help (empty for an unknown id)."""
    return [s for s in SYMPTOMS if card_id in s.cards]
