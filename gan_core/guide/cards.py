"""The Hacks guide's cards: one per DCGAN practice and training hack, in our own words, in order.

Every number a card states is a {name} filled from guide_numbers.NUMBERS (the presets, the
config defaults, the slider ranges and the model constants), so the prose cannot drift
from the code; tests/test_guide_numbers.py checks each stated number against it.

A teacher edits the prose in the parts: `practice_cards` (the DCGAN paper's practices),
`hack_cards` (ganhacks' training hacks), `stabilizer_cards` (instance noise, replay and what
came after the list) and `model_hack_cards` (settings beyond the paper that shape the networks
or optimizers). Each card names its config keys and a with/without pair of overrides that the
Compare page applies to the dcgan-hacks preset.
"""

from __future__ import annotations

from dataclasses import replace

from gan_core.guide.hack_cards import hack_cards
from gan_core.guide.measured import MEASURED, measured_line
from gan_core.guide.model import GuideCard
from gan_core.guide.model_hack_cards import MODEL_HACK_CARDS
from gan_core.guide.practice_cards import practice_cards
from gan_core.guide.stabilizer_cards import stabilizer_cards

# Built here, at import, from NUMBERS as it is then: reloading this module refills every number.
# A card with a careful measurement (gan_core/guide/measured.py) shows that line instead of its
# own one-seed figure.
CARDS: tuple[GuideCard, ...] = tuple(
    replace(card, measured=measured_line(card.id)) if card.id in MEASURED else card
    for card in practice_cards() + hack_cards() + stabilizer_cards() + MODEL_HACK_CARDS
)
