"""The Hacks guide states only numbers the code defines, and help texts state the real widths."""

import importlib
import re

import pytest

from gan_core.config.architecture import widths_text
from gan_core.config.settings import settings
from gan_core.config.tree import ModelConfig
from gan_core.guide import cards as guide_card_texts
from gan_core.guide.numbers import NUMBERS, PUBLISHED, number_text
from ui.control_specs import BY_KEY

# 0 and 1 are the hard labels, means and the "1" of log(1 - D): arithmetic, not settings.
ARITHMETIC = {"0", "1"}
# Numbers that are not settings: digits named as examples ("a shape half 4, half 9"), a
# formula's constants, Keras' own defaults the card contrasts with, a ratio of two rates.
# Figures quoted from the literature are not here: they are PUBLISHED, each with its source.
DIGIT_EXAMPLES = {
    "use-labels": {"4", "9"},
    "gaussian-init": {"1.5", "4"},  # Glorot's std over this one at the presets' widths (16 to 64)
    "self-conditioning": {"4", "9"},
    "sgd-discriminator": {"10"},  # "about 10x Adam's", a ratio, stated as this app's rule of thumb
    "ema-generator": {"10", "0.999"},  # the warm-up (1+t)/(10+t); Karras et al.'s decay
    "ttur": {"0.999"},  # Keras' beta_2
}
# A number, but not a ganhacks item number ("#13"): those are references, not settings.
NUMBER = re.compile(r"(?<![A-Za-z_\d.#])\d+(?:\.\d+)?")


def stated_numbers(card) -> set:
    return set(NUMBER.findall(" ".join((card.title, card.what, card.why, card.on, card.off))))


@pytest.mark.parametrize("card", guide_card_texts.CARDS, ids=lambda c: c.id)
def test_every_number_a_card_states_is_one_the_code_defines(card):
    # The card's own Try-it pair is code too: the values Compare will really set.
    pair_values = {
        number_text(v)
        for side in card.overrides.values()
        for v in side.values()
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    }
    from_code = (
        {number_text(v) for v in NUMBERS.values()}
        | {number_text(v) for v, _ in PUBLISHED.values()}
        | ARITHMETIC
        | pair_values
        | DIGIT_EXAMPLES.get(card.id, set())
    )
    assert stated_numbers(card) <= from_code, stated_numbers(card) - from_code


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_each_number_reaches_the_cards_from_its_source(name, monkeypatch):
    """Change one number where the code defines it: the card text changes with it."""
    monkeypatch.setitem(NUMBERS, name, 0.123)
    try:
        cards = importlib.reload(guide_card_texts).CARDS
        assert any("0.123" in " ".join((c.title, c.what, c.why, c.on, c.off)) for c in cards)
    finally:
        monkeypatch.undo()
        importlib.reload(guide_card_texts)


def test_the_cards_state_the_train_pages_slider_ranges_and_preset_values():
    cards = {c.id: c for c in guide_card_texts.CARDS}
    d_steps = BY_KEY["hacks.d_steps"]
    assert f"slider {number_text(d_steps.low)} to {number_text(d_steps.high)}" in cards["d-steps"].on
    dropout = BY_KEY["model.dropout"]
    assert f"slider {number_text(dropout.low)} to {number_text(dropout.high)}" in cards["dropout"].what
    flips = BY_KEY["hacks.flip_probability"]
    assert f"slider {number_text(flips.low)} to {number_text(flips.high)}" in cards["label-flips"].what
    for entry in settings():
        if entry.page:  # the page shows the table's range, as the card states it
            assert (BY_KEY[entry.key].low, BY_KEY[entry.key].high, BY_KEY[entry.key].step) == entry.page
    from gan_core.config.presets import preset

    hacks = preset("dcgan-hacks").optimizer
    assert f"uses {number_text(hacks.d_learning_rate)}" in cards["dcgan-adam"].why
    # The dropout card's value is Chollet's 0.4, which the seed-tutorial preset has; the DCGAN
    # paper used none, and so does its preset.
    assert cards["dropout"].overrides["a"]["model.dropout"] == preset("seed-tutorial").model.dropout == 0.4
    assert preset("dcgan-paper").model.dropout == 0.0


def test_mixed_batches_are_described_as_two_updates_as_the_step_makes_them():
    card = {c.id: c for c in guide_card_texts.CARDS}["separate-batches"]
    assert "two updates" in card.what and "one update on a shuffled" not in card.what


@pytest.mark.parametrize("side", [28, 32])
def test_base_filters_help_states_the_widths_the_models_build(side):
    import keras

    from gan_core.nets.models import build_discriminator, build_generator

    f = 8
    cfg = ModelConfig(base_filters=f, dropout=0.0)
    assert widths_text(side) in BY_KEY["model.base_filters"].help
    g = build_generator(cfg, (side, side, 1))
    reshape = [layer for layer in g.layers if isinstance(layer, keras.layers.Reshape)][0]
    # The last transposed convolution draws the image itself.
    ups = [layer for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)][:-1]
    g_built = [reshape.output.shape[-1]] + [layer.filters for layer in ups]
    d = build_discriminator(cfg, (side, side, 1))
    d_built = [layer.filters for layer in d.layers if isinstance(layer, keras.layers.Conv2D)]
    words = widths_text(side)
    g_text, d_text = words.removeprefix("G ").split("; D ")
    as_numbers = lambda text: [f * (int(w[:-1]) if w != "f" else 1) for w in text.split(", ")]
    assert g_built == as_numbers(g_text) and d_built == as_numbers(d_text)
    if side == 28:
        assert words == "G 4f, 2f; D f, 2f"


def test_the_init_card_compares_with_the_glorot_std_the_presets_networks_really_draw():
    """The gaussian-init card: at the presets' widths Glorot uniform draws G's output layer and
    D's first layer (no BatchNorm after either) with a std about 1.5 to 4 times N(0, 0.02)'s."""
    import keras

    from gan_core.config.presets import preset, preset_names
    from gan_core.nets.models import build_discriminator, build_generator

    assert "about 1.5 to 4 times" in {c.id: c for c in guide_card_texts.CARDS}["gaussian-init"].why
    widths = {preset(n).model.base_filters for n in preset_names() if preset(n).model.layout == "dcgan"}
    ratios = []
    for f in sorted(widths):
        cfg = ModelConfig(base_filters=f, dropout=0.0, gaussian_init=False)
        g = build_generator(cfg, (28, 28, 1))
        d = build_discriminator(cfg, (28, 28, 1))
        g_out = [layer for layer in g.layers if isinstance(layer, keras.layers.Conv2DTranspose)][-1]
        d_first = [layer for layer in d.layers if isinstance(layer, keras.layers.Conv2D)][0]
        ratios += [float(layer.kernel.numpy().std()) / NUMBERS["init_std"] for layer in (g_out, d_first)]
    assert 1.4 <= min(ratios) and max(ratios) <= 4.5, ratios
