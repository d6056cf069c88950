"""The Hacks guide's content: what a card and a symptom are (`model`), the cards' texts
(`practice_cards`, `hack_cards`, `stabilizer_cards`, `model_hack_cards`, gathered in order by
`cards`), the symptoms (`symptoms`), the figures they quote (`numbers`) and lookups
(`lookup`: filters, Compare's with/without pair).
"""
