"""A branch started from a page (the Train page's epoch scrubber, the Runs page): a new run
owned by whoever branches it, going on from a saved epoch of a run they may see
(gan_core/store/branch.py), with the settings they typed and the class's limits.

What a browser sends passes the same checks as a Start: each `key=value` line the browser
allow-list and bounds (gan_core.config.browser, as Compare's Advanced box), then the settings
a branch may change (gan_core.config.branching), then the class's time limit on the seconds
the branch trains after its start (its budget counts from step 0, the parent's seconds
included, so the limit applies to what it adds) and the browser bounds of every control.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from gan_core.compare.setup import apply_lines
from gan_core.config.branching import check_branch
from gan_core.config.browser import browser_problems
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.jobs.classroom import Classroom
from gan_core.jobs.pool import TrainerPool
from gan_core.jobs.run_list import DeleteRefused, run_path
from gan_core.jobs.seats import Seat, may_see
from gan_core.store.branch import BranchPoint, branch_point, budget_problem, make_branch, start_config, with_seconds
from gan_core.store.run_owner import read_owner, write_owner
from gan_core.store.runs import RunError, new_run_folder

BRANCH_PRESET = "branch"  # the new folders' names: <time>-branch-<random>


def capped_after(cfg: TrainConfig, point: BranchPoint, classroom: Classroom) -> tuple[TrainConfig, str]:
    """`cfg` (its run.max_seconds counted from step 0) with the seconds it trains after `point`
    within the class's limit per run, and the limit's one-line note when it capped them."""
    own = max(0.0, cfg.run.max_seconds - point.elapsed) if cfg.run.max_seconds else 0.0
    capped, note = classroom.budget_for(cfg.with_value("run.max_seconds", own))
    return with_seconds(capped, point, capped.run.max_seconds), note


def page_branch_config(point: BranchPoint, lines: str, seconds: float, classroom: Classroom) -> tuple[TrainConfig, str]:
    """The branch's settings from a page's form: the parent's settings at `point`, the typed
    `key=value` lines, `seconds` of training after the point (the class's limit applied; its
    note is returned). ConfigError (one line) for a bad line, a setting a branch may not
    change, or a value outside what a browser may send."""
    start = start_config(point)
    cfg = apply_lines(start, lines, "Branch")
    own = cfg.with_overrides([f"run.max_seconds={float(seconds)}", "run.epochs=0"])
    own, note = classroom.budget_for(own)
    problems = browser_problems(own)  # the run's own seconds against the Training time control's bound
    if problems:
        raise ConfigError(problems[0])
    cfg = with_seconds(own, point, own.run.max_seconds)
    check_branch(start, cfg, point.epoch)
    return cfg, note


def start_page_branch(
    pool: TrainerPool,
    classroom: Classroom,
    runs_dir,
    run_id: str,
    epoch: int,
    lines: str,
    seconds: float,
    seat: Seat,
) -> tuple[str, TrainConfig, str]:
    """Branch run `run_id` of `runs_dir` at `epoch` for `seat` and start it in the server's line;
    returns (job id, the branch's config, the class limit's note or "").

    Raises RunError (one line) for a run the seat may not see, an epoch without a checkpoint,
    ConfigError for settings (as page_branch_config), PoolBusy when the line or the seat is
    full, OSError when the runs folder refuses; nothing is left on disk when it raises."""
    try:
        parent = run_path(runs_dir, run_id)
    except DeleteRefused as e:
        raise RunError(str(e)) from None
    if not may_see(seat, read_owner(parent), classroom.rules().students_see_others):
        raise RunError(f"run '{run_id}' is not one you can see")
    point = branch_point(parent, int(epoch))
    cfg, note = page_branch_config(point, lines, seconds, classroom)
    problem = budget_problem(cfg, point)
    if problem:
        raise ConfigError(problem)
    folder = new_run_folder(runs_dir, BRANCH_PRESET)
    try:
        make_branch(point, cfg, folder)
        write_owner(folder, seat.id)
        job_id = pool.start_training(cfg, run_dir=folder, owner=seat.id, resume=True)
    except BaseException:
        shutil.rmtree(Path(folder), ignore_errors=True)
        raise
    return job_id, cfg, note
