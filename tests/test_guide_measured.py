"""The Hacks guide's careful measurements: every entry is about a card that exists, its
"within noise" follows the rule of gan_core/compare/spread.py, and the card shows that line
while the cards measured from one seed say so."""

from pathlib import Path

import pytest

from gan_core.compare.spread import Spread, within_noise
from gan_core.guide import lookup as guide
from gan_core.guide.measured import MEASURED, SEEDS, Range, measured_caption, measured_line

ENTRIES = sorted(MEASURED.items())


def as_spread(r: Range) -> Spread:
    return Spread(r.mean, r.low, r.high, len(SEEDS))


def test_there_are_careful_measurements_of_at_least_three_hacks():
    assert len(MEASURED) >= 3


@pytest.mark.parametrize("card_id,pair", ENTRIES)
def test_each_entry_is_about_a_card_and_its_verdict_follows_the_noise_rule(card_id, pair):
    guide.card(card_id)  # GuideError for a card the guide does not have
    for r in (pair.share_a, pair.share_b, pair.frechet_a, pair.frechet_b):
        assert r.low <= r.mean <= r.high
    for r in (pair.share_a, pair.share_b):
        assert 0 <= r.low and r.high <= 1
    assert pair.share_within_noise == within_noise(as_spread(pair.share_a), as_spread(pair.share_b))
    assert pair.frechet_within_noise == within_noise(as_spread(pair.frechet_a), as_spread(pair.frechet_b))


@pytest.mark.parametrize("card_id,pair", ENTRIES)
def test_a_measured_card_shows_its_careful_line(card_id, pair):
    card = guide.card(card_id)
    assert card.measured == measured_line(card_id)
    assert f"{100 * pair.share_a.mean:.0f}% ({100 * pair.share_a.low:.0f}–{100 * pair.share_a.high:.0f})" in (
        card.measured
    )
    assert ("within noise" in card.measured.split("Fréchet")[0]) == pair.share_within_noise
    assert measured_caption(card_id, card.measured).startswith("Measured here (a careful Compare, 3 seeds per arm): ")


def test_every_card_with_a_figure_has_a_careful_one_and_a_one_seed_figure_would_say_so():
    assert [c.id for c in guide.CARDS if c.measured and c.id not in MEASURED] == []
    figure = "60 s, digits without labels: 40% recognized with it, 45% without."
    caption = measured_caption("a-card-added-later", figure)
    assert caption.startswith("Measured here, one seed per arm (a one-seed pair: ") and figure in caption
    unmeasured = [c for c in guide.CARDS if not c.measured]
    assert all(measured_caption(c.id, c.measured) == "" for c in unmeasured)


def test_a_card_without_an_entry_has_no_careful_line():
    with pytest.raises(KeyError):
        measured_line("no-such-card")


def test_the_guide_page_shows_each_cards_careful_or_one_seed_line(open_page):
    page = open_page(Path(__file__).resolve().parents[1] / "app_pages" / "hacks_guide.py", 60)
    captions = [c.value for c in page.caption]
    for card in guide.CARDS:
        expected = measured_caption(card.id, card.measured)
        if expected:
            assert expected in captions, card.id
    assert sum(c.startswith("Measured here (a careful Compare, 3 seeds per arm): ") for c in captions) == len(MEASURED)
    assert not any(c.startswith("Measured here (a same-seed Compare pair)") for c in captions)
