"""What a comparison publishes about itself (its state, step, epochs and budget), beside the
arms' snapshots: the pages read it, the comparison's thread writes it."""

from __future__ import annotations

from dataclasses import dataclass

from gan_core.run.snapshot import BudgetView


@dataclass(frozen=True)
class CompareStatus(BudgetView):
    """The comparison's own state (frozen): one of the trainer's states, a one-line message,
    steps per arm, epochs, the step budget (0: time only) and mean training seconds per
    arm against max_seconds (0: no time limit); `progress` and `active` from BudgetView.
    """

    state: str = "idle"  # the trainer's states: idle, starting, running, stopping, stopped, finished, failed
    message: str = ""
    step: int = 0  # steps per arm
    epoch: int = 0
    total_steps: int = 0  # 0 when only a time budget applies
    elapsed: float = 0.0  # mean budget seconds per arm: steps and epoch ends (compile excluded)
    max_seconds: float = 0.0
