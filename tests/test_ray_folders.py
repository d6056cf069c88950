"""Where a Ray worker writes a training's run folder (gan_core.jobs.ray_actor.choose_folder):
in the app's folder when it finds the app's claim token there, else in a folder of its own
that the app copies back; a resume it cannot see is one line; two trainings never share a
worker folder."""

import pytest

from gan_core.config.tree import ConfigError
from gan_core.jobs.ray_actor import CLAIM_FILE, STAGING_FOLDER, choose_folder, drop_claim, write_claim


def test_a_worker_that_sees_the_claim_writes_in_the_apps_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "worker_runs"))
    app_run = tmp_path / "app_runs" / "20250101-120000-fast-demo-0a1b2c3d"
    token = write_claim(app_run)

    assert choose_folder(app_run, resume=False, claim=token, copy_always=False) == (app_run, False, "")
    assert not (app_run / CLAIM_FILE).exists()  # it served; no stray file in the run
    assert not (tmp_path / "worker_runs").exists()


def test_a_worker_that_does_not_see_it_writes_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "worker_runs"))
    app_run = tmp_path / "app_runs" / "run-a"
    write_claim(app_run)
    staging = tmp_path / "worker_runs" / STAGING_FOLDER

    # Another token than the app's: another machine's folder that happens to have the same path.
    folder, copied, problem = choose_folder(app_run, resume=False, claim="someone else's", copy_always=False)
    assert (folder, copied, problem) == (staging / "run-a", True, "") and folder.is_dir()
    # Told to copy always, a worker that sees the app's folder still writes its own.
    token = write_claim(app_run)
    folder, copied, _ = choose_folder(app_run, resume=False, claim=token, copy_always=True)
    assert copied and folder.parent == staging and folder != staging / "run-a"  # never a folder in use
    assert folder.name.startswith("run-a-") and not (app_run / CLAIM_FILE).exists()


def test_a_resume_the_worker_cannot_see_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "worker_runs"))
    app_run = tmp_path / "app_runs" / "run-a"
    app_run.mkdir(parents=True)

    folder, _, problem = choose_folder(app_run, resume=True, claim="not there", copy_always=True)
    assert folder is None and "\n" not in problem
    assert problem.startswith("The Ray worker ") and f"cannot see {app_run}" in problem
    assert "runs folder shared by every node" in problem
    # One it can see resumes in place, even when told to copy (a resume needs the run's files).
    token = write_claim(app_run)
    assert choose_folder(app_run, resume=True, claim=token, copy_always=True) == (app_run, False, "")


def test_a_withdrawn_training_leaves_no_folder_behind(tmp_path):
    app_run = tmp_path / "runs" / "run-a"
    write_claim(app_run)
    drop_claim(app_run, remove_empty_folder=True)
    assert not app_run.exists()
    write_claim(app_run)
    (app_run / "config.json").write_text("{}")
    drop_claim(app_run, remove_empty_folder=True)
    assert [p.name for p in app_run.iterdir()] == ["config.json"]  # a folder with a run stays


@pytest.mark.parametrize("value", ["yes", "2", "true"])
def test_a_bad_copy_setting_is_one_line_before_any_cluster_is_asked(monkeypatch, value):
    from gan_core.jobs.ray_backend import ray_pool

    monkeypatch.setenv("GAN_LAB_RAY_COPY_RUNS", value)
    with pytest.raises(ConfigError) as e:
        ray_pool("127.0.0.1:1")  # nothing listens there: it would say so if it were asked
    assert str(e.value) == f"GAN_LAB_RAY_COPY_RUNS must be 0 or 1, got {value!r}"
