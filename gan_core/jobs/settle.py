"""How a comparison came out, for the prediction kept with it (gan_core.jobs.predictions): its
outcome from the verdict (or, careful, the seeds' spread) and the curve it moved most clearly,
read from the job once it has ended and written into the book.
"""

from __future__ import annotations

from gan_core.compare.moved import moved_curve
from gan_core.compare.spread import careful_outcome
from gan_core.compare.verdict import outcome
from gan_core.jobs.predictions import ENDED, PredictionBook


def _arm_snapshots(job, series: bool) -> tuple[tuple, tuple]:
    """Each arm's snapshots, one per seed (a plain comparison: one each), with or without
    their per-step series."""
    careful = getattr(job, "careful", False)
    arms = [job.arm_boards(arm) for arm in "AB"] if careful else [job.boards[:1], job.boards[1:2]]
    snaps_a, snaps_b = (tuple(board.snapshot(series=series) for board in boards) for boards in arms)
    return snaps_a, snaps_b


def job_outcome(job) -> str | None:
    """What a finished comparison came out as, without copying its per-step series: the
    verdict's (gan_core.compare.verdict.outcome) of its two arms, or for a careful one (several
    seeds per arm) the difference against the seeds' spread (gan_core.compare.spread)."""
    snaps_a, snaps_b = _arm_snapshots(job, series=False)
    if getattr(job, "careful", False):
        return careful_outcome(snaps_a, snaps_b)
    return outcome(snaps_a[0], snaps_b[0])


def job_moved_curve(job) -> str | None:
    """The curve a finished comparison moved most clearly (gan_core.compare.moved.moved_curve),
    from its arms' per-step series (every seed's, for a careful one); copied once, at its end."""
    return moved_curve(*_arm_snapshots(job, series=True))


def settle_finished(book: PredictionBook, job_id: str, job) -> None:
    """Record that comparison `job_id` (the job `job`) finished: its outcome and the curve it
    moved, computed only while its record is not settled yet."""
    entry = book.get(job_id)
    if entry is not None and not entry.ended:
        book.settle(job_id, "finished", job_outcome(job), job_moved_curve(job))


def settle_ended(book: PredictionBook, get_job) -> None:
    """Record the end of every unsettled comparison that has ended: `get_job(job_id)` gives
    the job (None once the pool forgot it, which stays unsettled)."""
    for job_id in book.unsettled():
        job = get_job(job_id)
        state = job.status().state if job is not None else ""
        if state == "finished":
            settle_finished(book, job_id, job)
        elif state in ENDED:
            book.settle(job_id, state)
