"""A job's wait for its turn in the server's line for training slots, as its board shows it.

The line itself is the pool's (gan_core.jobs.gate); a trainer or a comparison gets a `turn`
(gan_core.jobs.job.Turn) and waits here, on its own thread, before it loads anything: its
state is "queued" and its message says its place, so its page shows "2nd in line" and then
the run starting by itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

LEFT_THE_LINE = "Left the line before it started."


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def place_text(place: int) -> str:
    """The queued run's line: its place, and that it starts by itself."""
    return f"Waiting for a training slot: {ordinal(place)} in line. It starts by itself when one is free."


def wait_for_turn(turn, stop: threading.Event, show: Callable[[str], None]) -> bool:
    """Wait for `turn` (None: no line, True at once), showing each new place with `show(message)`;
    False when `stop` was set while waiting (the job left the line)."""
    if turn is None:
        return True
    return turn.wait(stop, lambda place: show(place_text(place)))
