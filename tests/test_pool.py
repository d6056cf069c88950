"""The server-wide trainer pool: a limit, plain 'busy' refusals, reattach, idle stop."""

import threading
import time

import pytest

from gan_core.config.presets import preset
from gan_core.jobs.job import PoolBusy
from gan_core.jobs.pool import TrainerPool
from gan_core.run.trainer import Trainer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def endless(small_digits):
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=0", "run.grid_size=2", "run.quality_every_epoch=false"]
    )
    return lambda: Trainer(cfg, data=small_digits)


def test_limit_busy_message_reattach_and_idle_stop(small_digits):
    pool = TrainerPool(max_active=1, idle_seconds=1.0)
    first = pool.start(endless(small_digits))
    assert pool.get(first) is pool.get(first) and pool.get(first) is not None  # same trainer on refresh
    with pytest.raises(PoolBusy, match="The machine is busy: 1 training already running"):
        pool.start(endless(small_digits))
    assert "busy" in pool.busy_message()
    # Nobody touches it: after the idle timeout the janitor stops it and frees the slot.
    deadline = time.time() + 30
    while pool.get(first).snapshot().active and time.time() < deadline:
        time.sleep(0.2)
    assert pool.get(first).snapshot().state == "stopped"
    assert pool.busy_message() is None
    second = pool.start(endless(small_digits))
    pool.get(second).stop()


def test_touch_keeps_a_watched_trainer_alive(small_digits):
    pool = TrainerPool(max_active=2, idle_seconds=0.6)
    trainer_id = pool.start(endless(small_digits))
    end = time.time() + 2.0
    while time.time() < end:
        pool.touch(trainer_id)
        time.sleep(0.1)
    assert pool.get(trainer_id).snapshot().active
    pool.stop_all()
    pool.get(trainer_id).join(60)  # stop() may return while the first trace finishes
    assert pool.get(trainer_id).snapshot().state == "stopped"


# -- slots for short work started from a browser -------------------------------------------------
def test_two_threads_asking_for_the_last_slot_at_once_get_one_slot_and_one_busy_message():
    pool = TrainerPool(max_active=1)
    barrier, release = threading.Barrier(2), threading.Event()
    outcomes = []

    def ask():
        barrier.wait()
        try:
            with pool.slot():
                outcomes.append("ran")
                release.wait(30)
        except PoolBusy as e:
            outcomes.append(str(e))
            release.set()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == [
        "The machine is busy: 1 training already running (this server allows 1 at a "
        "time). Try again when one finishes.",
        "ran",
    ]
    assert pool.active_count() == 0  # given back when the block ended


def test_many_threads_never_hold_more_slots_than_the_limit():
    pool = TrainerPool(max_active=2)
    inside, most, refused = [0], [0], [0]
    count_lock = threading.Lock()

    def work():
        for _ in range(200):
            try:
                with pool.slot():
                    with count_lock:
                        inside[0] += 1
                        most[0] = max(most[0], inside[0])
                    time.sleep(0.0005)
                    with count_lock:
                        inside[0] -= 1
            except PoolBusy:
                with count_lock:
                    refused[0] += 1

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert most[0] == 2 and refused[0] > 0
    assert pool.active_count() == 0


def test_a_slot_is_given_back_when_the_work_raises():
    pool = TrainerPool(max_active=1)
    with pytest.raises(ValueError):
        with pool.slot():
            raise ValueError("bad zip")
    with pool.slot():
        assert pool.active_count() == 1


def test_a_held_slot_refuses_a_training_and_a_training_refuses_a_slot(small_digits):
    pool = TrainerPool(max_active=1)
    with pool.slot():
        assert "busy" in pool.busy_message()
        with pytest.raises(PoolBusy):
            pool.start(endless(small_digits))
    trainer_id = pool.start(endless(small_digits))
    with pytest.raises(PoolBusy, match="The machine is busy"):
        with pool.slot():
            pass
    pool.get(trainer_id).stop()
    pool.get(trainer_id).join(60)
    with pool.slot():
        pass


def test_a_page_showing_a_runs_folder_keeps_its_trainer_alive(small_digits, tmp_path):
    pool = TrainerPool(max_active=1, idle_seconds=0.6)
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=0", "run.grid_size=2", "run.quality_every_epoch=false"]
    )
    run_dir = tmp_path / "runs" / "demo"
    trainer_id = pool.start(lambda: Trainer(cfg, run_dir=run_dir, data=small_digits))
    end = time.time() + 2.0
    while time.time() < end:
        pool.touch_run(tmp_path / "runs" / ".." / "runs" / "demo")  # the same folder, spelled otherwise
        time.sleep(0.1)
    assert pool.get(trainer_id).is_active()
    pool.touch_run(tmp_path / "elsewhere")  # another folder: no effect
    deadline = time.time() + 30
    while pool.get(trainer_id).is_active() and time.time() < deadline:
        time.sleep(0.2)
    assert pool.get(trainer_id).snapshot().state == "stopped"


def test_trainers_and_comparisons_are_both_jobs_the_pool_holds(small_digits):
    from gan_core.compare.job import CompareJob
    from gan_core.jobs.job import Job

    cfg = preset("fast-demo").with_overrides(["run.max_seconds=5", "run.epochs=0", "run.grid_size=2"])
    trainer, comparison = Trainer(cfg, data=small_digits), CompareJob(cfg, cfg, data=small_digits)
    assert isinstance(trainer, Job) and isinstance(comparison, Job)
    assert not isinstance(object(), Job)  # a bare object is not mistaken for one
    pool = TrainerPool(max_active=2)
    ids = [pool.adopt(trainer), pool.adopt(comparison)]
    assert [pool.get(i) for i in ids] == [trainer, comparison]
    assert pool.active_count() == 0  # neither started: no slot taken


def test_without_a_ray_address_the_app_and_the_cli_never_import_ray():
    """`make run` needs no Ray: the pool, the pages' modules and the CLI's train path load
    without it, and the shared pool is the in-process one."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import gan_core.jobs.server as server, gan_core.cli.main, gan_core.cli.train\n"
        "import ui.session, ui.train_view, ui.latent_view\n"
        "assert server.shared_pool().admission is None\n"
        "print('ray' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "GAN_LAB_RAY_ADDRESS"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=180)
    assert r.returncode == 0, r.stderr[-1500:]
    assert r.stdout.strip() == "False"
