"""A class's pages in a crowd: with thirty sessions polling, the pages nobody needs live (a queued
run's status, the Runs page, a lesson's check) refresh less often, by doublings, while the
teacher's pages and a student's own training keep their pace (ui/refresh.py)."""

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.config.presets import preset
from gan_core.jobs.seats import new_seat_token, seat_id
from gan_core.jobs.server import shared_classroom, shared_pool
from gan_core.jobs.watchers import CROWD, WINDOW_SECONDS, Watchers, shared_crowd
from ui.refresh import MAX_CROWD_SLOWDOWN, crowd_factor

PAGES = Path(__file__).resolve().parents[1] / "app_pages"


@pytest.mark.parametrize(
    "sessions,factor", [(1, 1), (10, 1), (11, 2), (20, 2), (21, 4), (31, 4), (5000, MAX_CROWD_SLOWDOWN)]
)
def test_a_crowd_slows_the_pages_by_doublings(sessions, factor):
    assert crowd_factor(sessions) == factor


def test_a_session_counts_once_in_the_crowd_and_leaves_it_when_it_stops_polling():
    now = [0.0]
    crowd = Watchers(lambda: now[0])
    for i in range(30):
        crowd.seen(CROWD, f"s{i}")
    assert crowd.seen(CROWD, "s0") == 30
    now[0] += WINDOW_SECONDS + 1
    assert crowd.seen(CROWD, "s1") == 1


@pytest.fixture
def class_of_thirty():
    crowd = shared_crowd()
    for i in range(30):
        crowd.seen(CROWD, f"student-{i}")
    yield
    crowd.clear()


def _open(page: str, query: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_in_a_class_a_students_runs_page_polls_four_times_less_and_the_teachers_keeps_its_pace(class_of_thirty):
    student = _open("runs.py", seat_token=new_seat_token())
    assert student.session_state["refresh_factor"] == 4  # every 20 s, not 5
    teacher = _open("runs.py", {"teacher": shared_classroom().teacher_token})
    assert teacher.session_state["refresh_factor"] == 1


@pytest.mark.slow
def test_a_students_own_training_keeps_its_pace_in_a_crowd(class_of_thirty, small_digits, tmp_path):
    from gan_core.run.trainer import Trainer

    token = new_seat_token()
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=120", "run.epochs=50", "run.grid_size=4"])
    trainer = Trainer(cfg, run_dir=tmp_path / "run", data=small_digits)
    trainer.start()
    try:
        job_id = shared_pool().adopt(trainer, owner=seat_id(token))
        deadline = time.monotonic() + 120
        while trainer.status().state != "running" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert trainer.status().state == "running"
        own = _open("train.py", seat_token=token, trainer_id=job_id)
        assert own.session_state["refresh_factor"] == 1  # its status every 2 s, as alone
    finally:
        trainer.stop()
        trainer.join(60)
