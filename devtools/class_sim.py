"""A class simulated: `python -m devtools.class_sim --students 30 --seconds 120`.

Starts the app on loopback (headless) with one training slot, a teacher token and students
allowed to see each other's runs; the teacher opens it with the teacher link and starts a
training of the default preset (its time: the class's limit). A second teacher browser
watches the Class page and deletes stopped student runs from the Runs page now and then.
Then `--students` student browsers connect one after another (each over Streamlit's websocket,
each a seat of its own, devtools.st_client) and each, at a student's pace (one action every
3 to 8 s, seeded), does what devtools.class_students describes: pages, sliders, Start and
Stop (their runs wait in line: the teacher holds the one slot), uploads of the users' files
in `--cases` and of hostile ones this script writes, deletes of its own runs, and tries at
deleting others' runs and at the teacher's seat.

The teacher's steps/s is measured from the teacher's status line in alternating phases
(alone, class, alone, class: the machine's own drift falls on both sides alike): "alone", the
students are connected but silent (nothing polls, nothing acts, and what they started has been
answered); "class", they act and their pages poll as a browser's do. The class phases last
`--seconds` in all, the alone ones a third of that.

Prints ONE JSON line: the teacher's steps/s alone and in class and their ratio, the cores this
script itself used in each phase (`client_cores`: its clients share the server's cores here,
as thirty browsers would not in a class), sessions
that had every action answered, actions and the answer times, exceptions (exception elements
the sessions received and error lines of the server's log), run folders that disappeared and
who deleted each (the server log's record, against each folder's owner and the teacher's
seats), the attempts on others' runs and whether they were refused, uploads and the error
lines they drew, and the server's peak memory (VmHWM).
Everything is bounded: each action (class_students.ACTION_SECONDS), each wait, the whole run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from devtools.app_harness import app_server
from devtools.class_figures import class_figures
from devtools.class_files import hostile_files, shared_case_files
from devtools.class_students import Book, Student
from devtools.class_teacher import FolderWatch, Teacher, open_teacher
from devtools.st_client import StreamlitSession, status_numbers
from devtools.st_upload import xsrf_cookie

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "cases"  # the users' files of the shared cases, kept in the repository
TEACHER_TOKEN = "class-simulation-teacher-token"
SETTLE_SECONDS = 2.0  # after a phase switch, before its clock starts: requests in flight finish
PACE_SECONDS = (3.0, 8.0)  # a student's pause between two actions
FIRST = ("start", "stop")  # every student's first actions: a run waits in line, and leaves it (a run to delete)
ENV = {
    "GAN_LAB_MAX_TRAININGS": "1",  # the teacher's run holds the slot: every student's Start waits in line
    "GAN_LAB_TEACHER_TOKEN": TEACHER_TOKEN,
    "GAN_LAB_SHOW_OTHERS": "1",  # students see each other's runs: the ids to try a delete on are in sight
    "GAN_LAB_IDLE_SECONDS": "3600",
}


def server_pid() -> int:
    """The app server: this process's streamlit child."""
    me = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if ppid == me and b"streamlit" in cmdline:
            return int(entry.name)
    raise RuntimeError("the app server's process was not found")


def vm_kib(pid: int, field: str) -> int:
    """A memory figure of /proc/PID/status (VmRSS, VmHWM) in KiB; 0 when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def _teacher_rate(teacher: StreamlitSession, seconds: float) -> float:
    """Steps/s of the teacher's run over `seconds`, read from fresh status lines at both ends."""

    async def fresh_status() -> tuple[int, float]:
        """(step, time.monotonic()) of the next status line the teacher's page receives."""
        seen = teacher.status_at
        await teacher.wait_for(lambda s: s.status_at > seen, 30)
        return status_numbers(teacher.status_line)[0], teacher.status_at

    step0, t0 = await fresh_status()
    await asyncio.sleep(seconds)
    step1, t1 = await fresh_status()
    return (step1 - step0) / (t1 - t0)


