"""What the server's pool holds and asks: the `Job` protocol its trainings and comparisons
follow, the `Admission` a cluster backend brings, a job's `Turn` in the line for slots, and
`PoolBusy`.

Apart from the pool (gan_core.jobs.pool) so that a backend (gan_core.jobs.ray_cluster) can
name them without importing the pool that it is passed into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # pages that only watch jobs need not import TensorFlow
    from gan_core.run.snapshot import BudgetView


@runtime_checkable
class Job(Protocol):
    """What the pool holds: one background training (a `Trainer`, a `CompareJob`).

    Both train on the same cores, so both count against the pool's slots. A job may also
    have a `run_dir` attribute (the folder it writes, a `Path`, or None): `touch_run` reads
    it when present.
    """

    def start(self) -> None:
        """Start the job's thread; raises RuntimeError when it was already started."""

    def stop(self, timeout: float = 2.0) -> bool:
        """Ask the thread to stop; True when it ended within `timeout` seconds."""

    def join(self, timeout: float | None = None) -> None:
        """Wait for the thread to end, at most `timeout` seconds (None: no limit)."""

    def is_active(self) -> bool:
        """Whether it is starting, running, paused or stopping: one scalar read, no copies."""

    def status(self) -> BudgetView:
        """Its latest status (state, message, step, budget; `progress` in [0, 1], `active`)."""


class PoolBusy(RuntimeError):
    """No room for this work now (no free slot for short work, the line full, or this seat's
    limit reached); the message says so plainly."""


class Admission(Protocol):
    """When a backend whose trainings run elsewhere (a Ray cluster) has room for one more."""

    def busy_text(self, jobs: list[Job]) -> str | None:
        """The one-line busy message for a new training beside `jobs` (this pool's), or None."""


class Turn:
    """A job's place in the server's line for training slots (gan_core.jobs.gate): the job's own
    thread calls `wait` before it loads anything and `done` when it ends. Passed into the
    trainer and the comparison, which import nothing of the pool."""

    def __init__(self, gate, ticket: str, slots: int = 1):
        self.gate, self.ticket, self.slots = gate, ticket, slots

    def wait(self, cancelled, on_place=None) -> bool:
        """Block until this job's slots are free (True), or until `cancelled` (a threading.Event)
        is set (False). `on_place(n)` hears the job's place in line whenever it changes."""
        return self.gate.enter(self.ticket, self.slots, cancelled, on_place)

    def done(self) -> None:
        """Give the slots back (the next in line starts); harmless when none are held."""
        self.gate.leave(self.ticket)
