"""A lecture hall: viewer pages refresh less often as more viewers watch one run."""

import pytest

from gan_core.jobs.watchers import WINDOW_SECONDS, Watchers
from ui.refresh import MAX_SLOWDOWN, factor_for


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_each_viewer_session_counts_once_and_a_gone_one_is_forgotten():
    clock = Clock()
    watchers = Watchers(clock)
    for i in range(30):
        assert watchers.seen("job-a", f"viewer-{i}") == i + 1
    assert watchers.seen("job-a", "viewer-0") == 30  # a refresh of the same page: not a new viewer
    assert watchers.seen("job-b", "viewer-x") == 1  # another run's viewers are counted apart
    clock.now += WINDOW_SECONDS + 1
    assert watchers.seen("job-a", "viewer-5") == 1  # the other 29 stopped refreshing: gone


@pytest.mark.parametrize(
    "watching,factor", [(1, 1), (20, 1), (21, 2), (40, 2), (41, 4), (100, 8), (160, 8), (5000, MAX_SLOWDOWN)]
)
def test_viewers_slow_down_by_doublings_as_their_number_grows(watching, factor):
    assert factor_for(watching) == factor
