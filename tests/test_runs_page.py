"""The Runs page's script in AppTest: damaged folders are one line each, never an exception."""

import json
import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from gan_core.config.presets import preset
from gan_core.jobs.seats import new_seat_token, seat_id
from gan_core.store.run_owner import write_owner

PAGE = Path(__file__).resolve().parents[1] / "app_pages" / "runs.py"


def test_the_runs_page_lists_a_damaged_folder_in_one_line_beside_a_good_run(tmp_path, monkeypatch, open_page):
    good = tmp_path / "good-run"
    good.mkdir()
    (good / "config.json").write_text(preset("no-hacks").to_json())
    (good / "epochs.jsonl").write_text(json.dumps({"epoch": 1, "quality": {"recognized_share": 0.42}}) + "\n")
    broken = tmp_path / "broken-run"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    token = new_seat_token()
    write_owner(broken, seat_id(token))  # the student's own damaged run; good-run is the teacher's (no owner)
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path))

    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["seat_token"] = token
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("no-hacks · mnist-5k · 0 steps · best: 42% recognized") for c in captions), captions
    assert any("broken-run/config.json cannot be read" in c for c in captions), captions
    assert [b.label for b in at.button if b.key == "delete-broken-run"] == ["Delete"]  # a bad folder can go
    assert not [b for b in at.button if b.key == "delete-good-run"]  # the teacher's run is read-only


def test_the_runs_page_says_where_runs_go_when_there_are_none(tmp_path, monkeypatch, open_page):
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "none-yet"))
    at = open_page(PAGE)
    assert "No runs yet" in at.info[0].value


def _bold_ids(at) -> list[str]:
    return [m.value.strip("*") for m in at.markdown if m.value.startswith("**")]


def test_a_class_of_runs_shows_ten_at_a_time_and_a_student_can_keep_to_their_own(tmp_path, monkeypatch):
    from gan_core.jobs.server import shared_classroom

    me, other = new_seat_token(), new_seat_token()
    for i in range(23):  # run-00 the oldest; every third one this student's
        folder = tmp_path / f"run-{i:02d}"
        folder.mkdir()
        (folder / "config.json").write_text(preset("no-hacks").to_json())
        write_owner(folder, seat_id(me if i % 3 == 0 else other))
        stamp = 1_700_000_000 + 60 * i
        os.utime(folder / "config.json", (stamp, stamp))
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path))
    room = shared_classroom()
    before = room.rules().students_see_others
    room.set_rules(students_see_others=True)
    try:
        at = AppTest.from_file(str(PAGE), default_timeout=60)
        at.session_state["seat_token"] = me
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        assert _bold_ids(at) == [f"run-{i:02d}" for i in range(22, 12, -1)]  # the newest ten
        assert any(c.value == "Runs 1–10 of 23, newest first" for c in at.caption)
        assert at.button(key="runs_newer").disabled and not at.button(key="runs_older").disabled
        at.button(key="runs_older").click().run()
        at.button(key="runs_older").click().run()
        assert _bold_ids(at) == ["run-02", "run-01", "run-00"]  # the last page
        assert at.button(key="runs_older").disabled
        at.toggle(key="runs_only_mine").set_value(True).run()
        assert _bold_ids(at) == [f"run-{i:02d}" for i in range(21, -1, -3)]  # eight of mine: one page
        assert not [b for b in at.button if b.key in ("runs_newer", "runs_older")]
        assert len([b for b in at.button if b.key.startswith("delete-")]) == 8  # each of mine has its Delete
        newcomer = AppTest.from_file(str(PAGE), default_timeout=60)
        newcomer.session_state["seat_token"] = new_seat_token()
        newcomer.run()
        newcomer.toggle(key="runs_only_mine").set_value(True).run()
        assert _bold_ids(newcomer) == [] and "None of these runs is yours yet" in newcomer.info[0].value
    finally:
        room.set_rules(students_see_others=before)
