"""A short soak: trainings started and stopped through the pool, and browser sessions opened
and dropped against the real app, leave no thread behind (`make reliability` runs 50 of each)."""

from __future__ import annotations

import pytest

from devtools.reliability.cases_soak import session_cycles, trainer_cycles

# Each training runs steps here: before the compiled step was reused, each of them traced anew
# and kept 10-45 MiB of TensorFlow's native memory, so ten of them grew RSS by 100 MiB or more.
MAX_GROWTH_MIB_TEN_TRAININGS = 20.0

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_ten_trainings_started_and_stopped_leave_no_thread_behind_and_memory_flat():
    figures = trainer_cycles(10, warm_up=1, train_every=1)
    before, after = figures["before"], figures["after"]
    assert after["py_threads"] == before["py_threads"]
    assert not any(name.startswith("gan-trainer") for name in after["py_threads"])
    assert after["threads"] <= before["threads"]
    assert after["rss_mib"] - before["rss_mib"] <= MAX_GROWTH_MIB_TEN_TRAININGS


def test_ten_browser_sessions_opened_and_dropped_leave_no_thread_behind(tmp_path):
    figures = session_cycles(10, tmp_path, warm_up=1)
    assert figures["after"]["threads"] <= figures["before"]["threads"]
