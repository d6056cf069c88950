"""The figures of a simulated class (devtools.class_sim), from what every session asked and
got (devtools.class_students.Book), the teacher's measured rates and the run folders watched."""

from __future__ import annotations

import re
import statistics
from pathlib import Path

from devtools.class_students import Book
from devtools.class_teacher import FolderWatch
from devtools.st_client import StreamlitSession

# The server's own record of a delete (gan_core.jobs.run_list.delete_run, in the server log).
DELETE_LINE = re.compile(r"run (\S+) deleted by seat (\S+)")


def server_deletes(log: Path) -> list[tuple[str, str]]:
    """(run id, seat id) of every delete the server logged, in order; [] when the log cannot be read."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return []
    return [(m.group(1), m.group(2)) for m in DELETE_LINE.finditer(text)]


def class_figures(
    book: Book,
    klass,
    teacher: StreamlitSession,
    rates: dict,
    folders: FolderWatch,
    peak_kib: int,
    log: Path,
) -> dict:
    """The simulation's figures as one dict (the JSON line of devtools.class_sim): the
    teacher's steps/s alone and in class, sessions and actions answered with their times,
    exceptions, starts and stops, deletes and whether each was its owner's or the teacher's,
    attempts on others' runs, uploads and their error lines, and the server's peak RSS (MB).
    `klass` is class_sim's Class (its students, the teacher's helper browser, client errors);
    `log` the server's log, whose delete lines say who the server let delete what."""
    alone, in_class = statistics.mean(rates["alone"]), statistics.mean(rates["class"])
    sessions = [*klass.students, klass.helper]
    unanswered = {name for name, _ in book.unanswered}
    times = sorted(seconds for _, _, seconds in book.answered)
    vanished = folders.vanished()
    # The server's record (its log's delete lines): who the server let delete what, and the
    # folders that went with no delete at all. The sessions' own requests, forged ones too,
    # only explain a flagged run in `wrongful_detail`.
    by_server = server_deletes(log)
    deleted_here = {run for run, _ in by_server}
    wrongful = [  # an owner never read (deleted within a scan of its start) cannot be judged
        run
        for run, seat in by_server
        if folders.seen.get(run) is not None and seat not in (folders.seen[run], *book.teacher_seats)
    ]
    without_delete = sorted(run for run in vanished if run not in deleted_here)
    wrongful += without_delete
    asked = [*book.deletes, *((seat, run, "forged") for seat, run, _ in book.attempts)]
    refused = [
        ok or (run in vanished and run not in wrongful) for _, run, ok in book.attempts
    ]  # a run its owner deleted later is not the attempt's doing
    return {
        "students": len(klass.students),
        "teacher_steps_per_s_alone": round(alone, 3),
        "teacher_steps_per_s_class": round(in_class, 3),
        "ratio": round(in_class / alone, 3) if alone else 0.0,
        "phases": {k: [round(r, 3) for r in v] for k, v in rates.items()},
        "sessions": len(sessions),
        "sessions_answered": sum(1 for s in sessions if s.name not in unanswered),
        "actions_answered": len(times),
        "actions_unanswered": len(book.unanswered),
        "unanswered": [f"{name}: {what}" for name, what in book.unanswered],
        "slowest": [
            f"{name}: {what} {seconds:.1f} s" for name, what, seconds in sorted(book.answered, key=lambda a: -a[2])[:8]
        ],
        "answer_median_s": round(statistics.median(times), 2) if times else None,
        "answer_p95_s": round(times[int(0.95 * (len(times) - 1))], 2) if times else None,
        "answer_max_s": round(times[-1], 2) if times else None,
        "exceptions": [e for s in sessions for e in s.s.exceptions] + list(teacher.exceptions),
        "client_errors": klass.errors,
        "starts": sum(1 for _, what, _ in book.answered if what == "start"),
        "stops": sum(1 for _, what, _ in book.answered if what == "stop"),
        "deletes_asked": len(book.deletes),
        "deletes_by_teacher": sum(1 for seat, _, _ in book.deletes if seat in book.teacher_seats),
        "folders_seen": len(folders.seen),
        "folders_vanished": len(vanished),
        "wrongful_deletes": wrongful,
        # For each: its owner as the folder watch read it and the seats that asked to delete
        # it (with what the page said), to tell a wrong delete from a misread owner.
        "wrongful_detail": [
            f"{run}: owner {folders.seen.get(run) or 'never read'}, "
            f"deleted by {[seat for r, seat in by_server if r == run] or 'no delete the server logged'}, asked by "
            f"{[(seat, said[:80]) for seat, r, said in asked if r == run] or 'nobody'}; "
            f"teacher seats {sorted(book.teacher_seats)}"
            for run in wrongful
        ],
        "server_deletes": len(by_server),
        "vanished_without_delete": without_delete,
        "attempts_on_others": len(refused),
        "attempts_refused": sum(refused),
        "button_ids_verified": book.ids_checked,
        "button_ids_wrong": book.ids_wrong,
        "mischief": [(kind, ok) for kind, ok in book.mischief],
        "uploads": len(book.uploads),
        "upload_errors": sorted({f"{name}: {errs[-1]}" for name, _, errs in book.uploads if errs}),
        "upload_multiline_errors": sum(1 for _, _, errs in book.uploads for e in errs if "\n" in e.strip()),
        "upload_max_s": round(max((s for _, s, _ in book.uploads), default=0.0), 2),
        "skipped": len(book.skipped),
        "peak_rss_mb": round(peak_kib / 1024),
    }
