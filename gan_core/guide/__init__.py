"""The Hacks guide's content: what a card and a symptom are, the cards' and symptoms'
texts, and lookups (filters, Compare's with/without pair).

Modules: `cards` (all cards in order, from `practice_cards`, `hack_cards`, `stabilizer_cards`
and `model_hack_cards`), `lookup`, `model`, `numbers`, `symptoms`.

Public names are exported lazily (PEP 562), so importing one light module does not
load TensorFlow through its neighbours.
"""

from importlib import import_module

_EXPORTS = {
    "ACGAN": "model",
    "ADAM_DEFAULT_BETA_1": "numbers",
    "ADAM_DEFAULT_LEARNING_RATE": "numbers",
    "BATCH_NORM_PLACEMENT": "model",
    "CARDS": "cards",
    "CHOLLET": "model",
    "COMPARE_BASE_PRESET": "lookup",
    "CONTROL_LABELS": "lookup",
    "DCGAN": "model",
    "D_STEPS_TRY": "numbers",
    "ERAS": "model",
    "ERA_2016": "model",
    "ERA_LATER": "model",
    "GANHACKS": "model",
    "GOODFELLOW": "model",
    "GuideCard": "model",
    "GuideError": "model",
    "HACK_CONTROLS": "lookup",
    "HEUSEL": "model",
    "ISOLA": "model",
    "KARRAS": "model",
    "KINDS": "lookup",
    "LIVE": "model",
    "MIRZA": "model",
    "MIYATO": "model",
    "MODEL_HACK_CARDS": "model_hack_cards",
    "MODEL_HACK_CONTROLS": "lookup",
    "NEXT_START": "model",
    "NUMBERS": "numbers",
    "ODENA": "model",
    "PRACTICE_CONTROLS": "lookup",
    "PROJECTION": "model",
    "SAGAN": "model",
    "SALIMANS": "model",
    "SYMPTOMS": "symptoms",
    "Symptom": "model",
    "YAZICI": "model",
    "by_era": "lookup",
    "card": "lookup",
    "compare_configs": "lookup",
    "compare_preload": "lookup",
    "fill": "numbers",
    "filter_cards": "lookup",
    "number_text": "numbers",
    "pair": "model",
    "symptoms_for_card": "lookup",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Import the module that defines `name` on first use."""
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
