"""A class simulated: thirty students for two minutes beside the teacher's training (devtools.class_sim).

Thirty student browsers over Streamlit's websocket open pages, move sliders, start runs (they
wait in line: the teacher's run holds the one slot) and stop them, upload the users' files of
the shared cases and hostile ones, delete their own runs and try to delete others', while the
teacher's run trains; its speed is measured in alternating phases, the class silent and
active. The case fails on an exception (in a page or the server's log), an action left
unanswered, a run deleted by anyone but its owner or the teacher, an attempt on someone
else's run that was not refused, a multi-line upload error, or the teacher's run slower than
MIN_RATIO of its speed alone.
"""

from __future__ import annotations

from pathlib import Path

from devtools.class_sim import run_class
from devtools.reliability import Case

STUDENTS = 30
SECONDS = 120.0
# The teacher's run keeps at least this share of its speed alone while the class works: the
# students' runs wait in line, so what slows it is the pages' own work on the server's cores.
MIN_RATIO = 0.70


def check_class(f: dict, min_ratio: float) -> str:
    """The figures of devtools.class_sim as one line; AssertionError (the first problem) when
    the app did something wrong or the teacher's run kept less than `min_ratio` of its speed."""
    assert not f["exceptions"], f"exceptions on pages: {f['exceptions'][:3]}"
    assert not f["log_errors"], f"error lines in the server's log: {f['log_errors'][:3]}"
    assert not f["client_errors"], f"the simulation itself failed: {f['client_errors'][:3]}"
    assert f["sessions_answered"] == f["sessions"], (
        f"{f['actions_unanswered']} actions unanswered, in {f['sessions'] - f['sessions_answered']} sessions: "
        f"{f['unanswered'][:3]}"
    )
    assert not f["wrongful_deletes"], (
        f"runs deleted by someone other than their owner or the teacher: {f['wrongful_detail']}"
    )
    assert f["attempts_refused"] == f["attempts_on_others"], "a delete of someone else's run was not refused"
    assert f["button_ids_wrong"] == 0, "the forged button ids would not have matched the real ones"
    assert all(ok for _, ok in f["mischief"]), f"a student reached the teacher's page or seat: {f['mischief']}"
    assert f["upload_multiline_errors"] == 0, "an upload was refused with more than one line"
    line = (
        f"teacher {f['teacher_steps_per_s_alone']:.2f} steps/s alone, {f['teacher_steps_per_s_class']:.2f} in class "
        f"({f['ratio']:.0%}; this script's own clients used {max(f['client_cores']['class']):.2f} cores in class); "
        f"{f['sessions_answered']}/{f['sessions']} sessions answered all "
        f"{f['actions_answered']} actions (median {f['answer_median_s']} s, p95 {f['answer_p95_s']} s, max "
        f"{f['answer_max_s']} s); exceptions 0; {f['starts']} starts, {f['stops']} stops; "
        f"{f['folders_vanished']} runs deleted, all by owner or teacher ({f['deletes_by_teacher']} of "
        f"{f['deletes_asked']} asks by the teacher); {f['attempts_on_others']} tries on others' runs "
        f"({f['button_ids_verified']} ids verified) and {len(f['mischief'])} at the teacher's page or seat, "
        f"all refused; {f['uploads']} uploads, {len(f['upload_errors'])} files refused in one line, slowest "
        f"{f['upload_max_s']} s; server peak {f['peak_rss_mb']} MB"
    )
    assert f["ratio"] >= min_ratio, (
        f"the teacher's run kept {f['ratio']:.0%} of its speed (at least {min_ratio:.0%}): {line}"
    )
    return line


def class_of_thirty(workdir: Path) -> str:
    """Thirty students for two minutes beside the teacher's training (see the module's doc)."""
    return check_class(run_class(STUDENTS, SECONDS), MIN_RATIO)


CASES = [Case("a class simulated: 30 students, 2 minutes", class_of_thirty)]
