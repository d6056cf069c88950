"""Exercise links as pure functions: a page's setup read from its query and written back, and
hostile queries refused in one line with nothing applied."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs

import pytest

from gan_core.compare.exercise import compare_rules, link_setup, setup_link
from gan_core.compare.setup import SAME
from gan_core.config.exercise import exercise_id, train_config, train_link, train_rules
from gan_core.config.exercise_link import MAX_QUERY_CHARS, ExerciseLink, link_query, read_link
from gan_core.config.presets import preset
from gan_core.config.tree import ConfigError
from gan_core.toy.exercise import PLAYGROUND, toy_config, toy_link

TRAIN = train_rules(("mnist-5k", "fashion-mnist"))
EXAMPLE = "preset=no-hacks&set=hacks.flip_probability=0.2&hide=hacks.flip_probability"


def query(text: str) -> dict[str, list[str]]:
    """What a browser's address holds, as the page reads it (st.query_params.get_all)."""
    return parse_qs(text, keep_blank_values=True)


def refused(text: str, rules=TRAIN) -> str:
    """The one line a query is refused with, by reading it and setting up what it says."""
    with pytest.raises(ConfigError) as e:
        link = read_link(query(text), rules)
        if rules is TRAIN:
            train_config(link)
        elif rules is PLAYGROUND:
            toy_config(link)
        else:
            link_setup(link, "batch-norm", 60)
    message = str(e.value)
    assert "\n" not in message and len(message) < 400
    return message


def test_the_readme_example_opens_no_hacks_with_flips_at_0_2_and_no_flip_control():
    link = read_link(query(EXAMPLE), TRAIN)
    assert link.preset == "no-hacks" and link.sets == (("hacks.flip_probability", "0.2"),)
    assert link.hides("hacks.flip_probability") and link.locks("hacks.flip_probability")
    assert not link.hides("hacks.generator_loss") and link.fixes_any
    cfg = train_config(link)
    assert cfg.hacks.flip_probability == 0.2
    assert cfg.hacks.generator_loss == "minimax"  # the rest is the no-hacks preset
    assert cfg.model.batch_norm is False


def test_the_readmes_two_links_open_their_exercises():
    from pathlib import Path
    from urllib.parse import urlsplit

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    links = [urlsplit(u) for u in re.findall(r"<(http://localhost:8501/[^>]*\?[^>]*)>", readme)]
    assert [u.path for u in links] == ["/", "/playground"]
    train = train_config(read_link(query(links[0].query), TRAIN))
    assert train.hacks.flip_probability == 0.2
    toy_link_read = read_link(query(links[1].query), PLAYGROUND)
    toy = toy_config(toy_link_read)
    assert toy.optimizer.g_learning_rate == 10 * toy.optimizer.d_learning_rate  # the collapse preset
    assert toy_link_read.hides("model.spectral_norm") and not toy_link_read.hides("optimizer.g_learning_rate")


def test_no_exercise_parameters_is_no_exercise_and_the_apps_own_links_are_left_alone():
    assert read_link({}, TRAIN) is None
    assert read_link(query("view=abc&teacher=xyz"), TRAIN) is None
    assert read_link(query("view=abc&seed=4"), TRAIN).seed == 4


def test_a_train_page_setup_round_trips_through_its_link():
    cfg = preset("no-hacks").with_overrides(
        [
            "hacks.flip_probability=0.2",
            "hacks.real_label_range=0.7,1.2",
            "optimizer.g_learning_rate=0.0002",
            "model.batch_norm=true",
            "run.seed=1234",
            "run.max_seconds=90",
            "run.epochs=1",
            "data.source=fashion-mnist",
        ]
    )
    link = train_link("no-hacks", cfg, "fashion-mnist", hide={"hacks.flip_probability"}, lock={"model.batch_norm"})
    text = link_query(link)
    assert text.startswith("preset=no-hacks&data=fashion-mnist&seed=1234&seconds=90&set=")
    back = read_link(query(text), TRAIN)
    assert back == link
    assert train_config(back) == cfg


