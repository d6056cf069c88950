"""Predict, then run: what each student expected of a comparison before it started, kept with
the comparison (by its job id), how it came out, and the class's counts per exercise.

The Compare page asks "What do you expect?" (A better, B better, about the same; optionally
which curve moves) before Start; the answer is recorded here under the job's id, the seat that
made it (a seat id, never a name) and the exercise (gan_core.config.exercise.exercise_id: the
same pair is the same exercise, from a link, a guide card or typed lines). Once the job has
finished its outcome is the verdict's (gan_core.compare.verdict.outcome), and the teacher's
Class page shows, per exercise, how the class predicted and how it came out.

One book per server process (`shared_predictions`), shared by every browser session, so it is
guarded by a lock and bounded: the oldest records go once there are MAX_RECORDS. It is kept in
the runs folder (PREDICTIONS_FILE, a gan_core.store.journal) so a restarted server still shows
the teacher what the class predicted; a comparison the restart cut short counts as stopped.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from gan_core.compare.moved import CURVES
from gan_core.compare.verdict import OUTCOMES
from gan_core.config.paths import default_runs_dir
from gan_core.config.tree import ConfigError
from gan_core.store.journal import Journal

EXPECTATIONS = OUTCOMES  # "A better", "B better", "about the same"
# Which curve a student expects to move (optional): the Compare page's curves and its quality
# (CURVES, gan_core.compare.moved, which also says which one moved).
MAX_RECORDS = 2000  # two comparisons for each of 30 students, many times over, in ~1 MB
MAX_TITLE = 120
ENDED = ("finished", "stopped", "failed")
NO_CALL = "no call"  # a finished run whose verdict could not say
PREDICTIONS_FILE = ".predictions.jsonl"  # in the runs folder; hidden, so the Runs page skips it


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

    def __init__(self, max_records: int = MAX_RECORDS, path: Path | None = None):
        """`path`: the journal file that keeps the book across restarts (None: memory only).
        Its records are read back now, the newest `max_records`; those that had not ended
        were cut short by the restart and are settled as stopped. A file that cannot be read
        or written leaves the book in memory only: predictions are never worth a failed page."""
        self.max_records = max_records
        self._records: OrderedDict[str, Record] = OrderedDict()
        self._lock = threading.Lock()
        self._journal = Journal(path) if path is not None else None
        self._lines = 0  # lines in the journal, to know when to compact it
        if self._journal is not None:
            try:
                rows = self._journal.read()
            except OSError:
                rows = []
            for row in rows:
                entry = _from_row(row)
                if entry is not None:
                    self._records[entry.job_id] = entry if entry.ended else replace(entry, ended="stopped")
                    self._records.move_to_end(entry.job_id)
            while len(self._records) > self.max_records:
                self._records.popitem(last=False)
            self._lines = len(rows)

    def _keep(self, entry: Record) -> None:
        """Write `entry` to the journal (called under the lock); compact the journal to one line
        per record once it holds more than twice `max_records` lines."""
        if self._journal is None:
            return
        try:
            self._journal.path.parent.mkdir(parents=True, exist_ok=True)
            if self._lines >= 2 * self.max_records:
                self._journal.rewrite([_to_row(r) for r in self._records.values()])
                self._lines = len(self._records)
            else:
                self._journal.append(_to_row(entry))
                self._lines += 1
        except OSError:
            pass  # the book goes on in memory; the Class page still shows this server's class

    def record(self, job_id: str, exercise_id: str, title: str, seat: str, answer: Prediction, card: str = "") -> None:
        """Keep `answer` with comparison `job_id` of exercise `exercise_id` (`title` shown to the
        teacher, cut to MAX_TITLE characters), made by seat id `seat`, about guide card `card`."""
        entry = Record(job_id, exercise_id, title[:MAX_TITLE], seat, answer, card)
        with self._lock:
            self._records[job_id] = entry
            self._records.move_to_end(job_id)
            while len(self._records) > self.max_records:
                self._records.popitem(last=False)
            self._keep(entry)

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
                entry = replace(
                    entry, ended=ended, outcome=came_out if finished else None, moved=moved if finished else None
                )
                self._records[job_id] = entry
                self._keep(entry)

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


def _to_row(entry: Record) -> dict:
    """A Record as the journal's JSON object."""
    return {
        "job_id": entry.job_id,
        "exercise_id": entry.exercise_id,
        "title": entry.title,
        "seat": entry.seat,
        "expected": entry.prediction.expected,
        "curve": entry.prediction.curve,
        "card": entry.card,
        "ended": entry.ended,
        "outcome": entry.outcome,
        "moved": entry.moved,
    }


def _from_row(row: dict) -> Record | None:
    """The Record a journal's object holds, or None when it is not one this book wrote (a
    missing or mistyped field, an answer or outcome the questions do not offer)."""
    text = ("job_id", "exercise_id", "title", "seat", "expected", "curve", "card", "ended")
    if not all(isinstance(row.get(key), str) for key in text) or not row["job_id"]:
        return None
    if row["ended"] not in ("", *ENDED) or row.get("outcome") not in (None, *OUTCOMES):
        return None
    if row.get("moved") not in (None, *CURVES):
        return None
    try:
        answer = prediction(row["expected"], row["curve"])
    except ConfigError:
        return None
    return Record(
        row["job_id"][:64],
        row["exercise_id"][:200],
        row["title"][:MAX_TITLE],
        row["seat"][:64],
        answer,
        row["card"][:64],
        row["ended"],
        row.get("outcome"),
        row.get("moved"),
    )


_SHARED: PredictionBook | None = None
_SHARED_LOCK = threading.Lock()


def shared_predictions() -> PredictionBook:
    """The server's one PredictionBook, shared by every browser session, kept in the runs
    folder's PREDICTIONS_FILE (the runs folder of the server's first call)."""
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = PredictionBook(path=default_runs_dir() / PREDICTIONS_FILE)
        return _SHARED
