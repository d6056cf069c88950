"""The teacher of a simulated class, and the watch over the runs folder.

The teacher opens the app with the teacher link (`?teacher=<token>`, which gives that browser
the teacher's seat) and starts a training of the default preset from the Train page, with the
class's time limit; that browser then only watches its run. A second teacher browser
(`Teacher`) keeps the Class page open and, now and then, deletes a stopped student run from
the Runs page, as a teacher tidying up would. `FolderWatch` notes every run folder and its
owner (owner.json) as it appears, so that a folder that disappears can be checked against the
delete requests: only its owner or the teacher may have asked.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState

from devtools.class_students import Book, Student
from devtools.st_client import StreamlitSession, status_numbers
from gan_core.jobs.seats import seat_id
from gan_core.store.run_owner import read_owner

START_LABEL = "Start training"
BUDGET_LABEL = "Training time (s)"  # 0 takes the class's limit
CLASS_PAGE = "Class"


async def open_teacher(ws_url: str, token: str, book: Book, timeout: float = 300.0) -> StreamlitSession:
    """Open the teacher's browser, start the default preset's training with the class's time
    limit and wait for its first epoch; returns the session (it keeps polling its page)."""
    teacher = StreamlitSession(ws_url, query_string=f"teacher={token}")
    await teacher.open(timeout)
    if CLASS_PAGE not in teacher.pages:
        raise RuntimeError("the teacher link did not give the teacher's seat (no Class page in its menu)")
    book.class_page_hash = teacher.pages[CLASS_PAGE]
    book.teacher_seats.add(seat_id(teacher.seat_token))
    # First the budget, then Start, as a browser sends them: Start's callback reads the config
    # the page built in the run before it.
    await teacher.act([WidgetState(id=teacher.widgets[BUDGET_LABEL].id, double_value=0.0)])
    await teacher.click(START_LABEL)
    await teacher.wait_for(lambda s: status_numbers(s.status_line)[1] >= 1, timeout)
    return teacher


class Teacher(Student):
    """The teacher's second browser: the Class page open, and deletes of stopped runs (any
    seat's: the teacher may) on the Runs page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = {"class_page": 2, "delete": 1}

    async def _class_page(self) -> None:
        await self.goto(CLASS_PAGE)


class FolderWatch:
    """Every run folder seen in `runs` (hidden ones aside) and its owner, noted as it appears."""

    def __init__(self, runs: Path):
        self.runs = Path(runs)
        self.seen: dict[str, str | None] = {}  # run id -> owner seat id

    def _present(self) -> set[str]:
        return {p.name for p in self.runs.iterdir() if p.is_dir() and not p.name.startswith(".")}

    def scan(self) -> None:
        """Note the folders present now (and the owner of each new one)."""
        for name in self._present():
            if self.seen.get(name) is None:  # new, or its owner.json not written yet
                self.seen[name] = read_owner(self.runs / name)

    async def watch(self, every: float = 0.25) -> None:
        """Scan every `every` seconds until cancelled."""
        while True:
            self.scan()
            await asyncio.sleep(every)

    def vanished(self) -> dict[str, str | None]:
        """The folders seen that are gone now, with their owners."""
        present = self._present()
        return {name: owner for name, owner in self.seen.items() if name not in present}
