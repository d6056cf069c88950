"""A small class simulated (devtools.class_sim): five student browsers beside the teacher's run.

The same simulation as `make reliability`'s thirty students for two minutes, small: each
student starts a run (it waits in line behind the teacher's), leaves the line, uploads a file
(the users' cases or a hostile one), tries to delete someone else's run with that run's own
button ids, and deletes its own, then goes on at random. Every action must be answered, no page
may show an exception, and only a run's owner or the teacher may have deleted it, by the
server's own record of deletes in its log.
"""

import pytest

from devtools.class_sim import run_class
from devtools.reliability.cases_class import check_class

pytestmark = pytest.mark.slow


def test_a_small_class_is_answered_and_nobody_deletes_someone_elses_run():
    figures = run_class(5, 40.0, seed=3, first=("start", "stop", "upload", "delete_others", "delete"))
    check_class(figures, min_ratio=0.0)  # timings are for make reliability; here what happened
    assert figures["sessions"] == 6  # five students and the teacher's second browser
    assert figures["starts"] >= 5 and figures["uploads"] >= 5
    assert figures["attempts_on_others"] >= 1 and figures["button_ids_verified"] >= 1
    assert figures["folders_vanished"] >= 1  # deletes happened, each by its owner or the teacher
    # ... as the server's own log records them (run and seat): every vanished folder is there.
    assert figures["server_deletes"] >= figures["folders_vanished"] and not figures["vanished_without_delete"]
    assert figures["teacher_steps_per_s_class"] > 0  # the teacher's run trained on through the class
    assert len(figures["client_cores"]["class"]) == 2  # the script's own cores, one figure per class phase
