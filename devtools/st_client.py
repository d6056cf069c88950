"""A minimal Streamlit client over the app's own websocket (`/_stcore/stream`), for load tests.

It speaks the protocol the browser's client speaks, with the protobufs of the installed
streamlit package: a `rerun_script` BackMsg (query string, page, widget states, the hashes of
the large messages it already holds), the ForwardMsgs back, and the reruns of every
`run_every` fragment, which the browser (not the server) times from each `auto_rerun` message.
Like the browser it switches pages by the page's script hash (from the `navigation` message),
keeps the widget values it set and sends them with every rerun, and uploads a file as the
browser's file uploader does (devtools.st_upload). It draws nothing; it counts what arrives
and keeps the widgets' ids, the code blocks' text, the last status line, the URL's query
string, the alerts and exceptions shown, and the seat token the app's cookie script carries.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

STEP_RE = re.compile(r"\bstep (\d+)\b")
EPOCH_RE = re.compile(r"\bepoch (\d+)\b")
SEAT_RE = re.compile(r"gan_lab_seat=([A-Za-z0-9_-]+)")
ALERTS = {1: "error", 2: "warning", 3: "info", 4: "success"}  # Alert.format


@dataclass
class Received:
    """What one session has received: ForwardMsgs, deltas, image elements (grids), plotly charts,
    bytes, and the large messages the server sent as a reference to the client's cache."""

    messages: int = 0
    deltas: int = 0
    images: int = 0
    charts: int = 0
    bytes: int = 0
    cache_refs: int = 0


@dataclass
class Widget:
    """A widget the server drew: its id (what a rerun names it by), element type, label and the
    element itself (its options, range and value)."""

    id: str
    kind: str
    label: str
    element: object = None


