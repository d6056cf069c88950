"""The class a server holds: its limits, which the teacher can change while it runs, and the
teacher's seat.

The teacher token comes from `GAN_LAB_TEACHER_TOKEN` when set, else it is generated when the
server starts (`make run` prints the teacher link once); a browser that opens the app with
`?teacher=<token>` takes the teacher's seat (`claim_teacher`), compared in constant time. The
limits start from the environment: `GAN_LAB_MAX_TRAININGS` (trainings at once; default from the
machine's cores and memory), `GAN_LAB_MAX_RUN_SECONDS` (the longest training a browser may
start, 600 by default), `GAN_LAB_UPLOADS` (1: students may upload images, points and
generators) and `GAN_LAB_SHOW_OTHERS` (1: students see each other's runs, read-only).
"""

from __future__ import annotations

import hmac
import math
import os
import re
import secrets
import threading
from dataclasses import dataclass, replace

from gan_core.config.tree import ConfigError, TrainConfig

# A training of the default preset peaks at ~0.9 GB resident beside the server's own ~1.2 GB
# (measured on the product: 4 trainings and the server under 6 GB); two trainings per core keep
# the queue short without slowing each below a lesson's pace.
GB_PER_TRAINING = 1.2
TRAININGS_PER_CORE = 2
MAX_RUN_SECONDS = 600.0
RUN_SECONDS_RANGE = (10.0, 3600.0)
TRAININGS_RANGE = (1, 64)
_TEACHER_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,128}")


@dataclass(frozen=True)
class ClassRules:
    """The limits of one class: `max_trainings` at once (the rest wait in a queue), the longest
    training a browser may start (`max_run_seconds`), whether students may upload their own
    files (`uploads_allowed`) and see each other's runs read-only (`students_see_others`)."""

    max_trainings: int = 1
    max_run_seconds: float = MAX_RUN_SECONDS
    uploads_allowed: bool = True
    students_see_others: bool = False

    def problems(self) -> list[str]:
        """One line per limit out of its range (empty when fine)."""
        out = []
        lo, hi = TRAININGS_RANGE
        if not (isinstance(self.max_trainings, int) and lo <= self.max_trainings <= hi):
            out.append(f"trainings at once must be a whole number in {lo}..{hi}, got {self.max_trainings}")
        lo_s, hi_s = RUN_SECONDS_RANGE
        seconds = self.max_run_seconds
        if not (isinstance(seconds, int | float) and math.isfinite(seconds) and lo_s <= seconds <= hi_s):
            out.append(f"minutes per run must be in [{lo_s / 60:g}, {hi_s / 60:g}], got {seconds / 60:g}")
        return out


def default_max_trainings(cores: int, memory_bytes: int) -> int:
    """Trainings at once a machine holds: TRAININGS_PER_CORE per core, at most what its memory
    holds at GB_PER_TRAINING each beside the server (2 cores, 24 GB: 4)."""
    by_memory = int(memory_bytes / 2**30 / GB_PER_TRAINING) - 1
    return max(1, min(TRAININGS_PER_CORE * max(1, cores), by_memory))


def _machine_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 4 * 2**30


def _flag(environ, name: str, default: bool) -> bool:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if value not in ("0", "1"):
        raise ConfigError(f"{name} must be 0 or 1, got {value!r}")
    return value == "1"


def rules_from_env(environ=None) -> ClassRules:
    """The class's starting limits from the environment (see the module's doc); ConfigError
    (one line) for a value that is not a number, or out of its range."""
    environ = os.environ if environ is None else environ
    default = default_max_trainings(os.cpu_count() or 1, _machine_memory())
    try:
        trainings = int(environ.get("GAN_LAB_MAX_TRAININGS", "").strip() or default)
    except ValueError:
        raise ConfigError(
            f"GAN_LAB_MAX_TRAININGS must be a whole number, got {environ.get('GAN_LAB_MAX_TRAININGS')!r}"
        ) from None
    try:
        seconds = float(environ.get("GAN_LAB_MAX_RUN_SECONDS", "").strip() or MAX_RUN_SECONDS)
    except ValueError:
        raise ConfigError(
            f"GAN_LAB_MAX_RUN_SECONDS must be a number, got {environ.get('GAN_LAB_MAX_RUN_SECONDS')!r}"
        ) from None
    rules = ClassRules(
        max_trainings=trainings,
        max_run_seconds=seconds,
        uploads_allowed=_flag(environ, "GAN_LAB_UPLOADS", True),
        students_see_others=_flag(environ, "GAN_LAB_SHOW_OTHERS", False),
    )
    lo, hi = TRAININGS_RANGE
    if not lo <= trainings <= hi:
        raise ConfigError(f"GAN_LAB_MAX_TRAININGS must be a whole number in {lo}..{hi}, got {trainings}")
    lo_s, hi_s = RUN_SECONDS_RANGE
    if not (math.isfinite(seconds) and lo_s <= seconds <= hi_s):
        raise ConfigError(f"GAN_LAB_MAX_RUN_SECONDS must be in [{lo_s:g}, {hi_s:g}] seconds, got {seconds:g}")
    return rules


def teacher_token_from_env(environ=None) -> str:
    """`GAN_LAB_TEACHER_TOKEN` when set (16 to 128 URL-safe characters, else ConfigError), else a
    fresh random one."""
    environ = os.environ if environ is None else environ
    token = environ.get("GAN_LAB_TEACHER_TOKEN", "").strip()
    if not token:
        return secrets.token_urlsafe(32)
    if not _TEACHER_TOKEN.fullmatch(token):
        raise ConfigError("GAN_LAB_TEACHER_TOKEN must be 16 to 128 letters, digits, '-' or '_'")
    return token


class Classroom:
    """One server's class: its rules (thread-safe; the teacher changes them live) and the seats
    that hold the teacher's seat."""

    def __init__(self, rules: ClassRules | None = None, teacher_token: str | None = None):
        self._rules = rules or ClassRules()
        self.teacher_token = teacher_token or secrets.token_urlsafe(32)
        self._teachers: set[str] = set()
        self._lock = threading.Lock()

    def rules(self) -> ClassRules:
        """The limits now."""
        with self._lock:
            return self._rules

    def set_rules(self, **changes) -> ClassRules:
        """Change some limits (ClassRules' fields); ConfigError (one line) for a value out of
        range, and nothing changes."""
        with self._lock:
            candidate = replace(self._rules, **changes)
            problems = candidate.problems()
            if problems:
                raise ConfigError(problems[0])
            self._rules = candidate
            return candidate

    def claim_teacher(self, token: object, seat_id: str) -> bool:
        """Give seat `seat_id` the teacher's seat when `token` is the teacher token (compared in
        constant time); False and nothing changes otherwise."""
        if not isinstance(token, str) or not hmac.compare_digest(token.encode(), self.teacher_token.encode()):
            return False
        with self._lock:
            self._teachers.add(seat_id)
        return True

    def is_teacher(self, seat_id: str | None) -> bool:
        """Whether seat `seat_id` holds the teacher's seat."""
        with self._lock:
            return seat_id in self._teachers

    def budget_for(self, cfg: TrainConfig) -> tuple[TrainConfig, str]:
        """`cfg` with a finite time budget within the class limit, and a one-line note when it
        changed (a run without a time limit, or a longer one, gets max_run_seconds)."""
        cap = self.rules().max_run_seconds
        seconds = cfg.run.max_seconds
        if 0 < seconds <= cap:
            return cfg, ""
        capped = cfg.with_value("run.max_seconds", cap)
        return capped, f"Training time set to {cap:g} s: the class allows at most {cap / 60:g} minutes per run."
