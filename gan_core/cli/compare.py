"""The `compare` command: a Hacks guide card's with/without pair trained side by side (as the
Compare page does, from the dcgan-hacks preset), headless, one JSON line on stdout; with
`--careful` three seeds per arm and the verdict against the seeds' spread
(gan_core/compare/spread.py). The guide cards' measured lines come from it
(gan_core/guide/measured.py).
"""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING

from gan_core.compare.pair import CAREFUL_SEEDS, CompareError
from gan_core.config.tree import TrainConfig
from gan_core.guide import lookup as guide

if TYPE_CHECKING:  # `--help` and bad flags answer before TensorFlow loads
    from gan_core.compare.spread import Spread
    from gan_core.run.snapshot import Snapshot

PROGRESS_SECONDS = 30.0  # how often a line on stderr says how far the comparison is
QUALITY_KEYS = ("recognized_share", "classes_present", "frechet_distance", "precision", "recall", "kernel_distance")


def add_compare_parser(sub) -> None:
    """The `compare` command's flags on the `python -m gan_core` subparsers `sub`."""
    c = sub.add_parser("compare", help="train a guide card's with/without pair side by side; one JSON line")
    c.add_argument(
        "--card",
        required=True,
        action="append",
        help="a Hacks guide card id, e.g. instance-noise; repeat it to compare several cards one after the other "
        "(one JSON line each; one process keeps the traced steps for the next card)",
    )
    c.add_argument("--careful", action="store_true", help=f"{CAREFUL_SEEDS} seeds per arm, judged against their spread")
    budget = c.add_mutually_exclusive_group(required=True)
    budget.add_argument("--max-seconds", type=float, help="seconds of training per run (each arm, each seed)")
    budget.add_argument("--epochs", type=int, help="epochs per run: the same steps whatever the machine's load")
    c.add_argument("--seed", type=int, default=0, help="the first seed (careful: this one and the next two)")
    c.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one config value in both arms, e.g. model.use_labels=false (repeatable)",
    )


def pair_from_args(args, card_id: str) -> tuple[TrainConfig, TrainConfig]:
    """The card's (A, B) on the dcgan-hacks preset with the --set lines, the budget and the seed
    applied to both. Raises GuideError for an unknown card, ConfigError (CompareError among
    them) for a bad value, a pair that cannot be compared or no budget at all."""
    budget = (
        [f"run.epochs={args.epochs:d}", "run.max_seconds=0"]
        if args.epochs is not None
        else [f"run.max_seconds={args.max_seconds}", "run.epochs=0"]
    )
    changes = [*args.overrides, *budget, f"run.seed={args.seed:d}"]
    cfg_a, cfg_b = (cfg.with_overrides(changes).validated() for cfg in guide.compare_configs(guide.card(card_id)))
    if not cfg_a.run.epochs and not cfg_a.run.max_seconds:
        raise CompareError("give a budget above 0: --epochs N or --max-seconds S")
    return cfg_a, cfg_b


def run_compare(args) -> int:
    """Train each --card's pair in turn (--careful: CAREFUL_SEEDS seeds per arm) with a progress
    line on stderr every PROGRESS_SECONDS, printing `report(...)` as one JSON line after each.
    Ctrl-C stops it (exit 130 from the caller). Returns 0 when every one finished, 1 when one
    failed (its JSON says why). Bad input raises before anything trains (the caller prints one
    line and exits 2)."""
    pairs = [(card_id, pair_from_args(args, card_id)) for card_id in args.card]  # every card checked first
    finished = [_compare_one(args, card_id, cfg_a, cfg_b) for card_id, (cfg_a, cfg_b) in pairs]
    return 0 if all(finished) else 1


def _compare_one(args, card_id: str, cfg_a: TrainConfig, cfg_b: TrainConfig) -> bool:
    from gan_core.compare.job import CompareJob

    job = CompareJob(cfg_a, cfg_b, seeds=CAREFUL_SEEDS if args.careful else 1)
    job.start()
    try:
        last = time.perf_counter()
        while job.alive:
            job.join(1.0)
            if time.perf_counter() - last >= PROGRESS_SECONDS and job.alive:
                status = job.status()
                print(f"{card_id}: {status.state}, step {status.step}, {status.elapsed:.0f} s", file=sys.stderr)
                last = time.perf_counter()
    except KeyboardInterrupt:
        job.stop(timeout=10.0)
        raise
    snaps_a, snaps_b, status = job.snapshots()
    print(json.dumps(report(card_id, job.seeds, cfg_a, snaps_a, snaps_b, status)), flush=True)
    return status.state == "finished"


def report(card_id: str, seeds, cfg: TrainConfig, snaps_a, snaps_b, status) -> dict:
    """The JSON the command prints: the card, seeds, budget and end state, each arm's settings
    (the card's overrides) and runs (seed, steps, training seconds, NaN or not, last quality
    figures), and the verdict; careful (several seeds): each arm's score and distance as mean,
    low, high and n, and whether each difference is within noise."""
    from gan_core.compare.spread import careful_verdict
    from gan_core.compare.verdict import verdict

    card = guide.card(card_id)
    out = {
        "card": card_id,
        "seeds": list(seeds),
        "budget": {"max_seconds": cfg.run.max_seconds, "epochs": cfg.run.epochs},
        "state": status.state,
        "message": status.message,
        "arms": {
            arm: {"settings": card.overrides[arm.lower()], "runs": [_run(seed, s) for seed, s in zip(seeds, snaps)]}
            for arm, snaps in (("A", snaps_a), ("B", snaps_b))
        },
    }
    if len(seeds) == 1:
        out["verdict"] = verdict(snaps_a[0], snaps_b[0])
        return out
    found = careful_verdict(snaps_a, snaps_b)
    out.update(
        score={"A": _spread(found.score_a), "B": _spread(found.score_b)},
        distance={"A": _spread(found.distance_a), "B": _spread(found.distance_b)},
        within_noise=found.score_within_noise,
        distance_within_noise=found.distance_within_noise,
        verdict=found.text,
    )
    return out


def _run(seed: int, snap: Snapshot) -> dict:
    from gan_core.compare.verdict import last_quality, went_nan

    quality = last_quality(snap) or {}
    return {
        "seed": seed,
        "steps": snap.step,
        "seconds": round(snap.elapsed, 1),
        "nan": went_nan(snap),
        "quality": {k: quality[k] for k in QUALITY_KEYS if quality.get(k) is not None},
    }


def _spread(s: Spread | None) -> dict | None:
    return None if s is None else {"mean": s.mean, "low": s.low, "high": s.high, "n": s.n}