def test_a_playground_setup_round_trips_through_its_link():
    cfg = toy_config(ExerciseLink(preset="collapse", data="grid", seed=5)).with_overrides(
        ["hacks.flip_probability=0.1", "optimizer.d_optimizer=sgd", "model.spectral_norm=true"]
    )
    link = toy_link("collapse", cfg, lock={"all"})
    back = read_link(query(link_query(link)), PLAYGROUND)
    assert back == link and back.locks("hacks.d_steps")
    assert toy_config(back) == cfg


def test_a_compare_setup_round_trips_through_its_link():
    rules = compare_rules()
    link = setup_link("non-saturating", None, 30, "model.base_filters=8\n# a comment\n", "hacks.d_steps=2", 3)
    setup = link_setup(read_link(query(link_query(link)), rules), "batch-norm", 60)
    assert setup.pair() == link_setup(link, "batch-norm", 60).pair()
    cfg_a, cfg_b = setup.pair()
    assert cfg_a.run.seed == cfg_b.run.seed == 3 and cfg_a.run.max_seconds == 30
    assert cfg_a.hacks.generator_loss == "non-saturating" and cfg_b.hacks.generator_loss == "minimax"
    assert cfg_a.model.base_filters == 8 and cfg_b.hacks.d_steps == 2
    # Two runs handed over by the Runs page (no card): B is A, then each arm's own settings.
    loaded = {"card": None, "title": "runs x and y", "a": {"hacks.real_label_range": [0.8, 1.0]}, "b": {}}
    back = link_setup(read_link(query(link_query(setup_link("batch-norm", loaded, 20, "", "", 0))), rules), "", 60)
    assert back.card == SAME and back.pair()[0].hacks.real_label_range == (0.8, 1.0)


def test_a_careful_compare_link_says_so_and_an_ordinary_one_turns_careful_off():
    rules = compare_rules()
    link = setup_link("non-saturating", None, 30, "", "", 3, lock={"careful"}, careful=True)
    text = link_query(link)
    assert "&careful=true&" in text
    back = read_link(query(text), rules)
    assert back == link and back.locks("careful")
    assert link_setup(back, "batch-norm", 60).careful
    plain = link_query(setup_link("non-saturating", None, 30, "", "", 3))
    assert "careful" not in plain and not link_setup(read_link(query(plain), rules), "batch-norm", 60).careful
    assert refused("careful=yes", rules) == "careful must be true or false, got 'yes'"
    assert refused("careful=true", TRAIN).startswith("'careful' is not taken by this page's links")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("set=hacks.nope=1", "set: unknown config key 'hacks.nope'"),
        ("set=data.source=/etc", "set: 'data.source' cannot be set here: the data set comes from the Dataset select"),
        ("data=/etc/passwd", "data: '/etc/passwd' is not a data set of this page"),
        ("set=model.base_filters=512", "set: model.base_filters must be in 4..128, got 512"),
        ("set=hacks.flip_probability=0.9", "set: hacks.flip_probability must be in [0, 0.5], got 0.9"),
        ("set=run.batch_size=1024", "set: run.batch_size must be a positive even number up to 256, got 1024"),
        ("set=optimizer.g_learning_rate=0.0007", "set: optimizer.g_learning_rate must be one of the control's values"),
        ("set=hacks.flip_probability", "set=hacks.flip_probability: expected key=value"),
        ("preset=no-hacks&preset=dcgan-hacks", "'preset' is given 2 times in this link; give it once"),
        ("set=hacks.d_steps=2&set=hacks.d_steps=3", "set: 'hacks.d_steps' is set twice in this link; set it once"),
        ("preset=nope", "unknown preset 'nope'"),
        ("presets=no-hacks", "unknown link parameter 'presets'"),
        ("card=batch-norm", "'card' is not taken by this page's links"),
        ("hide=hacks.flip", "hide: 'hacks.flip' is not a control of this page"),
        ("lock=run.seed", "lock: 'run.seed' is not a control of this page"),
        ("seed=-1", "seed must be in [0, 2.14748e+09], got -1"),
        ("seed=abc", "seed must be a whole number, got 'abc'"),
        ("seconds=0", "seconds must be in [1, 3600], got 0"),
        ("seconds=nan", "seconds must be in [1, 3600], got nan"),
    ],
)
def test_a_hostile_value_is_refused_in_one_line(text, said):
    assert refused(text).startswith(said)


