"""Guided lessons written as data: a Markdown file per lesson, a small header per step, and the
checks a step reads from the student's live run.

A lesson file (assets/lessons/*.md, or a teacher's folder named by `GAN_LAB_LESSONS`):

    # The lesson's title
    One paragraph that says what the lesson is for.

    ## A run without the hacks fails
    control: hacks.generator_loss
    link: preset=no-hacks&seed=1&seconds=60
    predict: What will the grid show after a minute? | digits | noise or one blob | some of each
    check: d_acc_fake > 0.9 | D rejects nearly every fake: it has won.
    sources: Radford et al. 2015; Chintala et al. 2016

    The step's text in Markdown, as long as it needs.

Every header key is optional: `control` is the setting the step is about (a key of the settings
table: the Train page opens and highlights its control), `link` an exercise link's query (what
the step's "Open the exercise" loads), `predict` a question and its choices, `check` one
condition on the live run and the line that explains it, `sources` who the step's facts come
from. A check is `<figure> <op> <number>`: a per-step figure (the mean of its last CHECK_WINDOW
steps: d_loss_real, d_loss_fake, g_loss, d_acc_real, d_acc_fake, d_prob_real, d_prob_fake), or
`recognized` (the newest epoch's recognized share, 0..1), `step` or `epoch`; op one of < <= > >=.
A lesson file is untrusted text (a teacher's folder): bounded in size and steps, parsed without
evaluating anything, and a bad file is one line naming its line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from gan_core.config.settings import IMAGE, setting
from gan_core.config.tree import ConfigError

MAX_BYTES = 256 * 1024
MAX_STEPS = 40
CHECK_WINDOW = 50  # steps a per-step figure is averaged over: one flush's noise is not a verdict
SERIES_FIGURES = ("d_loss_real", "d_loss_fake", "g_loss", "d_acc_real", "d_acc_fake", "d_prob_real", "d_prob_fake")
RUN_FIGURES = ("recognized", "step", "epoch")
HEADER_KEYS = ("control", "link", "predict", "check", "sources")
_CHECK = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$")
_HEADER = re.compile(r"^([a-z]+):\s*(.*)$")
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "lessons"


class LessonError(ValueError):
    """A lesson file that cannot be used; one line naming the file and the line to blame."""


@dataclass(frozen=True)
class Check:
    """One condition on a live run: `figure` `op` `value`, and the line that says what it means."""

    figure: str
    op: str
    value: float
    meaning: str = ""

    def holds(self, found: float | None) -> bool:
        """Whether the figure `found` (None: not measured yet) meets the condition."""
        if found is None:
            return False
        return {"<": found < self.value, "<=": found <= self.value, ">": found > self.value, ">=": found >= self.value}[
            self.op
        ]

    def describe(self) -> str:
        """The condition in words, e.g. "d_acc_fake > 0.9"."""
        return f"{self.figure} {self.op} {self.value:g}"


@dataclass(frozen=True)
class LessonStep:
    """One step: its title and Markdown text, and the optional header (see the module)."""

    title: str
    text: str
    control: str = ""
    link: str = ""
    question: str = ""
    choices: tuple[str, ...] = ()
    check: Check | None = None
    sources: str = ""


@dataclass(frozen=True)
class Lesson:
    """A lesson: its name (the file's stem), title, introduction and steps in order."""

    name: str
    title: str
    intro: str
    steps: tuple[LessonStep, ...]


def parse_check(text: str, where: str) -> Check:
    """A check from `<figure> <op> <number> | meaning`; LessonError (one line) otherwise."""
    condition, _, meaning = text.partition("|")
    match = _CHECK.match(condition)
    if not match:
        raise LessonError(f"{where}: a check is '<figure> <op> <number>', got {condition.strip()[:60]!r}")
    figure, op, value = match.groups()
    if figure not in SERIES_FIGURES + RUN_FIGURES:
        raise LessonError(f"{where}: unknown figure {figure!r} (one of {', '.join(SERIES_FIGURES + RUN_FIGURES)})")
    return Check(figure, op, float(value), meaning.strip())


def _header(lines: list[str], start: int, name: str) -> tuple[dict, int]:
    """The `key: value` lines after a step's heading, and where its text starts."""
    header, i = {}, start
    while i < len(lines) and lines[i].strip():
        match = _HEADER.match(lines[i].strip())
        if not match or match.group(1) not in HEADER_KEYS:
            break  # the text starts without a blank line
        header[match.group(1)] = (match.group(2).strip(), f"{name}:{i + 1}")
        i += 1
    return header, i


def _step(title: str, header: dict, text: str) -> LessonStep:
    fields: dict = {"title": title, "text": text.strip()}
    if "control" in header:
        key, where = header["control"]
        try:
            on_page = setting(key, IMAGE).on_page
        except ConfigError:
            on_page = False
        if not on_page:
            raise LessonError(f"{where}: control {key[:60]!r} is not a setting of the Train page")
        fields["control"] = key
    if "link" in header:
        fields["link"] = header["link"][0].lstrip("?")
    if "predict" in header:
        parts = [p.strip() for p in header["predict"][0].split("|")]
        if len(parts) < 3 or not all(parts):
            raise LessonError(f"{header['predict'][1]}: predict is 'question | choice | choice ...'")
        fields["question"], fields["choices"] = parts[0], tuple(parts[1:])
    if "check" in header:
        fields["check"] = parse_check(*header["check"])
    if "sources" in header:
        fields["sources"] = header["sources"][0]
    return LessonStep(**fields)


def parse_lesson(text: str, name: str) -> Lesson:
    """A Lesson from its Markdown `text` (the file named `name`); LessonError (one line naming
    the line) for a file that is too large, has no title or no step, too many steps, or a bad
    header value."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise LessonError(f"{name}: larger than {MAX_BYTES // 1024} KB")
    lines = text.splitlines()
    titles = [i for i, line in enumerate(lines) if line.startswith("# ")]
    if not titles:
        raise LessonError(f"{name}: no title (a first line '# Title')")
    heads = [i for i, line in enumerate(lines) if line.startswith("## ")]
    if not heads:
        raise LessonError(f"{name}: no step (each step starts with '## Title')")
    if len(heads) > MAX_STEPS:
        raise LessonError(f"{name}: {len(heads)} steps, at most {MAX_STEPS}")
    intro = "\n".join(lines[titles[0] + 1 : heads[0]]).strip()
    steps = []
    for n, head in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        header, body = _header(lines, head + 1, name)
        steps.append(_step(lines[head][3:].strip(), header, "\n".join(lines[body:end])))
    return Lesson(Path(name).stem, lines[titles[0]][2:].strip(), intro, tuple(steps))


def lesson_folders(environ=None) -> list[Path]:
    """Where lessons are read from: the shipped ones (assets/lessons/) and, first, the folder a
    teacher names with `GAN_LAB_LESSONS`."""
    environ = os.environ if environ is None else environ
    extra = environ.get("GAN_LAB_LESSONS", "").strip()
    return ([Path(extra)] if extra else []) + [SHIPPED]


def list_lessons(environ=None) -> tuple[dict[str, Lesson], list[str]]:
    """({name: Lesson}, [one line per file that could not be read]) of every `*.md` in the lesson
    folders; a teacher's file of the same name comes first and hides the shipped one."""
    found: dict[str, Lesson] = {}
    problems = []
    for folder in lesson_folders(environ):
        try:
            paths = sorted(folder.glob("*.md"))[:100]
        except OSError:
            continue
        for path in paths:
            if path.stem in found:
                continue
            try:
                if path.stat().st_size > MAX_BYTES:
                    raise LessonError(f"{path.name}: larger than {MAX_BYTES // 1024} KB")
                found[path.stem] = parse_lesson(path.read_text(encoding="utf-8", errors="replace"), path.name)
            except (LessonError, OSError) as e:
                problems.append(str(e) if isinstance(e, LessonError) else f"{path.name}: cannot be read")
    return found, problems


def run_figure(figure: str, series: dict, epochs: tuple, step: int, epoch: int) -> float | None:
    """The figure a check reads from a run's snapshot: a per-step series' mean over its last
    CHECK_WINDOW values, the newest epoch's recognized share, or the step or epoch; None while
    not measured yet."""
    if figure == "step":
        return float(step)
    if figure == "epoch":
        return float(epoch)
    if figure == "recognized":
        rated = [e.quality.get("recognized_share") for e in epochs if e.quality]
        rated = [r for r in rated if isinstance(r, int | float)]
        return float(rated[-1]) if rated else None
    values = list(series.get(figure, ()))[-CHECK_WINDOW:]
    return sum(values) / len(values) if values else None
