"""What a simulated student does in a class: one random action at a time, over the websocket.

Each `Student` is one browser (its own seat, devtools.st_client) that, at a student's pace,
opens pages, moves sliders, starts a training (it waits in line past the server's slots) and
stops it, uploads files into the three uploaders (the users' files of the shared cases and
hostile ones), deletes its own stopped runs on the Runs page and, now and then, tries what a
mischievous student might: to delete someone else's run by replaying the Delete and confirm
buttons of that run (their widget ids computed exactly as Streamlit computes them), to open
the teacher's page by its script hash, or to claim the teacher's seat with a wrong token.
Every action is one rerun or a few, each bounded in time; `Book` keeps what was asked and
answered, for the checks of devtools.class_sim.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.elements.lib.utils import _compute_element_id
from streamlit.proto.Common_pb2 import DoubleArray, StringArray
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState

from devtools.st_client import StreamlitSession
from devtools.st_upload import upload
from gan_core.jobs.seats import seat_id

ACTION_SECONDS = 90.0  # the longest wait for one answer of the server before it counts as unanswered
# An action is up to four round trips (a page switch, a select, then Delete and "Yes, delete",
# or an upload), each bounded by ACTION_SECONDS on its own: the action as a whole gets that
# many, so four slow but answered requests in a row are not booked as one unanswered action.
ANSWERS_PER_ACTION = 4
RUN_ID = re.compile(r"^\*\*([A-Za-z0-9_.-]+)\*\*$")  # a Runs page row's bold run id
# Where each kind of upload goes: (page, its select's label, a text of the upload option).
UPLOADERS = {
    "points": ("2D playground", "Dataset", "CSV"),
    "generator": ("Latent explorer", "Generator", "Upload"),
    "images": ("Train", "Dataset", ".zip upload"),
}
PAGE_WEIGHTS = {"Train": 3, "Latent explorer": 2, "Compare": 1, "Runs": 2, "Hacks guide": 1, "2D playground": 2}
ACTIONS = {"page": 24, "slider": 30, "start": 10, "stop": 8, "upload": 12, "delete": 8, "mischief": 8}


@dataclass(frozen=True)
class UploadFile:
    """A file a student may upload: its kind (a key of UPLOADERS), name and bytes."""

    kind: str
    name: str
    data: bytes


@dataclass
class Book:
    """What every session asked and got: actions and their answer times, unanswered ones,
    delete requests (seat id, run id, by the teacher?), attempts on others' runs, uploads and
    the alerts they drew, and what the client could not do (no such widget)."""

    teacher_seats: set = field(default_factory=set)
    class_page_hash: str = ""
    answered: list = field(default_factory=list)  # (session, action, seconds)
    unanswered: list = field(default_factory=list)  # (session, action)
    deletes: list = field(default_factory=list)  # (seat id, run id, outcome line)
    attempts: list = field(default_factory=list)  # (seat id, run id, folder still there after)
    mischief: list = field(default_factory=list)  # (kind, refused?)
    uploads: list = field(default_factory=list)  # (file name, seconds, error lines drawn)
    ids_checked: int = 0  # own Delete buttons whose id matched the computed one
    ids_wrong: int = 0
    skipped: list = field(default_factory=list)  # (session, action, why)


def button_id(key: str, page_hash: str) -> str:
    """The widget id Streamlit gives `st.button(..., key=key)` on the page `page_hash`: a keyed
    button's id hashes only its type, key and page (streamlit.elements.lib.utils)."""
    return _compute_element_id("button", key, active_script_hash=page_hash)


def slider_state(widget, rng: random.Random) -> WidgetState:
    """A new value for a slider or select slider (one thumb or two), on its step grid."""
    el = widget.element
    thumbs = max(1, len(el.default))
    if el.options:
        picks = sorted(rng.randrange(len(el.options)) for _ in range(thumbs))
        return WidgetState(id=widget.id, string_array_value=StringArray(data=[el.options[i] for i in picks]))
    steps = max(0, int(round((el.max - el.min) / el.step)))
    values = sorted(round(el.min + rng.randint(0, steps) * el.step, 10) for _ in range(thumbs))
    if el.data_type == Slider.INT:
        values = [float(int(round(v))) for v in values]
    return WidgetState(id=widget.id, double_array_value=DoubleArray(data=values))