def test_a_refused_value_is_echoed_cut_short():
    message = refused("set=hacks.flip_probability=0.2&hide=" + "x" * 3000)
    assert "x" * 41 not in message


def test_a_100_kb_query_is_refused_before_anything_is_read():
    huge = "set=" + "&set=".join(f"hacks.flip_probability{i}=0.1" for i in range(4000))
    huge += "&preset=" + "p" * (100_000 - len(huge))
    assert len(huge) >= 100_000
    started = time.monotonic()
    message = refused(huge)
    assert time.monotonic() - started < 5
    assert re.fullmatch(
        rf"this link is 1\d\d,\d{{3}} characters long; an exercise link has at most {MAX_QUERY_CHARS:,}", message
    )


def test_compare_and_playground_links_are_checked_against_their_own_pages():
    rules = compare_rules()
    assert refused("card=nope", rules).startswith("unknown card 'nope'")
    assert refused("preset=no-hacks", rules).startswith("'preset' is not taken by this page's links")
    assert refused("seconds=2", rules).startswith("seconds must be in [5, 1800]")
    assert refused("seconds=12.5", rules).startswith("seconds must be a whole number of seconds per arm")
    assert refused("a=run.batch_size=64", rules).startswith("A and B must use the same run.batch_size")
    assert refused("b=data.source=/etc", rules).startswith("B overrides, line 1: 'data.source' cannot be set here")
    assert refused("hide=model.batch_norm", rules).startswith("hide: 'model.batch_norm' is not a control")
    assert refused("data=/tmp/x.csv", PLAYGROUND).startswith("data: '/tmp/x.csv' is not a data set of this page")
    assert refused("set=model.hidden=4096", PLAYGROUND).startswith("set: 'model.hidden' cannot be set from a browser")
    assert refused("set=optimizer.g_learning_rate=0.003", PLAYGROUND).startswith(
        "set: optimizer.g_learning_rate must be one of the control's values"
    )
    assert refused("set=hacks.real_label_range=-1,1", PLAYGROUND).startswith(
        "set: hacks.real_label_range must lie within [-0.5, 1.5]"
    )


def test_the_same_pair_is_the_same_exercise_whatever_its_budget():
    a, b = preset("dcgan-hacks"), preset("dcgan-hacks").with_value("hacks.generator_loss", "minimax")
    same = exercise_id(a, b)
    assert len(same) == 12
    assert exercise_id(a.with_value("run.max_seconds", 30), b.with_value("run.max_seconds", 30)) == same
    assert exercise_id(b, a) != same
    assert exercise_id(a, b.with_value("run.seed", 1)) != same


def _first_grid(link_text: str, data) -> bytes:
    """The first epoch's grid (PNG bytes) of a run set up by the Train page's link `link_text`."""
    from gan_core.run.trainer import Trainer

    trainer = Trainer(train_config(read_link(query(link_text), TRAIN)), data=data)
    trainer.start()
    trainer.join(300)
    snap = trainer.snapshot()
    assert snap.state == "finished", snap.message
    return snap.epochs[0].grid_png


def test_the_same_link_gives_the_same_first_grid_and_another_seed_another(small_digits):
    # fast-demo's small networks (its decaying learning rate: the schedule holds through the
    # first epoch), one pass over 640 digits (20 steps), a 2x2 grid, no quality meter.
    link = "preset=fast-demo&seed={}&seconds=600&set=run.epochs=1&set=run.grid_size=2&set=run.quality_every_epoch=false"
    first, again, other = (_first_grid(link.format(seed), small_digits) for seed in (11, 11, 12))
    assert first.startswith(b"\x89PNG")
    assert first == again  # one link, two runs: the same first grid, byte for byte
    assert first != other  # another seed: other weights and other latent points
