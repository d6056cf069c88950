"""The server-wide trainer pool: a limit, plain 'busy' refusals, reattach, idle stop."""
import time

import pytest

from gan_core.pool import PoolBusy, TrainerPool
from gan_core.presets import preset
from gan_core.trainer import Trainer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def endless(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.max_seconds=0", "run.epochs=0", "run.grid_size=2",
                                              "run.quality_every_epoch=false"])
    return lambda: Trainer(cfg, data=small_digits)


def test_limit_busy_message_reattach_and_idle_stop(small_digits):
    pool = TrainerPool(max_active=1, idle_seconds=1.0)
    first = pool.start(endless(small_digits))
    assert pool.get(first) is pool.get(first) and pool.get(first) is not None     # same trainer on refresh
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
    pool.get(trainer_id).join(60)          # stop() may return while the first trace finishes
    assert pool.get(trainer_id).snapshot().state == "stopped"
