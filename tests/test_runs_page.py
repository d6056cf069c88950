"""The Runs page's script in AppTest: damaged folders are one line each, never an exception."""

import json
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
