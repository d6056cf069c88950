"""`python -m gan_core toy ...`: train a toy GAN for a time budget, print the mode metrics."""

from __future__ import annotations

import argparse
import json
import sys
import time
import types

from gan_core.config.tree import ConfigError
from gan_core.toy.csv_points import PointsError
from gan_core.toy.metrics import mode_metrics
from gan_core.toy.presets import DEFAULT_TOY_PRESET, TOY_PRESETS, toy_preset
from gan_core.toy.source import load_toy_dataset


def add_toy_parser(subparsers) -> argparse.ArgumentParser:
    """Add the 'toy' command to a main CLI's subparsers."""
    parser = subparsers.add_parser(
        "toy", help="train a small GAN on 2-D points and report mode coverage", description=__doc__
    )
    configure_toy_parser(parser)
    return parser


def configure_toy_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the toy flags (--dataset, --preset, --set, --max-seconds, --seed, --json) to `parser`
    and make a bad flag print one line and exit with code 2; returns `parser`.
    """
    parser.add_argument(
        "--dataset", default=None, help="ring, grid, spiral, moons, or a CSV file of x,y points (default: the preset's)"
    )
    parser.add_argument(
        "--preset",
        default=DEFAULT_TOY_PRESET,
        choices=list(TOY_PRESETS),
        help="starting configuration (default: %(default)s)",
    )
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a setting, e.g. hacks.flip_probability=0.1 (repeatable)",
    )
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="training time budget in seconds (default: the config's run.max_seconds)",
    )
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the config's run.seed)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    # One line on stderr and exit code 2 for a bad flag, like for a bad value.
    parser.error = types.MethodType(_one_line_error, parser)
    return parser


def _one_line_error(parser: argparse.ArgumentParser, message: str):
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    sys.exit(2)


def run_toy(args: argparse.Namespace) -> int:
    """Train a toy GAN as the parsed flags say and print its mode metrics (or one JSON line).

    Returns the exit code: 0, or 2 with one line on stderr for a bad preset, setting or data
    set (checked before TensorFlow loads). A max_seconds of 0 trains one step.
    """
    try:
        cfg = toy_preset(args.preset).with_overrides(args.overrides)
        if args.dataset is not None:
            cfg = cfg.with_value("data.dataset", args.dataset)
        if args.max_seconds is not None:
            cfg = cfg.with_value("run.max_seconds", args.max_seconds)
        if args.seed is not None:
            cfg = cfg.with_value("run.seed", args.seed)
        cfg = cfg.validated()
        dataset = load_toy_dataset(cfg.data.dataset)
    except (ConfigError, PointsError, ValueError) as e:
        print(f"toy: error: {e}", file=sys.stderr)
        return 2
    for note in dataset.notes:
        print(f"toy: note: {note}", file=sys.stderr)
    from gan_core.toy.trainer import ToyTrainer  # TensorFlow loads here, after the input is known to be good

    start = time.perf_counter()
    trainer = ToyTrainer(cfg, dataset)
    if cfg.run.max_seconds > 0:
        trainer.train_for(cfg.run.max_seconds)
    else:
        trainer.run(1)
    seconds = time.perf_counter() - start
    metrics = mode_metrics(trainer.generated_points(), dataset)
    result = {
        "dataset": dataset.name,
        **metrics.to_dict(),
        "steps": trainer.steps,
        "seconds": round(seconds, 2),
        "steps_per_second": round(trainer.steps / max(seconds, 1e-9), 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{dataset.name}: {metrics.modes_covered}/{metrics.modes_total} modes, "
            f"{100 * metrics.high_quality:.1f}% high quality, KL {metrics.kl:.3f}, "
            f"{trainer.steps} steps in {seconds:.1f} s"
        )
    return 0
