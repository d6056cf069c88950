"""The server-wide trainer pool: slots with a line, owners, plain refusals, reattach, idle stop."""

import threading
import time

import pytest

from gan_core.config.presets import preset
from gan_core.jobs.job import PoolBusy
from gan_core.jobs.pool import TrainerPool
from gan_core.run.trainer import Trainer

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


@pytest.fixture
def endless(small_digits, small_config):
    """A factory of trainers that train until stopped."""
    return lambda: Trainer(small_config(), data=small_digits)


def test_limit_busy_message_reattach_and_idle_stop(endless):
    pool = TrainerPool(max_active=1, idle_seconds=1.0)
    first = pool.start(endless)
    assert pool.get(first) is pool.get(first) and pool.get(first) is not None  # same trainer on refresh
    with pytest.raises(PoolBusy, match="The machine is busy: 1 training slot taken"):
        pool.start(endless)
    assert "waits in line" in pool.busy_message()
    # Nobody touches it: after the idle timeout the janitor stops it and frees the slot.
    deadline = time.time() + 30
    while pool.get(first).snapshot().active and time.time() < deadline:
        time.sleep(0.2)
    assert pool.get(first).snapshot().state == "stopped"
    assert pool.busy_message() is None
    second = pool.start(endless)
    pool.get(second).stop()


def test_touch_keeps_a_watched_trainer_alive(endless):
    pool = TrainerPool(max_active=2, idle_seconds=0.6)
    trainer_id = pool.start(endless)
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
    pool = TrainerPool(max_active=1, short_work=1)
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
        "The machine is busy: 1 other pages are computing right now. Try again in a moment.",
        "ran",
    ]
    assert pool.active_count() == 0  # given back when the block ended


def test_many_threads_never_hold_more_slots_than_the_limit():
    pool = TrainerPool(max_active=1, short_work=2)
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
    pool = TrainerPool(max_active=1, short_work=1)
    with pytest.raises(ValueError):
        with pool.slot():
            raise ValueError("bad zip")
    with pool.slot():
        assert pool.active_count() == 1


def test_short_work_never_takes_a_training_slot_nor_waits_for_one(endless):
    """A playground burst or an upload's decoding beside a class's trainings: the trainings'
    slots and the short-work places are counted apart, so neither blocks the other."""
    pool = TrainerPool(max_active=1, short_work=1)
    with pool.slot():
        assert pool.busy_message() is None
        trainer_id = pool.start(endless)
    with pool.slot():
        pass  # a training holds the only training slot: short work still runs
    pool.get(trainer_id).stop()
    pool.get(trainer_id).join(60)


def test_a_page_showing_a_runs_folder_keeps_its_trainer_alive(small_digits, small_config, tmp_path):
    pool = TrainerPool(max_active=1, idle_seconds=0.6)
    cfg = small_config()
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


# -- the line for training slots, and owners ----------------------------------------------------
class WaitingJob:
    """A stub job that waits for its turn like a Trainer and then holds its slots until stopped:
    the line's behaviour needs no TensorFlow."""

    def __init__(self, turn):
        import threading

        self.turn, self.state, self._stop = turn, "queued", threading.Event()
        self.places: list[int] = []

    def start(self):
        import threading

        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        if self.turn.wait(self._stop, self.places.append):
            self.state = "running"
            self._stop.wait()
            self.turn.done()
        self.state = "stopped"

    def stop(self, timeout=2.0):
        self._stop.set()
        self._thread.join(timeout)
        return True

    def join(self, timeout=None):
        self._thread.join(timeout)

    def is_active(self):
        return self.state in ("queued", "running")

    def status(self):
        return self


def test_starts_past_the_limit_wait_in_line_and_start_by_themselves(wait_until):
    pool = TrainerPool(max_active=2)
    a, b, c = (pool.enqueue(WaitingJob, owner=f"{i:024x}") for i in range(3))
    wait_until(lambda: pool.get(a).state == pool.get(b).state == "running")
    assert pool.get(c).state == "queued" and pool.place(c) == 1 and pool.get(c).places == [1]
    assert "waits in line (2nd)" in pool.busy_message()
    pool.get(a).stop()
    wait_until(lambda: pool.get(c).state == "running")
    pool.stop_all()


def test_a_comparison_waits_for_two_slots_and_leaving_the_line_frees_its_place(wait_until):
    pool = TrainerPool(max_active=2)
    first = pool.enqueue(WaitingJob, owner="1" * 24)
    comparison = pool.enqueue(WaitingJob, owner="2" * 24, slots=2, kind="comparison")
    later = pool.enqueue(WaitingJob, owner="3" * 24)
    wait_until(lambda: pool.get(first).state == "running")
    time.sleep(0.3)
    assert pool.get(comparison).state == "queued" and pool.get(later).state == "queued"  # no passing
    pool.get(comparison).stop()  # it leaves the line
    wait_until(lambda: pool.get(later).state == "running")
    assert pool.get(comparison).state == "stopped"
    pool.stop_all()


def test_one_browser_cannot_fill_the_line():
    from gan_core.jobs.pool import MAX_PER_SEAT

    pool = TrainerPool(max_active=1)
    for _ in range(MAX_PER_SEAT):
        pool.enqueue(WaitingJob, owner="a" * 24)
    with pytest.raises(PoolBusy, match="You already have 2 trainings or comparisons going"):
        pool.enqueue(WaitingJob, owner="a" * 24)
    pool.enqueue(WaitingJob, owner="b" * 24)  # another browser still gets in line
    assert [r.owner for r in pool.jobs(owner="a" * 24)] == ["a" * 24] * MAX_PER_SEAT
    assert pool.latest("b" * 24) == pool.jobs(owner="b" * 24)[-1].job_id
    pool.stop_all()


def test_a_queued_training_says_its_place_and_starts_when_the_slot_frees(
    small_digits, small_config, wait_until, tmp_path
):
    """Real Trainers through start_training: the second waits, "queued" with its place, and
    trains once the first is stopped."""
    cfg = small_config()
    pool = TrainerPool(max_active=1, idle_seconds=600)
    first = pool.start_training(cfg, run_dir=tmp_path / "a", data=small_digits, owner="a" * 24)
    second = pool.start_training(cfg, run_dir=tmp_path / "b", data=small_digits, owner="b" * 24)
    try:
        wait_until(lambda: pool.get(first).status().state == "running", timeout=120)
        status = pool.get(second).status()
        assert status.state == "queued" and status.active and "1st in line" in status.message
        assert not (tmp_path / "b" / "config.json").exists()  # nothing is built while it waits
        pool.get(first).stop(timeout=60)
        wait_until(lambda: pool.get(second).status().state == "running", timeout=120)
    finally:
        pool.stop_all()
        for job_id in (first, second):
            pool.get(job_id).join(60)