@dataclass
class StreamlitSession:
    """One browser session, driven over the websocket at `ws_url` with `query_string` (e.g. "view=..."),
    polling its `run_every` fragments while `polling` is set."""

    ws_url: str
    query_string: str = ""
    polling: bool = True
    received: Received = field(default_factory=Received)
    widgets: dict = field(default_factory=dict)  # label -> Widget, of the last finished run
    codes: list = field(default_factory=list)  # text of every st.code drawn
    status_line: str = ""  # the newest markdown that names a step
    status_at: float = 0.0  # time.monotonic() when it arrived
    scripts_finished: int = 0  # every run, full or a fragment's
    last_message_at: float = 0.0  # time.monotonic() when the newest ForwardMsg arrived
    runs_finished: int = 0  # full runs of the page that finished
    pages: dict = field(default_factory=dict)  # page name -> script hash, from the navigation message
    page: str = ""  # the name of the page shown
    alerts: list = field(default_factory=list)  # (kind, body) of every st.error / warning / info / success
    exceptions: list = field(default_factory=list)  # "Type: message" of every exception element
    texts: list = field(default_factory=list)  # markdown bodies of the last finished full run
    seat_token: str = ""  # what the app's cookie script would store in the browser
    session_id: str = ""
    _ws: object = None
    _page_hash: str = ""
    _cached: set = field(default_factory=set)
    _fragments: dict = field(default_factory=dict)  # fragment id -> asyncio task that reruns it
    _tasks: list = field(default_factory=list)
    _run_widgets: dict = field(default_factory=dict)  # the run in progress's widgets
    # Every widget of the last finished full run by id: `widgets` keeps one per label, and a
    # page can show many buttons of one label (each run's "Delete" on the Runs page).
    by_id: dict = field(default_factory=dict)
    _run_by_id: dict = field(default_factory=dict)
    _run_texts: list = field(default_factory=list)
    _values: dict = field(default_factory=dict)  # widget id -> the WidgetState this client set
    _responses: dict = field(default_factory=dict)  # file_urls request id -> response

    async def open(self, timeout: float = 120.0) -> None:
        """Connect and ask for the first run of the page; returns once that run has finished."""
        self._ws = await connect(self.ws_url, subprotocols=["streamlit"], open_timeout=timeout, max_size=None)
        self._tasks.append(asyncio.create_task(self._read()))
        await self.rerun()
        await self.wait_for(lambda s: s.runs_finished >= 1, timeout)

    async def close(self) -> None:
        """Stop polling and close the connection."""
        for task in [*self._tasks, *self._fragments.values()]:
            task.cancel()
        self._fragments = {}
        if self._ws is not None:
            await self._ws.close()

    async def send(self, msg: BackMsg) -> None:
        """Send one BackMsg as it is."""
        await self._ws.send(msg.SerializeToString())

    async def rerun(self, widgets: list[WidgetState] = (), fragment_id: str = "", page: str = "") -> None:
        """Send a rerun_script as the browser does: the query string, the page (`page` switches to
        that page by name), every widget value this client set with `widgets` as the new ones,
        the hashes of large messages already held and, for a fragment, its id."""
        if page:
            self._page_hash, self.page = self.pages[page], page
            self._values.clear()  # the browser forgets the old page's widgets
        for state in widgets:
            if state.WhichOneof("value") != "trigger_value":
                self._values[state.id] = state
        sent = {s.id: s for s in self._values.values()} | {s.id: s for s in widgets}
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self._page_hash
        state.widget_states.widgets.extend(sent.values())
        state.cached_message_hashes.extend(self._cached)
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        await self.send(msg)

    async def act(self, widgets: list[WidgetState] = (), page: str = "", timeout: float = 60.0) -> float:
        """A full rerun (with `widgets`, or to `page`) and its answer: returns the seconds until
        the page's run finished; TimeoutError (one line) past `timeout`."""
        done = self.runs_finished
        start = time.monotonic()
        await self.rerun(widgets, page=page)
        await self.wait_for(lambda s: s.runs_finished > done, timeout)
        return time.monotonic() - start

    async def click(self, label: str, also: list[WidgetState] = ()) -> None:
        """Press the button labelled `label` (with other widgets' new values in `also`)."""
        button = self.widgets[label]
        await self.rerun([WidgetState(id=button.id, trigger_value=True), *also])

    async def file_urls(self, names: list[str], timeout: float = 30.0):
        """Ask the server where to upload files named `names` (a file_urls_request, as the
        browser's uploader does); returns the FileURLs, one per name."""
        msg = BackMsg()
        request_id = f"r{len(self._responses)}-{time.monotonic_ns()}"
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.file_names.extend(names)
        msg.file_urls_request.session_id = self.session_id
        self._responses[request_id] = None
        await self.send(msg)
        await self.wait_for(lambda s: s._responses[request_id] is not None, timeout)
        response = self._responses.pop(request_id)
        if response.error_msg:
            raise RuntimeError(f"the server refused the upload URLs: {response.error_msg}")
        return list(response.file_urls)

    async def wait_for(self, condition, timeout: float) -> None:
        """Wait until `condition(self)` holds; TimeoutError (one line) after `timeout` seconds."""
        end = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > end:
                raise TimeoutError(f"the app did not get there within {timeout:.0f} s (status: {self.status_line!r})")
            await asyncio.sleep(0.05)

    async def settle(self, quiet: float, timeout: float) -> None:
        """Wait until no message has arrived for `quiet` seconds (the runs a request caused, and
        any reruns they asked for, are over); TimeoutError (one line) after `timeout` seconds."""
        await self.wait_for(lambda s: time.monotonic() - s.last_message_at >= quiet, timeout)

    async def _read(self) -> None:
        async for raw in self._ws:
            self.received.bytes += len(raw)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            self._handle(msg)

    def _handle(self, msg: ForwardMsg) -> None:
        self.received.messages += 1
        self.last_message_at = time.monotonic()
        kind = msg.WhichOneof("type")
        if msg.metadata.cacheable and msg.hash:
            self._cached.add(msg.hash)  # the browser keeps these and names them in its next rerun
        if kind == "ref_hash":
            self.received.cache_refs += 1
        elif kind == "new_session":
            self._page_hash = msg.new_session.page_script_hash
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            if not msg.metadata.run.fragment_ids:
                self._run_widgets, self._run_texts, self._run_by_id = {}, [], {}
                self._fragments = {}  # the browser keeps only the timers the new run sets again
        elif kind == "navigation":
            self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages}
            self.page = next(
                (p.page_name for p in msg.navigation.app_pages if p.page_script_hash == self._page_hash), ""
            )
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "script_finished":
            self.scripts_finished += 1
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.widgets, self.texts = dict(self._run_widgets), list(self._run_texts)
                self.by_id = dict(self._run_by_id)
                live = set(self._run_by_id)
                self._values = {k: v for k, v in self._values.items() if k in live}
                self.runs_finished += 1
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            exc = msg.session_event.script_compilation_exception
            self.exceptions.append(f"{exc.type}: {exc.message}")
        elif kind == "file_urls_response":
            self._responses[msg.file_urls_response.response_id] = msg.file_urls_response
        elif kind == "auto_rerun":
            self._schedule(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                self._fragments.pop(fragment_id, None)
        elif kind == "delta":
            self.received.deltas += 1
            if msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element)

    def _element(self, element) -> None:
        kind = element.WhichOneof("type")
        body = getattr(element, kind) if kind else None
        if kind == "imgs":
            self.received.images += 1
        elif kind == "plotly_chart":
            self.received.charts += 1
        elif kind == "code":
            self.codes.append(body.code_text)
        elif kind == "exception":
            self.exceptions.append(f"{body.type}: {body.message}")
        elif kind == "alert":
            self.alerts.append((ALERTS.get(body.format, "alert"), body.body))
        elif kind == "html" and (seat := SEAT_RE.search(body.body)):
            self.seat_token = seat.group(1)
        elif kind == "markdown":
            self._run_texts.append(body.body)
            if STEP_RE.search(body.body):
                self.status_line, self.status_at = body.body, time.monotonic()
        if body is not None and getattr(body, "id", "") and getattr(body, "label", ""):
            widget = Widget(body.id, kind, body.label, body)
            self.widgets[body.label] = self._run_widgets[body.label] = widget
            self._run_by_id[body.id] = widget

    def _schedule(self, fragment_id: str, interval: float) -> None:
        if fragment_id not in self._fragments and interval > 0:
            self._fragments[fragment_id] = asyncio.create_task(self._poll(fragment_id, interval))

    async def _poll(self, fragment_id: str, interval: float) -> None:
        me = asyncio.current_task()
        while True:
            await asyncio.sleep(interval)
            if self._fragments.get(fragment_id) is not me:
                return  # a later run dropped or replaced this timer
            if self.polling:
                await self.rerun(fragment_id=fragment_id)


def status_numbers(line: str) -> tuple[int, int]:
    """(step, epoch) named in a status line such as "**Training · epoch 2 · step 640 · …**"; (0, 0) without."""
    step, epoch = STEP_RE.search(line), EPOCH_RE.search(line)
    return (int(step.group(1)) if step else 0, int(epoch.group(1)) if epoch else 0)
