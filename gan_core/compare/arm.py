"""One arm of an A/B comparison: a run loop (gan_core/run/loop.py) with a name, which stops
for good at a NaN/inf (a comparison has no roll-back) while the other arm goes on.

Its step comes from the process's step cache like a training's, so a comparison traces
nothing the server has traced before; two arms of one configuration (a live hack compared)
hold two steps of it at once. The comparison thread computes the learning-rate decay once
for both arms (job.py).
"""

from __future__ import annotations

from gan_core.config.tree import TrainConfig
from gan_core.data import ImageSet
from gan_core.run.loop import RunLoop
from gan_core.run.snapshot import Board


class Arm(RunLoop):
    """One side of the comparison, driven step by step by the comparison thread.

    `name` is "A" or "B"; `cfg`, `data` and `board` as RunLoop takes them (the step, raising
    what GanStep raises for bad input, is taken from the step cache).
    """

    def __init__(self, name: str, cfg: TrainConfig, data: ImageSet, board: Board):
        super().__init__(cfg, data, board)
        self.name = name
        self.dead_reason = ""  # set when its metrics went NaN/inf: it trains no further

    @property
    def alive(self) -> bool:
        """False once a metric went NaN/inf: the arm trains no further."""
        return not self.dead_reason

    def flush_shared(self, lr_factor: float, progress: float = 0.0) -> None:
        """Flush (RunLoop.flush) and set the learning rates to the configured ones times
        `lr_factor` (in (0, 1], the decay both arms share) and the instance noise's decay to
        `progress` (0..1, the shared share of the budget spent). A NaN/inf metric marks the
        arm dead and its board "stopped"."""
        problem = self.flush()
        self.set_schedule(self.cfg.optimizer, lr_factor, progress)
        if problem:
            self.dead_reason = problem
            self.board.update(state="stopped", message=f"{self.name} stopped: {problem.split(':')[0]}.")
