"""Predict, then run: what each student expected of a comparison before it started, kept with
the comparison (by its job id), how it came out, and the class's counts per exercise.

The Compare page asks "What do you expect?" (A better, B better, about the same; optionally
which curve moves) before Start; the answer is recorded here under the job's id, the seat that
made it (a seat id, never a name) and the exercise (gan_core.config.exercise.exercise_id: the
same pair is the same exercise, from a link, a guide card or typed lines). Once the job has
finished its outcome is the verdict's (gan_core.compare.verdict.outcome), and the teacher's
Class page shows, per exercise, how the class predicted and how it came out.

One book per server process (`shared_predictions`), shared by every browser session, so it is
guarded by a lock and bounded: the oldest records go once there are MAX_RECORDS.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from gan_core.compare.moved import CURVES, moved_curve
from gan_core.compare.spread import careful_outcome
from gan_core.compare.verdict import OUTCOMES, outcome
from gan_core.config.tree import ConfigError

EXPECTATIONS = OUTCOMES  # "A better", "B better", "about the same"
# Which curve a student expects to move (optional): the Compare page's curves and its quality
# (CURVES, gan_core.compare.moved, which also says which one moved).
MAX_RECORDS = 2000  # two comparisons for each of 30 students, many times over, in ~1 MB
MAX_TITLE = 120
ENDED = ("finished", "stopped", "failed")
NO_CALL = "no call"  # a finished run whose verdict could not say


@dataclass(frozen=True)
class Prediction:
    """One student's answer before Start: `expected` (one of EXPECTATIONS) and, optionally,
    the curve they expect to move (one of CURVES, "" for none)."""

    expected: str
    curve: str = ""


def prediction(expected: str, curve: str = "") -> Prediction:
    """A checked Prediction; ConfigError (one line) for an answer the question does not offer."""
    if expected not in EXPECTATIONS:
        raise ConfigError(f"a prediction is one of {', '.join(EXPECTATIONS)}, got {str(expected)[:40]!r}")
    if curve and curve not in CURVES:
        raise ConfigError(f"a curve is one of {', '.join(CURVES)}, got {str(curve)[:40]!r}")
    return Prediction(expected, curve)


@dataclass(frozen=True)
class Record:
    """A comparison's prediction: its job id, exercise id and title, the seat that predicted,
    the answer, the Hacks guide card the pair is about ("" for none), and once the job ended
    how (`ended`: finished, stopped or failed) and, when finished, what it came out as
    (`outcome`, one of OUTCOMES, or None: no call) and the curve it moved most clearly
    (`moved`, one of CURVES, or None: none clearly)."""

    job_id: str
    exercise_id: str
    title: str
    seat: str
    prediction: Prediction
    card: str = ""
    ended: str = ""
    outcome: str | None = None
    moved: str | None = None

    @property
    def right(self) -> bool:
        """Whether it finished as predicted."""
        return self.ended == "finished" and self.outcome == self.prediction.expected

    @property
    def curve_right(self) -> bool:
        """Whether a curve was predicted and it finished having moved that curve most clearly."""
        return self.ended == "finished" and bool(self.prediction.curve) and self.moved == self.prediction.curve


@dataclass(frozen=True)
class ExerciseSummary:
    """One exercise for the Class page: its id and title, how many seats predicted each of
    EXPECTATIONS (`predicted`), what the finished runs came out as (`came_out`, OUTCOMES and
    "no call"), how many runs finished and how many of those as predicted (`right`), and of
    the finished runs whose student named a curve, how many (`curve_guesses`) and how many
    moved that curve most clearly (`curve_right`)."""

    exercise_id: str
    title: str
    predicted: dict[str, int]
    came_out: dict[str, int]
    finished: int
    right: int
    curve_guesses: int = 0
    curve_right: int = 0


class PredictionBook:
    """Every prediction of the server's comparisons, by job id, at most `max_records` (the
    oldest go first). Thread-safe."""

    def __init__(self, max_records: int = MAX_RECORDS):
        self.max_records = max_records
        self._records: OrderedDict[str, Record] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, job_id: str, exercise_id: str, title: str, seat: str, answer: Prediction, card: str = "") -> None:
        """Keep `answer` with comparison `job_id` of exercise `exercise_id` (`title` shown to the
        teacher, cut to MAX_TITLE characters), made by seat id `seat`, about guide card `card`."""
        entry = Record(job_id, exercise_id, title[:MAX_TITLE], seat, answer, card)
        with self._lock:
            self._records[job_id] = entry
            self._records.move_to_end(job_id)
            while len(self._records) > self.max_records:
                self._records.popitem(last=False)

    def get(self, job_id: str | None) -> Record | None:
        """The record of comparison `job_id`, or None (none was made, or it was dropped)."""
        with self._lock:
            return self._records.get(job_id or "")

    def settle(self, job_id: str, ended: str, came_out: str | None = None, moved: str | None = None) -> None:
        """Say how comparison `job_id` ended (one of ENDED) and, when finished, its outcome and
        the curve it moved (gan_core.compare.moved); once only (a later call changes nothing),
        unknown ids ignored."""
        if ended not in ENDED:
            raise ValueError(f"ended must be one of {ENDED}, got {ended!r}")
        with self._lock:
            entry = self._records.get(job_id)
            if entry is not None and not entry.ended:
                finished = ended == "finished"
                self._records[job_id] = replace(
                    entry, ended=ended, outcome=came_out if finished else None, moved=moved if finished else None
                )

    def unsettled(self) -> list[str]:
        """The job ids whose end is not recorded yet, oldest first."""
        with self._lock:
            return [job_id for job_id, entry in self._records.items() if not entry.ended]

    def summary(self) -> list[ExerciseSummary]:
        """Per exercise, newest first: each seat's latest prediction counted once, every
        finished run's outcome."""
        with self._lock:
            records = list(self._records.values())
        groups: dict[str, list[Record]] = {}
        newest: dict[str, int] = {}
        for i, entry in enumerate(records):  # one pass over the records
            groups.setdefault(entry.exercise_id, []).append(entry)
            newest[entry.exercise_id] = i
        out = []
        for exercise, mine in groups.items():
            latest = {entry.seat: entry for entry in mine}  # each seat's latest answer
            predicted = dict.fromkeys(EXPECTATIONS, 0)
            for entry in latest.values():
                predicted[entry.prediction.expected] += 1
            finished = [r for r in mine if r.ended == "finished"]
            came_out = dict.fromkeys((*OUTCOMES, NO_CALL), 0)
            for entry in finished:
                came_out[entry.outcome or NO_CALL] += 1
            out.append(
                ExerciseSummary(
                    exercise,
                    mine[-1].title,
                    predicted,
                    came_out,
                    len(finished),
                    sum(r.right for r in finished),
                    sum(bool(r.prediction.curve) for r in finished),
                    sum(r.curve_right for r in finished),
                )
            )
        out.sort(key=lambda summary: newest[summary.exercise_id], reverse=True)
        return out


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


_SHARED: PredictionBook | None = None
_SHARED_LOCK = threading.Lock()


def shared_predictions() -> PredictionBook:
    """The server's one PredictionBook, shared by every browser session."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = PredictionBook()
        return _SHARED
