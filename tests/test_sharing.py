"""Shared runs: an owner link controls a run, a viewer link only watches it, on the server too."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.config.presets import preset
from gan_core.jobs.pool import TrainerPool
from gan_core.jobs.server import shared_pool
from gan_core.jobs.sharing import OWNER, VIEWER
from gan_core.run.trainer import Trainer

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "train.py")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CONTROL_LABELS = {"Start training", "Pause", "Resume", "Stop"}


def endless(small_digits):
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=0", "run.grid_size=2", "run.quality_every_epoch=false"]
    )
    return lambda: Trainer(cfg, data=small_digits)


def wait_running(trainer, timeout=120):
    end = time.time() + timeout
    while trainer.status().state != "running" and time.time() < end:
        time.sleep(0.1)
    assert trainer.status().state == "running", trainer.status().message


@pytest.fixture
def shared_run(small_digits, tmp_path, monkeypatch):
    """A run in the server's pool, training, with its id and tokens; stopped afterwards."""
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "runs"))
    pool = shared_pool()
    job_id = pool.start(endless(small_digits))
    trainer = pool.get(job_id)
    try:
        wait_running(trainer)
        yield job_id, trainer, pool.share_tokens(job_id)
    finally:
        trainer.stop(timeout=60)
        trainer.join(60)


def test_every_run_gets_two_different_unguessable_links_and_only_the_owner_one_controls(small_digits):
    pool = TrainerPool(max_active=2, keep_finished_seconds=0.0)
    first, second = pool.start(endless(small_digits)), pool.start(endless(small_digits))
    try:
        tokens, other = pool.share_tokens(first), pool.share_tokens(second)
        assert len({tokens.owner, tokens.viewer, other.owner, other.viewer, first, second}) == 6
        assert min(len(t) for t in (tokens.owner, tokens.viewer)) >= 40  # 32 random bytes, URL-safe
        assert pool.open_link(tokens.owner).role == OWNER and pool.open_link(tokens.viewer).role == VIEWER
        assert pool.control(tokens.owner) is pool.get(first)
        # The viewer token (and the bare job id) give no handle that can change the run.
        assert pool.control(tokens.viewer) is None and pool.control(first) is None
        view = pool.watch(tokens.viewer)
        assert view.status().state in ("starting", "running") and view.board is pool.get(first).board
        for control in ("pause", "resume", "stop", "set_hack", "roll_back"):
            assert not hasattr(view, control)
        assert pool.open_link("not-a-token") is None and pool.watch("") is None
    finally:
        pool.stop_all()
        for job_id in (first, second):
            pool.get(job_id).join(60)
    pool.sweep()  # finished and nobody looking: forgotten, and so are its links
    assert pool.get(first) is None and pool.open_link(tokens.owner) is None and pool.watch(tokens.viewer) is None


def test_a_viewer_link_shows_the_run_without_any_control(shared_run):
    job_id, trainer, tokens = shared_run
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["view"] = tokens.viewer
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "Viewing a shared run: read-only" in [c.value for c in at.caption]
    assert not CONTROL_LABELS & {b.label for b in at.button}
    assert not at.sidebar.slider and not at.sidebar.toggle and not at.sidebar.radio  # no live hacks
    assert any("Training" in m.value or "Starting" in m.value for m in at.markdown)
    assert not at.code  # no Share links: a viewer cannot hand out the owner link


def test_a_viewer_session_cannot_pause_stop_or_change_hacks_even_by_calling_the_controls(shared_run):
    """What a replayed button or slider message would run on the server, called in a viewer's session."""
    job_id, trainer, tokens = shared_run

    def viewer_presses_everything():
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

    at = AppTest.from_function(viewer_presses_everything, default_timeout=30)
    at.query_params["view"] = tokens.viewer
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    time.sleep(0.5)
    snap = trainer.snapshot()
    assert snap.state == "running" and snap.hacks["hacks.flip_probability"] != 0.4 and not snap.changes


def test_the_owner_link_controls_the_run_from_a_new_session_and_offers_the_share_links(shared_run):
    job_id, trainer, tokens = shared_run
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["run"] = tokens.owner
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    codes = [c.value for c in at.code]
    assert any(c.endswith(f"?view={tokens.viewer}") for c in codes)
    assert any(c.endswith(f"?run={tokens.owner}") for c in codes)
    at.button(key="btn_pause").click().run()
    end = time.time() + 30
    while trainer.status().state != "paused" and time.time() < end:
        time.sleep(0.1)
    assert trainer.status().state == "paused"


@pytest.mark.parametrize("key", ["view", "run"])
def test_an_unknown_link_says_so_in_one_line_and_leaves_a_fresh_page(shared_run, key):
    job_id, trainer, tokens = shared_run
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params[key] = job_id  # the bare id is not a link
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("This run link is unknown or has expired")
    assert {b.label: b.disabled for b in at.button}["Pause"]  # nothing attached: nothing to pause
    assert trainer.status().state == "running"
