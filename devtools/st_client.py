"""A minimal Streamlit client over the app's own websocket (`/_stcore/stream`), for load tests.

It speaks the protocol the browser's client speaks, with the protobufs of the installed
streamlit package: a `rerun_script` BackMsg (query string, page, widget states, the hashes of
the large messages it already holds), the ForwardMsgs back, and the reruns of every
`run_every` fragment, which the browser (not the server) times from each `auto_rerun` message.
It draws nothing; it counts what arrives and keeps the widgets' ids, the code blocks' text,
the last status line and the URL's query string.
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
    """A widget the server drew: its id (what a rerun names it by), element type and label."""

    id: str
    kind: str
    label: str


@dataclass
class StreamlitSession:
    """One browser session, driven over the websocket at `ws_url` with `query_string` (e.g. "view=..."),
    polling its `run_every` fragments while `polling` is set."""

    ws_url: str
    query_string: str = ""
    polling: bool = True
    received: Received = field(default_factory=Received)
    widgets: dict = field(default_factory=dict)  # label -> Widget
    codes: list = field(default_factory=list)  # text of every st.code drawn
    status_line: str = ""  # the newest markdown that names a step
    status_at: float = 0.0  # time.monotonic() when it arrived
    scripts_finished: int = 0
    last_message_at: float = 0.0  # time.monotonic() when the newest ForwardMsg arrived
    _ws: object = None
    _page_hash: str = ""
    _cached: set = field(default_factory=set)
    _fragments: dict = field(default_factory=dict)  # fragment id -> asyncio task that reruns it
    _tasks: list = field(default_factory=list)

    async def open(self, timeout: float = 120.0) -> None:
        """Connect and ask for the first run of the page; returns once that run has finished."""
        self._ws = await connect(self.ws_url, subprotocols=["streamlit"], open_timeout=timeout, max_size=None)
        self._tasks.append(asyncio.create_task(self._read()))
        await self.rerun()
        await self.wait_for(lambda s: s.scripts_finished >= 1, timeout)

    async def close(self) -> None:
        """Stop polling and close the connection."""
        for task in [*self._tasks, *self._fragments.values()]:
            task.cancel()
        if self._ws is not None:
            await self._ws.close()

    async def rerun(self, widgets: list[WidgetState] = (), fragment_id: str = "") -> None:
        """Send a rerun_script as the browser does: the query string, the page, the widgets that
        changed, the hashes of large messages already held and, for a fragment, its id."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self._page_hash
        state.widget_states.widgets.extend(widgets)
        state.cached_message_hashes.extend(self._cached)
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        await self._ws.send(msg.SerializeToString())

    async def click(self, label: str, also: list[WidgetState] = ()) -> None:
        """Press the button labelled `label` (with other widgets' new values in `also`)."""
        button = self.widgets[label]
        await self.rerun([WidgetState(id=button.id, trigger_value=True), *also])

    async def wait_for(self, condition, timeout: float) -> None:
        """Wait until `condition(self)` holds; TimeoutError (one line) after `timeout` seconds."""
        end = time.monotonic() + timeout
        while not condition(self):
            if time.monotonic() > end:
                raise TimeoutError(f"the app did not get there within {timeout:.0f} s (status: {self.status_line!r})")
            await asyncio.sleep(0.1)

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
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "script_finished":
            self.scripts_finished += 1
        elif kind == "auto_rerun":
            self._schedule(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
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
        elif kind == "markdown" and STEP_RE.search(body.body):
            self.status_line, self.status_at = body.body, time.monotonic()
        if body is not None and getattr(body, "id", "") and getattr(body, "label", ""):
            self.widgets[body.label] = Widget(body.id, kind, body.label)

    def _schedule(self, fragment_id: str, interval: float) -> None:
        if fragment_id not in self._fragments and interval > 0:
            self._fragments[fragment_id] = asyncio.create_task(self._poll(fragment_id, interval))

    async def _poll(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            if self.polling:
                await self.rerun(fragment_id=fragment_id)


def status_numbers(line: str) -> tuple[int, int]:
    """(step, epoch) named in a status line such as "**Training · epoch 2 · step 640 · …**"; (0, 0) without."""
    step, epoch = STEP_RE.search(line), EPOCH_RE.search(line)
    return (int(step.group(1)) if step else 0, int(epoch.group(1)) if epoch else 0)
