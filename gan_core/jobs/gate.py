"""The server's training slots as a first-come, first-served queue.

A job that wants to train calls `enter` from its own thread before it loads anything: while
the slots are full it waits in line (its place told through `on_place`, so its page shows
"2nd in the queue"), and it starts by itself when an earlier job leaves. Stopping a waiting
job (its `cancelled` event) takes it out of the line. A comparison takes two slots (it trains
two networks), a training one. The capacity can change while jobs wait (the teacher's
"trainings at once"); a larger one lets the next in line in at once.

The line is strict: a job never passes one that came before it, even when its own size would
fit, so a comparison is not starved by a stream of single trainings.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

POLL_SECONDS = 0.5  # how often a waiting job looks at its cancel event and its place


class SlotGate:
    """`capacity` slots shared first come, first served; thread-safe."""

    def __init__(self, capacity: int):
        self._capacity = max(1, int(capacity))
        self._held: dict[str, int] = {}  # ticket -> slots held now
        self._line: OrderedDict[str, int] = OrderedDict()  # ticket -> slots wanted, in order of arrival
        self._cond = threading.Condition()

    @property
    def capacity(self) -> int:
        """Slots in all."""
        with self._cond:
            return self._capacity

    def set_capacity(self, capacity: int) -> None:
        """Change the number of slots (at least 1); jobs already in keep theirs, the line moves
        at once when there is more room."""
        with self._cond:
            self._capacity = max(1, int(capacity))
            self._cond.notify_all()

    def held(self) -> int:
        """Slots held by jobs that are in now."""
        with self._cond:
            return sum(self._held.values())

    def waiting(self) -> int:
        """Jobs waiting in line."""
        with self._cond:
            return len(self._line)

    def place(self, ticket: str) -> int | None:
        """1 for the first in line, 2 for the second ...; None when `ticket` is not waiting."""
        with self._cond:
            for i, waiting in enumerate(self._line, start=1):
                if waiting == ticket:
                    return i
            return None

    def _may_enter_locked(self, ticket: str) -> bool:
        first = next(iter(self._line), None)
        return first == ticket and sum(self._held.values()) + self._line[ticket] <= self._capacity

    def enter(
        self,
        ticket: str,
        slots: int = 1,
        cancelled: threading.Event | None = None,
        on_place: Callable[[int], None] | None = None,
    ) -> bool:
        """Wait in line until `slots` slots are free for `ticket`; True once in (call `leave`
        when done), False when `cancelled` was set while waiting (it has left the line).
        `on_place(n)` is called with its place whenever it changes (not under the lock).
        A job wanting more slots than there are waits for all of them."""
        slots = max(1, int(slots))
        with self._cond:
            self._line[ticket] = slots
        last_place = None
        try:
            while True:
                with self._cond:
                    if self._may_enter_locked(ticket) or (
                        next(iter(self._line)) == ticket and not self._held and slots > self._capacity
                    ):
                        del self._line[ticket]
                        self._held[ticket] = slots
                        self._cond.notify_all()  # the next in line may fit beside it
                        return True
                    place = list(self._line).index(ticket) + 1
                if cancelled is not None and cancelled.is_set():
                    with self._cond:
                        self._line.pop(ticket, None)
                        self._cond.notify_all()
                    return False
                if on_place is not None and place != last_place:
                    on_place(place)  # before waiting: a new job's page shows its place at once
                    last_place = place
                with self._cond:
                    # A leave between the check above and this wait is seen within POLL_SECONDS.
                    self._cond.wait(POLL_SECONDS)
        except BaseException:
            with self._cond:
                self._line.pop(ticket, None)
                self._cond.notify_all()
            raise

    def try_enter(self, ticket: str, slots: int = 1) -> bool:
        """Enter at once when nobody waits and `slots` are free; False (nothing changes) otherwise."""
        with self._cond:
            if self._line or sum(self._held.values()) + slots > self._capacity:
                return False
            self._held[ticket] = slots
            return True

    def leave(self, ticket: str) -> None:
        """Give `ticket`'s slots back (nothing when it holds none); the next in line may enter."""
        with self._cond:
            if self._held.pop(ticket, None) is not None:
                self._cond.notify_all()
