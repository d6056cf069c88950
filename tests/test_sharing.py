"""Runs belong to the browser that started them: its seat controls it (from any session of that
browser, after a refresh too), the teacher controls every run, a viewer link only watches, and
no link in the address bar controls anything."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.jobs.pool import TrainerPool
from gan_core.jobs.seats import Seat, new_seat_token, seat_id
from gan_core.jobs.server import shared_classroom, shared_pool
from gan_core.run.trainer import Trainer

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "train.py")
CONTROL_LABELS = {"Start training", "Pause", "Resume", "Stop"}


@pytest.fixture
def endless(small_digits, small_config):
    """A factory of trainers that train until stopped."""
    return lambda: Trainer(small_config(), data=small_digits)


@pytest.fixture
def wait_state(wait_until):
    """Wait until a trainer's state is `state`."""
    return lambda trainer, state, timeout=120: wait_until(trainer.status, lambda s: s.state == state, timeout, state)


@pytest.fixture
def owned_run(endless, wait_state, tmp_path, monkeypatch):
    """A run in the server's pool started by a browser whose seat token is yielded, training;
    stopped afterwards."""
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "runs"))
    token = new_seat_token()
    pool = shared_pool()
    job_id = pool.start(endless, owner=seat_id(token))
    trainer = pool.get(job_id)
    try:
        wait_state(trainer, "running")
        yield job_id, trainer, token
    finally:
        trainer.stop(timeout=60)
        trainer.join(60)


def page_of(seat_token=None, **query):
    """The Train page as a browser with this seat token (None: a new browser) and URL query opens it."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    if seat_token is not None:
        at.session_state["seat_token"] = seat_token  # what the seat cookie brings to a new session
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_viewer_links_are_unguessable_read_only_renewable_and_forgotten_with_the_run(endless):
    pool = TrainerPool(max_active=2, keep_finished_seconds=0.0)
    alice, bob = Seat("a" * 24), Seat("b" * 24)
    first = pool.start(endless, owner=alice.id)
    second = pool.start(endless, owner=bob.id)
    try:
        token, other = pool.viewer_token(first), pool.viewer_token(second)
        assert len({token, other, first, second}) == 4 and len(token) >= 40  # 32 random bytes, URL-safe
        assert pool.control(first, alice) is pool.get(first)
        assert pool.control(first, bob) is None and pool.control(first, None) is None
        view = pool.watch(token)
        assert view.status().state in ("starting", "running") and view.board is pool.get(first).board
        for control in ("pause", "resume", "stop", "set_hack", "roll_back"):
            assert not hasattr(view, control)
        assert pool.renew_link(first, bob) is None  # only the owner (or the teacher) renews
        renewed = pool.renew_link(first, alice)
        assert renewed != token and pool.watch(token) is None and pool.watch(renewed) is not None
        assert pool.open_link("not-a-token") is None and pool.watch("") is None
    finally:
        pool.stop_all()
        for job_id in (first, second):
            pool.get(job_id).join(60)
    pool.sweep()  # finished and nobody looking: forgotten, and so is its link
    assert pool.get(first) is None and pool.watch(renewed) is None


def test_a_viewer_link_shows_the_run_without_any_control(owned_run):
    job_id, trainer, _ = owned_run
    at = page_of(view=shared_pool().viewer_token(job_id))
    assert "Viewing a shared run: read-only" in [c.value for c in at.caption]
    assert not CONTROL_LABELS & {b.label for b in at.button}
    assert not at.sidebar.slider and not at.sidebar.toggle and not at.sidebar.radio  # no live hacks
    assert not at.code  # no Share popover: a viewer hands out nothing


def _press_everything():
    import streamlit as st

    from ui.control_specs import LIVE_HACKS
    from ui.train_buttons import pause_run, roll_back, stop_run
    from ui.train_controls import _send_live

    flip = next(c for c in LIVE_HACKS if c.key == "hacks.flip_probability")
    st.session_state[flip.widget_key] = 0.4
    _send_live(flip)
    pause_run()
    roll_back()
    stop_run()


@pytest.mark.parametrize("who", ["viewer", "another student"])
def test_neither_a_viewer_nor_another_student_can_change_the_run_even_by_calling_the_controls(owned_run, who):
    """What a replayed button or slider message would run on the server, in their sessions."""
    job_id, trainer, _ = owned_run
    at = AppTest.from_function(_press_everything, default_timeout=30)
    if who == "viewer":
        at.query_params["view"] = shared_pool().viewer_token(job_id)
    else:
        at.session_state["seat_token"] = new_seat_token()
        at.session_state["trainer_id"] = job_id  # even knowing the run's id
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    time.sleep(0.5)
    snap = trainer.snapshot()
    assert snap.state == "running" and snap.hacks["hacks.flip_probability"] != 0.4 and not snap.changes


def test_the_owners_browser_finds_its_run_after_a_refresh_and_controls_it_without_a_link(owned_run, wait_state):
    job_id, trainer, token = owned_run
    at = page_of(seat_token=token)  # a new session of the same browser: the seat cookie, no URL token
    assert "run" not in at.query_params and "view" not in at.query_params
    codes = [c.value for c in at.code]
    assert any(c.endswith(f"?view={shared_pool().viewer_token(job_id)}") for c in codes)  # the Share popover
    assert not any("?run=" in c for c in codes)  # no link controls the run
    at.button(key="btn_pause").click().run()
    wait_state(trainer, "paused", 30)


def test_the_teacher_link_gives_the_teacher_seat_which_controls_every_run_and_leaves_the_address_bar(owned_run):
    job_id, trainer, _ = owned_run
    teacher = new_seat_token()
    at = page_of(seat_token=teacher, teacher=shared_classroom().teacher_token)
    assert "teacher" not in at.query_params  # gone from the address bar at once
    assert shared_classroom().is_teacher(seat_id(teacher))
    assert shared_pool().control(job_id, Seat(seat_id(teacher), teacher=True)) is trainer
    wrong = page_of(seat_token=new_seat_token(), teacher="x" * 43)
    assert not shared_classroom().is_teacher(seat_id(wrong.session_state["seat_token"]))


@pytest.mark.parametrize("key", ["view", "run"])
def test_an_unknown_or_retired_link_opens_nothing(owned_run, key):
    job_id, trainer, _ = owned_run
    at = page_of(**{key: job_id})  # the bare id is not a link; ?run= was the old owner link
    errors = [e.value for e in at.error]
    if key == "view":
        assert len(errors) == 1 and errors[0].startswith("This run link is unknown or has expired")
    else:
        assert "run" not in at.query_params and not errors
    assert {b.label: b.disabled for b in at.button}["Pause"]  # nothing attached: nothing to pause
    assert trainer.status().state == "running"
