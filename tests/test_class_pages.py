"""The class's rules on the pages: uploads offered only where the teacher allows them, and the
pages that list runs show a student only their own (others' where the teacher allows it)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.jobs.seats import new_seat_token, seat_id
from gan_core.jobs.server import shared_classroom
from gan_core.store.run_owner import write_owner

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

PAGES = Path(__file__).resolve().parents[1] / "app_pages"


@pytest.fixture
def rules():
    """The server's class rules, put back as they were after the test."""
    room = shared_classroom()
    before = room.rules()
    yield room
    room.set_rules(
        max_trainings=before.max_trainings,
        max_run_seconds=before.max_run_seconds,
        uploads_allowed=before.uploads_allowed,
        students_see_others=before.students_see_others,
    )


def _open(page: str, seat_token: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=120)
    if seat_token:
        at.session_state["seat_token"] = seat_token
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_with_uploads_off_no_page_offers_one_and_on_again_every_page_does(rules):
    rules.set_rules(uploads_allowed=False)
    train, playground, latent = _open("train.py"), _open("playground.py"), _open("latent_explorer.py")
    assert "your images (.zip upload)" not in train.sidebar.selectbox(key="dataset").options
    assert "Your own points (CSV)" not in playground.selectbox(key="toy_dataset").options
    assert "Upload a .keras file" not in latent.selectbox(key="latent_generator").options
    rules.set_rules(uploads_allowed=True)
    assert "your images (.zip upload)" in _open("train.py").sidebar.selectbox(key="dataset").options
    assert "Your own points (CSV)" in _open("playground.py").selectbox(key="toy_dataset").options


def test_the_latent_explorer_lists_a_students_own_runs_only_unless_the_teacher_shows_all(rules, tmp_path, monkeypatch):
    from gan_core.generators.source import pretrained_dir  # a real generator to stand in each run folder

    runs = tmp_path / "runs"
    monkeypatch.setenv("GAN_LAB_RUNS", str(runs))
    alice, bob = new_seat_token(), new_seat_token()
    for name, owner in (("alice-run", alice), ("bob-run", bob)):
        folder = runs / name
        folder.mkdir(parents=True)
        for name_ in ("generator.keras", "config.json"):
            (folder / name_).write_bytes((pretrained_dir() / name_).read_bytes())
        write_owner(folder, seat_id(owner))
    rules.set_rules(students_see_others=False)
    options = _open("latent_explorer.py", alice).selectbox(key="latent_generator").options
    assert "Run alice-run" in options and "Run bob-run" not in options
    rules.set_rules(students_see_others=True)
    options = _open("latent_explorer.py", alice).selectbox(key="latent_generator").options
    assert "Run alice-run" in options and "Run bob-run" in options