class Class:
    """The students and the teacher's helper, with the switch between class and alone phases."""

    def __init__(self, students: list[Student], helper: Teacher, seed: int):
        self.students, self.helper = students, helper
        self.on = asyncio.Event()
        self.busy = 0
        self.errors: list[str] = []  # what failed in this client (not an answer the app gave)
        self.rng = random.Random(seed)
        self.tasks = [asyncio.create_task(self._live(s)) for s in [*students, helper]]

    async def _live(self, who) -> None:
        await asyncio.sleep(self.rng.uniform(0, PACE_SECONDS[1]))  # not all at the first second
        while True:
            await self.on.wait()
            self.busy += 1
            try:
                await who.act()
            except Exception as e:  # a client-side failure is booked, and the student goes on
                self.errors.append(f"{who.name}: {type(e).__name__}: {str(e)[:160]}")
            finally:
                self.busy -= 1
            await asyncio.sleep(who.rng.uniform(*PACE_SECONDS))

    async def switch(self, on: bool, timeout: float) -> None:
        """Start the class (its pages poll, students act) or quiet it (nothing polls; returns once
        every action in flight was answered, at most `timeout` s, and SETTLE_SECONDS more)."""
        for who in [*self.students, self.helper]:
            who.s.polling = on
        if on:
            self.on.set()
            return
        self.on.clear()
        end = time.monotonic() + timeout
        while self.busy and time.monotonic() < end:
            await asyncio.sleep(0.1)
        await asyncio.sleep(SETTLE_SECONDS)

    async def close(self) -> None:
        """Stop every student's loop and close every session."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for who in [*self.students, self.helper]:
            await who.s.close()


async def simulate(url: str, runs: Path, n_students: int, seconds: float, seed: int, files: list, first=FIRST) -> dict:
    """Run the class against the app at `url` (see the module's docstring), each student doing
    the actions `first` before its random ones; returns the figures."""
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    xsrf = await asyncio.to_thread(xsrf_cookie, url)
    book = Book()
    pid = server_pid()
    folders = FolderWatch(runs)
    watch = asyncio.create_task(folders.watch())
    teacher = await open_teacher(ws_url, TEACHER_TOKEN, book)
    helper = Teacher(
        "teacher-2",
        StreamlitSession(ws_url, f"teacher={TEACHER_TOKEN}", polling=False),
        random.Random(seed),
        files,
        runs,
        book,
        url,
        xsrf,
    )
    await helper.s.open()
    book.teacher_seats.add(helper.seat)
    students = []
    for i in range(n_students):  # a class arriving: one after another
        session = StreamlitSession(ws_url, polling=False)
        await session.open()
        rng = random.Random(seed * 1000 + i)
        students.append(Student(f"student-{i}", session, rng, files, runs, book, url, xsrf, first))
    klass = Class(students, helper, seed)
    rates = {"alone": [], "class": []}
    client = {"alone": [], "class": []}  # cores this script used: the students' browsers are elsewhere in a class
    try:
        for phase in ("alone", "class", "alone", "class"):
            await klass.switch(phase == "class", timeout=120)
            span = seconds / 2 if phase == "class" else seconds / 6
            print(f"class_sim: {phase} phase, {span:.0f} s", file=sys.stderr, flush=True)  # progress
            cpu0, wall0 = time.process_time(), time.monotonic()
            rates[phase].append(await _teacher_rate(teacher, span))
            client[phase].append(round((time.process_time() - cpu0) / (time.monotonic() - wall0), 3))
        await klass.switch(False, timeout=120)
        peak_kib = vm_kib(pid, "VmHWM")
    finally:
        watch.cancel()
        await klass.close()
        await teacher.close()
    folders.scan()
    port = url.rsplit(":", 1)[1]  # devtools.app_harness logs the server beside its runs folder
    figures = class_figures(book, klass, teacher, rates, folders, peak_kib, runs.parent / f"streamlit-{port}.log")
    return {**figures, "client_cores": client}


def log_errors(log: Path) -> list[str]:
    """Error lines of the server's log: tracebacks and lines logged at ERROR level."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [ln for ln in lines if ln.startswith("Traceback") or " ERROR " in ln or ln.startswith("ERROR")]


def run_class(
    n_students: int, seconds: float, seed: int = 1, cases: Path = CASES, first=FIRST, deadline: float | None = None
) -> dict:
    """Make the files, start the server, run the class (within `deadline` seconds in all, by
    default 300 s + 3 x `seconds` + 10 s a student; each student doing `first` before its random
    actions) and return the figures, with the server log's error lines."""
    deadline = deadline or 300.0 + 3 * seconds + 10.0 * n_students
    with tempfile.TemporaryDirectory(prefix="class-sim-") as tmp:
        work = Path(tmp)
        files = shared_case_files(cases) + hostile_files(work / "hostile")
        runs = work / "runs"
        runs.mkdir()
        with app_server(runs, extra_env=ENV) as url:
            t0 = time.perf_counter()
            figures = asyncio.run(
                asyncio.wait_for(simulate(url, runs, n_students, seconds, seed, files, first), deadline)
            )
            figures["wall_seconds"] = round(time.perf_counter() - t0, 1)
            port = url.rsplit(":", 1)[1]
            figures["log_errors"] = log_errors(work / f"streamlit-{port}.log")
        figures["files"] = len(files)
    return figures


def main(argv: list[str] | None = None) -> int:
    """The command line: --students N, --seconds S (class time), --seed; prints one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m devtools.class_sim", description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30, help="student browsers (default 30)")
    parser.add_argument("--seconds", type=float, default=120.0, help="seconds of class, all class phases together")
    parser.add_argument("--seed", type=int, default=1, help="seed of the students' choices")
    parser.add_argument(
        "--cases", type=Path, default=CASES, help="the users' files to upload (images/, models/, points/)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.students <= 60 or not 12 <= args.seconds <= 600:
        parser.error("--students must be in 1..60 and --seconds in 12..600")
    print(json.dumps(run_class(args.students, args.seconds, args.seed, args.cases)))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.exit(main())
