"""The Hacks guide: card data that matches the config, and the page that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]

from gan_core.config.presets import preset  # noqa: E402
from gan_core.config.tree import TrainConfig  # noqa: E402
from gan_core.guide import lookup as guide  # noqa: E402

PAGE = ROOT / "app_pages" / "hacks_guide.py"
PAGE_TIMEOUT = 60  # two shared cores: plotly's first import alone can take seconds

CONFIG_KEYS_THE_GUIDE_COVERS = {
    "model.batch_norm",
    "model.strided_downsample",
    "model.strided_upsample",
    "model.leaky_relu",
    "model.gaussian_init",
    "optimizer.d_learning_rate",
    "optimizer.g_learning_rate",
    "optimizer.beta_1",
    "model.tanh_output",
    "model.kernel_divisible_by_stride",
    "model.dropout",
    "hacks.latent_distribution",
    "hacks.separate_batches",
    "hacks.real_label_range",
    "hacks.fake_label_range",
    "hacks.flip_probability",
    "hacks.generator_loss",
    "hacks.d_steps",
    "optimizer.d_optimizer",
    "model.g_dropout",
    "model.minibatch_stddev",
    "model.spectral_norm",
    "run.ema_decay",
    "hacks.instance_noise",
    "hacks.replay_share",
    "hacks.adversarial_loss",
    "hacks.r1_gamma",
    "hacks.diff_augment",
    "model.self_conditioning",
}


def flat(cfg: TrainConfig) -> dict[str, object]:
    return {f"{section}.{name}": value for section, fields in cfg.to_dict().items() for name, value in fields.items()}


def changed_keys(x: TrainConfig, y: TrainConfig) -> set[str]:
    fx, fy = flat(x), flat(y)
    return {k for k in fx if fx[k] != fy[k]}


# -- the card data ---------------------------------------------------------------------
@pytest.mark.parametrize("card", guide.CARDS, ids=lambda c: c.id)
def test_with_and_without_are_valid_configs_differing_only_in_the_cards_keys(card):
    with_, without = guide.compare_configs(card)
    # A card may also hold a setting equal in both arms (self-conditioning turns the preset's
    # labels off in both), but the arms must differ, and only in the card's keys.
    assert changed_keys(with_, without) and changed_keys(with_, without) <= set(card.keys)
    assert set(card.overrides["b"]) == set(card.keys)
    # Nothing outside the card's keys moves away from the preset the Compare page starts from.
    base = preset(guide.COMPARE_BASE_PRESET)
    assert changed_keys(base, with_) <= set(card.keys)
    assert changed_keys(base, without) <= set(card.keys)


@pytest.mark.parametrize("card", guide.CARDS, ids=lambda c: c.id)
def test_every_card_explains_itself_and_names_a_train_page_control(card):
    for text in (card.title, card.what, card.why, card.on, card.off, card.control):
        assert text.strip()
    assert card.sources and all(s.strip() for s in card.sources)
    assert card.control in guide.CONTROL_LABELS
    assert set(card.related_controls) <= set(guide.CONTROL_LABELS)
    expected_timing = guide.LIVE if card.kind == "hack" else guide.NEXT_START
    assert card.applies == expected_timing


def test_cards_cover_every_practice_hack_key_and_control_once_each():
    ids = [c.id for c in guide.CARDS]
    assert len(ids) == len(set(ids))
    covered_keys = {k for c in guide.CARDS for k in c.keys}
    assert CONFIG_KEYS_THE_GUIDE_COVERS <= covered_keys
    used_controls = {label for c in guide.CARDS for label in (c.control, *c.related_controls)}
    assert used_controls == set(guide.CONTROL_LABELS)


def test_batch_norm_card_states_the_placement_the_app_uses():
    text = guide.card("batch-norm").what
    assert "conv -> BatchNorm -> activation" in text
    assert "input" in text and "output" in text


def test_every_symptom_links_to_existing_cards_and_names_causes():
    ids = {c.id for c in guide.CARDS}
    titles = {s.title for s in guide.SYMPTOMS}
    for s in guide.SYMPTOMS:
        assert s.cards and set(s.cards) <= ids, s.id
        assert s.causes and s.looks_like.strip() and s.explanation.strip()
    assert any("zero" in t.lower() for t in titles)
    assert any("collapse" in t.lower() for t in titles)
    assert any("checkerboard" in t.lower() for t in titles)
    assert any("nan" in t.lower() for t in titles)
    negative = [s for s in guide.SYMPTOMS if s.expected]
    assert [s.id for s in negative] == ["negative-loss"]
    assert "soft-real-labels" in negative[0].cards
    assert guide.symptoms_for_card("kernel-stride")[0].id == "checkerboard"


def test_filter_by_kind_and_by_every_search_word():
    hacks = guide.filter_cards("hacks")
    practices = guide.filter_cards("practices")
    assert {c.kind for c in hacks} == {"hack"} and {c.kind for c in practices} == {"practice"}
    assert len(hacks) + len(practices) == len(guide.filter_cards("all")) == len(guide.CARDS)
    assert [c.id for c in guide.filter_cards("all", "Checkerboard")] == [
        c.id for c in guide.CARDS if "checkerboard" in (c.what + c.why + c.off + c.title).lower()
    ]
    assert [c.id for c in guide.filter_cards("all", "hacks.d_steps")] == ["d-steps"]
    assert [c.id for c in guide.filter_cards("hacks", "label smoothing one-sided")] == ["soft-real-labels"]
    assert [c.id for c in guide.filter_cards("practices", "salimans")] == ["minibatch-stddev"]


def test_guide_groups_2016s_list_apart_from_what_came_after():
    groups = dict(guide.by_era(guide.CARDS))
    early, later = ({c.id for c in groups[guide.ERAS[era]]} for era in (guide.ERA_2016, guide.ERA_LATER))
    assert {"batch-norm", "label-flips", "sgd-discriminator", "g-dropout"} <= early
    # The minibatch standard deviation is ProGAN's (Karras et al. 2018), not 2016's list.
    assert {"spectral-norm", "ema-generator", "ttur", "minibatch-stddev"} <= later
    assert early.isdisjoint(later) and len(early) + len(later) == len(guide.CARDS)


def test_ttur_card_is_a_pair_of_rates_with_d_faster_and_no_momentum():
    with_, without = guide.compare_configs(guide.card("ttur"))
    assert with_.optimizer.d_learning_rate == 4 * with_.optimizer.g_learning_rate == 4e-4
    assert with_.optimizer.beta_1 == 0.0
    assert without.optimizer.d_learning_rate == without.optimizer.g_learning_rate


def test_unknown_card_or_filter_is_a_one_line_error():
    with pytest.raises(guide.GuideError, match="unknown guide card 'nope'"):
        guide.card("nope")
    with pytest.raises(guide.GuideError, match="unknown card filter 'tricks'"):
        guide.filter_cards("tricks")


def test_preload_is_a_plain_copy_of_the_cards_pair():
    c = guide.card("dcgan-adam")
    preload = guide.compare_preload(c)
    assert preload == {
        "card": "dcgan-adam",
        "title": "DCGAN Adam (beta_1 0.5)",
        "a": c.overrides["a"],
        "b": c.overrides["b"],
    }
    preload["a"]["optimizer.beta_1"] = 0.1
    assert c.overrides["a"]["optimizer.beta_1"] == 0.5


# -- the page --------------------------------------------------------------------------
def rendered_titles(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


@pytest.fixture
def page(open_page) -> AppTest:
    return open_page(PAGE, PAGE_TIMEOUT)


def test_page_renders_every_card_with_its_try_button_and_the_symptoms(page):
    assert rendered_titles(page) == [c.title for _, cards in guide.by_era(guide.CARDS) for c in cards]
    assert sorted(rendered_titles(page)) == sorted(c.title for c in guide.CARDS)
    headers = [h.value for h in page.header]
    assert headers[:2] == [guide.ERAS[guide.ERA_2016], guide.ERAS[guide.ERA_LATER]]
    assert {b.key for b in page.button} == (
        {f"try-{c.id}" for c in guide.CARDS} | {f"watch-{s.id}" for s in guide.SYMPTOMS if s.playground_preset}
    )
    assert len(page.get("plotly_chart")) >= 4
    markdown = "\n".join(m.value for m in page.markdown)
    captions = "\n".join(c.value for c in page.caption)
    for s in guide.SYMPTOMS:
        assert s.title in markdown
        assert "Source: " + "; ".join(s.sources) in captions
    assert "[Batch normalization](#batch-norm)" in markdown


def test_search_box_and_kind_filter_narrow_the_cards(page):
    page.text_input(key="guide_search").input("checkerboard").run()
    assert not page.exception
    titles = rendered_titles(page)
    assert "Kernel size divisible by stride" in titles
    assert "Gaussian latent space" not in titles and len(titles) < len(guide.CARDS)
    # A symptom pointing at a card the filter hides says so instead of a dead link.
    assert any("(hidden by the filter)" in m.value for m in page.markdown)

    page.text_input(key="guide_search").input("").run()
    page.radio(key="guide_filter").set_value("Live hacks").run()
    assert rendered_titles(page) == [c.title for c in guide.CARDS if c.kind == "hack"]

    page.text_input(key="guide_search").input("zzz-no-such-thing").run()
    assert rendered_titles(page) == []
    assert "zzz-no-such-thing" in page.warning[0].value


def test_try_it_stores_the_pair_and_explains_when_compare_is_missing(page):
    page.button(key="try-non-saturating").click().run()
    assert not page.exception
    assert page.session_state["compare_preload"] == {
        "card": "non-saturating",
        "title": "Non-saturating generator loss",
        "a": {"hacks.generator_loss": "non-saturating"},
        "b": {"hacks.generator_loss": "minimax"},
    }
    assert "Compare page" in page.info[-1].value


def the_app_on_the_guide() -> AppTest:
    """The real app (app.py with all its pages), switched to the Hacks guide once."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=PAGE_TIMEOUT)
    at.run()
    at.switch_page("app_pages/hacks_guide.py").run()
    assert not at.exception
    assert at.title[0].value == "Hacks guide"
    return at


def test_try_it_switches_to_the_real_compare_page_preloaded_with_the_pair():
    at = the_app_on_the_guide()
    at.button(key="try-label-flips").click().run()
    assert not at.exception
    assert at.title[0].value == "Compare"
    assert any("Loaded from the Hacks guide: Noisy labels" in i.value for i in at.info)


def test_watch_it_in_2d_opens_the_real_playground_with_the_collapse_preset():
    at = the_app_on_the_guide()
    at.button(key="watch-mode-collapse").click().run()
    assert not at.exception
    assert at.title[0].value == "2D playground"
    assert any("the 'collapse' preset on the ring" in i.value for i in at.info)
