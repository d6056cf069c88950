"""The `branch` command: a new run that goes on from one of a run's saved epochs with some
settings changed (gan_core/store/branch.py), trained like `train --resume`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gan_core.config.branching import check_branch
from gan_core.config.paths import default_runs_dir
from gan_core.config.tree import TrainConfig
from gan_core.store.branch import BranchPoint, branch_point, budget_problem, make_branch, start_config, with_seconds
from gan_core.store.runs import load_run_data, new_run_id


def add_branch_parser(sub) -> None:
    """The `branch` command's flags."""
    b = sub.add_parser("branch", help="go on from a run's saved epoch with changed settings, into a new run")
    b.add_argument(
        "--run",
        required=True,
        help="the run folder to branch from, or a run id in the runs folder (as the Runs page shows)",
    )
    b.add_argument("--epoch", type=int, required=True, help="the saved epoch to go on from (1, 2, ...)")
    b.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change one setting, e.g. hacks.flip_probability=0.1 (repeatable): the live hacks, the budget, "
        "and settings that keep the networks' weights",
    )
    b.add_argument(
        "--max-seconds",
        type=float,
        help="train S more seconds after the branch point (default: the parent's budget, counted from step 0)",
    )
    b.add_argument("--out", help="run folder to create (default: runs/<new id>)")
    b.add_argument(
        "--final-samples", type=int, default=1000, help="samples for the final quality report on digit data (0: skip)"
    )


def run_folder(run: str) -> Path:
    """The folder `--run` names: a path, else (when no such folder is there and it is one plain
    name) that run id in the runs folder (GAN_LAB_RUNS, else runs/)."""
    path = Path(run)
    if not path.is_dir() and path.name == run and run not in ("", ".", ".."):
        by_id = default_runs_dir() / run
        if by_id.is_dir():
            return by_id
    return path


def branch_from_args(args) -> tuple[BranchPoint, TrainConfig]:
    """The branch point and the branch's validated settings the flags ask for: the parent's
    settings at the epoch, then the --set lines, then --max-seconds.

    Raises RunError (no such run or saved epoch), ConfigError (a bad key or value, or one a
    branch may not change) or ValueError (a budget already spent at the branch point)."""
    point = branch_point(run_folder(args.run), args.epoch)
    cfg = start_config(point).with_overrides(args.overrides)
    if args.max_seconds is not None:
        if not args.max_seconds > 0:
            raise ValueError(f"--max-seconds must be above 0, got {args.max_seconds:g}")
        cfg = with_seconds(cfg, point, args.max_seconds)
    cfg = cfg.validated()
    check_branch(start_config(point), cfg, point.epoch)  # before anything is loaded for it
    problem = budget_problem(cfg, point)
    if problem:
        raise ValueError(problem)
    return point, cfg


def run_branch(args) -> int:
    """The `branch` command: check everything, write the branch folder, then train it as
    `train --resume` does (a line per new epoch, a final quality report). Returns the exit
    code; bad input raises before any folder is made (the caller prints one line, exit 2)."""
    from gan_core.cli.train import run_train

    point, cfg = branch_from_args(args)
    out = Path(args.out or default_runs_dir() / new_run_id("branch"))
    load_run_data(point.run, cfg.data.source)  # the parent's data must load: fail before any folder
    make_branch(point, cfg, out)
    print(f"branch of {point.parent_id} at epoch {point.epoch} (step {point.step}) into {out}", file=sys.stderr)
    resumed = argparse.Namespace(
        resume=str(out),
        preset=None,
        overrides=[],
        data=None,
        epochs=None,
        max_seconds=None,
        precision=None,
        seed=None,
        out=None,
        backend="threads",
        final_samples=args.final_samples,
    )
    return run_train(resumed)