def ended_with(session: StreamlitSession, suffix: str):
    """The widget of the last run whose id ends with `-suffix` (a keyed widget), or None; among
    all its widgets, not one per label (each row of the Runs page has a "Delete")."""
    return next((w for w in session.by_id.values() if w.id.endswith("-" + suffix)), None)


class Student:
    """One student's browser: `session` (opened by the caller), a seeded `rng`, the files it may
    upload, the runs folder (to check a folder after an attempt) and the shared `book`."""

    def __init__(self, name, session, rng, files, runs: Path, book: Book, base_url: str, xsrf: str, first=()):
        self.name, self.s, self.rng, self.files = name, session, rng, files
        self.runs, self.book, self.base_url, self.xsrf = runs, book, base_url, xsrf
        self.actions = ACTIONS  # action -> weight
        self.first = list(first)  # actions done in this order before the random ones

    @property
    def seat(self) -> str:
        """This browser's seat id (from the token its cookie script carries)."""
        return seat_id(self.s.seat_token) if self.s.seat_token else ""

    async def act(self, kind: str | None = None) -> None:
        """One action (`kind`, else drawn at random), its answers awaited; an action with a
        request not answered within ACTION_SECONDS (or, all told, more than
        ANSWERS_PER_ACTION times that) is booked as unanswered."""
        if kind is None and self.first:
            kind = self.first.pop(0)
        kind = kind or self.rng.choices(list(self.actions), list(self.actions.values()))[0]
        try:
            await asyncio.wait_for(getattr(self, "_" + kind)(), ACTION_SECONDS * ANSWERS_PER_ACTION)
        except TimeoutError:
            self.book.unanswered.append((self.name, kind))

    async def _answer(self, what: str, widgets=(), page: str = "") -> float:
        seconds = await self.s.act(list(widgets), page=page, timeout=ACTION_SECONDS)
        self.book.answered.append((self.name, what, seconds))
        return seconds

    async def goto(self, page: str) -> None:
        """Show `page` (nothing when it is shown already)."""
        if self.s.page != page:
            await self._answer("page", page=page)

    async def _page(self) -> None:
        pages = [p for p in PAGE_WEIGHTS if p != self.s.page and p in self.s.pages]
        await self.goto(self.rng.choices(pages, [PAGE_WEIGHTS[p] for p in pages])[0])

    async def _slider(self) -> None:
        sliders = [w for w in self.s.widgets.values() if w.kind == "slider" and not w.element.disabled]
        if not sliders:
            await self.goto(self.rng.choice(["Train", "2D playground", "Latent explorer"]))
            sliders = [w for w in self.s.widgets.values() if w.kind == "slider" and not w.element.disabled]
        if sliders:
            await self._answer("slider", [slider_state(self.rng.choice(sliders), self.rng)])

    async def _press(self, label: str, what: str) -> bool:
        button = self.s.widgets.get(label)
        if button is None or button.element.disabled:
            self.book.skipped.append((self.name, what, f"{label!r} not enabled"))
            return False
        await self._answer(what, [WidgetState(id=button.id, trigger_value=True)])
        return True

    async def _start(self) -> None:
        await self.goto("Train")
        if not await self._press("Start training", "start"):
            await self._stop()

    async def _stop(self) -> None:
        await self.goto("Train")
        if not await self._press("Leave the line", "stop"):
            await self._press("Stop", "stop")

    async def choose(self, label: str, text: str) -> None:
        """Pick the first option of the select `label` that contains `text` (a rerun)."""
        widget = self.s.widgets[label]
        option = next(o for o in widget.element.options if text in o)
        await self._answer("select", [WidgetState(id=widget.id, string_value=option)])

    async def _upload(self) -> None:
        file = self.rng.choice(self.files)
        page, select, option = UPLOADERS[file.kind]
        await self.goto(page)
        await self.choose(select, option)
        uploader = next((w for w in self.s.widgets.values() if w.kind == "file_uploader"), None)
        if uploader is None:
            self.book.skipped.append((self.name, "upload", f"no uploader on {page}"))
            return
        shown = len(self.s.alerts)
        start = time.monotonic()
        seconds = await upload(self.s, self.base_url, uploader.label, file.name, file.data, self.xsrf, ACTION_SECONDS)
        self.book.answered.append((self.name, "upload", seconds))
        errors = [body for kind, body in self.s.alerts[shown:] if kind == "error"]
        self.book.uploads.append((file.name, time.monotonic() - start, errors))

    def _rows(self) -> tuple[list[str], list[str]]:
        """(this browser's deletable runs, the others it sees) on the Runs page just drawn."""
        shown = [m.group(1) for t in self.s.texts if (m := RUN_ID.match(t))]
        # Its own: a Delete or a "Yes, delete" on the row. Its own runs still training show
        # neither and count as others': a forged delete of one is refused as training.
        mine = [r for r in shown if any(ended_with(self.s, f"{k}-{r}") is not None for k in ("delete", "confirm"))]
        return mine, [r for r in shown if r not in mine]

    async def only_mine(self, on: bool) -> None:
        """Set the Runs page's "Only my runs" toggle (shown where the class sees others' runs;
        the page shows ten rows at a time, so a student's own may be past the first ten)."""
        toggle = self.s.widgets.get("Only my runs")
        if toggle is None:
            return
        held = self.s._values.get(toggle.id)
        if (held.bool_value if held is not None else False) != on:
            await self._answer("select", [WidgetState(id=toggle.id, bool_value=on)])

    async def _delete(self) -> None:
        await self.goto("Runs")
        await self.only_mine(True)
        mine, _ = self._rows()
        if not mine:
            self.book.skipped.append((self.name, "delete", "no run of its own to delete"))
            return
        run_id = self.rng.choice(mine)
        button = ended_with(self.s, f"delete-{run_id}")
        if button is not None:  # None: its "Yes, delete" is shown already, from an earlier Delete
            if button.id == button_id(f"delete-{run_id}", self.s.pages["Runs"]):
                self.book.ids_checked += 1
            else:
                self.book.ids_wrong += 1
            await self._answer("delete", [WidgetState(id=button.id, trigger_value=True)])
        confirm = ended_with(self.s, f"confirm-{run_id}")
        if confirm is None:
            self.book.skipped.append((self.name, "delete", "no confirm button after Delete"))
            return
        self.book.deletes.append((self.seat, run_id, ""))
        shown = len(self.s.alerts)
        await self._answer("confirm", [WidgetState(id=confirm.id, trigger_value=True)])
        said = [body for _, body in self.s.alerts[shown:]]
        self.book.deletes[-1] = (self.seat, run_id, said[-1] if said else "")

    async def _mischief(self) -> None:
        trick = self.rng.choice(["delete_others", "delete_others", "class_page", "teacher_token"])
        if trick == "delete_others":
            await self.delete_others()
        elif trick == "class_page" and self.book.class_page_hash:
            await self.open_class_page()
        else:
            await self.claim_teacher()

    async def _delete_others(self) -> None:
        await self.delete_others()

    async def delete_others(self) -> None:
        """Press Delete and "Yes, delete" of a run this browser does not own, with the widget ids
        that run's owner's page gives those buttons."""
        await self.goto("Runs")
        await self.only_mine(False)
        _, others = self._rows()
        if not others:
            self.book.skipped.append((self.name, "mischief", "no other run in sight"))
            return
        run_id = self.rng.choice(others)
        page = self.s.pages["Runs"]
        forged = [WidgetState(id=button_id(f"{k}-{run_id}", page), trigger_value=True) for k in ("delete", "confirm")]
        await self._answer("mischief", forged[:1])
        await self._answer("mischief", forged[1:])
        await self._answer("mischief", forged)
        self.book.attempts.append((self.seat, run_id, (self.runs / run_id).is_dir()))

    async def open_class_page(self) -> None:
        """Ask for the teacher's Class page by its script hash (a student's menu lacks it)."""
        done = self.s.runs_finished
        self.s._page_hash = self.book.class_page_hash  # what a crafted rerun_script would name
        await self.s.rerun()
        await self.s.wait_for(lambda s: s.runs_finished > done, ACTION_SECONDS)
        self.book.mischief.append(
            ("class page", not any(t.startswith("Every run on this server") for t in self.s.texts))
        )
        self.s.page = next((n for n, h in self.s.pages.items() if h == self.s._page_hash), "")

    async def claim_teacher(self) -> None:
        """Open the app with a wrong teacher token."""
        self.s.query_string = "teacher=" + "x" * 32
        await self._answer("mischief")
        self.book.mischief.append(("wrong teacher token", not self.s.pages.get("Class")))
        self.s.query_string = ""
