"""The Hacks guide's lookups over its cards (texts in guide_card_texts.py) and symptoms
(guide_symptoms.py): find a card, filter, build Compare's with/without pair.

Each card names the exact config keys it is about and a pair of overrides ("a" with the
practice, "b" without) that the Compare page applies to the dcgan-hacks preset, so the
guide, the Train page and the comparisons all speak of the same settings.
"""
from __future__ import annotations

from typing import Any, Optional

from gan_core.config import TrainConfig
from gan_core.guide.cards import CARDS
from gan_core.guide.model import BATCH_NORM_PLACEMENT, LIVE, NEXT_START, GuideCard, GuideError, Symptom
from gan_core.guide.symptoms import SYMPTOMS
from gan_core.presets import preset

__all__ = ["BATCH_NORM_PLACEMENT", "CARDS", "COMPARE_BASE_PRESET", "CONTROL_LABELS", "GuideCard", "GuideError",
           "KINDS", "LIVE", "NEXT_START", "SYMPTOMS", "Symptom", "card", "compare_configs", "compare_preload",
           "filter_cards", "symptoms_for_card"]

# Labels of the Train page's controls, so a card can say which one to reach for.
PRACTICE_CONTROLS = (
    "Strided convolutions in D", "Transposed convolutions in G", "LeakyReLU", "LeakyReLU slope",
    "Batch normalization", "Gaussian weight init (std 0.02)", "Adam beta_1 (DCGAN: 0.5)",
    "tanh output, pixels in [-1, 1]", "Kernel size divisible by stride", "Dropout in D",
    "Use the labels (conditional GAN)",
)
HACK_CONTROLS = (
    "Latent distribution", "Separate real and fake batches", "Real label range", "Fake label range",
    "Label flip probability", "Generator loss", "Discriminator steps per generator step",
    "Generator learning rate", "Discriminator learning rate",
    "Instance noise (start std)", "Experience replay share", "Adversarial loss", "R1 penalty γ", "DiffAugment",
)
CONTROL_LABELS = PRACTICE_CONTROLS + HACK_CONTROLS

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


def _haystack(c: GuideCard) -> str:
    return " ".join((c.id, c.title, c.what, c.why, c.on, c.off, c.control,
                     *c.related_controls, *c.keys, *c.sources)).lower()


def compare_configs(c: GuideCard, base: Optional[TrainConfig] = None) -> tuple[TrainConfig, TrainConfig]:
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
    return {"card": c.id, "title": c.title,
            "a": dict(c.overrides["a"]), "b": dict(c.overrides["b"])}


def symptoms_for_card(card_id: str) -> list[Symptom]:
    """The symptoms that name this card as a help (empty for an unknown id)."""
    return [s for s in SYMPTOMS if card_id in s.cards]
