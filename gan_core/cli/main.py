"""`python -m gan_core`: train, branch, sample, bench, presets, settings, metrics, compare, toy.

Bad flags or values exit with code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from gan_core.nets.tensorflow_runtime import import_tensorflow_quietly


class UsageError(Exception):
    """Bad command-line input; printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        """Raise UsageError("<prog>: <message>") instead of argparse's usage text and exit, so
        the caller prints one line and exits 2."""
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    """The `python -m gan_core` argument parser; its errors raise UsageError instead of exiting."""
    p = _Parser(
        prog="python -m gan_core",
        description="GAN Hacks Lab: train DCGANs with switchable hacks, sample, benchmark, measure.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    _add_train(sub)
    from gan_core.cli.branch import add_branch_parser

    add_branch_parser(sub)
    _add_others(sub)

    from gan_core.cli.compare import add_compare_parser

    add_compare_parser(sub)

    from gan_core.toy.cli import add_toy_parser

    add_toy_parser(sub)
    return p


def _add_train(sub) -> None:
    """The `train` command's flags."""
    t = sub.add_parser("train", help="train a GAN into a run folder, with a progress bar")
    t.add_argument("--preset", default="dcgan-hacks", help="starting configuration (see `presets`)")
    t.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one config value, e.g. hacks.flip_probability=0.1 (repeatable)",
    )
    t.add_argument(
        "--data",
        help="data source: mnist-5k (default), mnist, fashion-mnist, cifar10[:class], or a folder / .zip of images",
    )
    budget = t.add_mutually_exclusive_group()
    budget.add_argument("--epochs", type=int, help="stop after N epochs")
    budget.add_argument("--max-seconds", type=float, help="stop after S seconds of training")
    t.add_argument(
        "--precision",
        choices=("auto", "fp32", "bf16", "fp16"),
        help="auto: fp16 on a GPU, bf16 where the CPU computes it natively and measurably faster "
        "than fp32 (AMX), else fp32",
    )
    t.add_argument("--seed", type=int)
    t.add_argument("--out", help="run folder to create (default: runs/<new id>)")
    t.add_argument("--resume", metavar="DIR", help="continue a run folder from its last complete checkpoint")
    t.add_argument(
        "--backend",
        choices=("threads", "ray"),
        help="where the training runs: a thread here, or a Ray actor on the cluster named by "
        "GAN_LAB_RAY_ADDRESS (a fresh local Ray when unset); default: ray when GAN_LAB_RAY_ADDRESS is set",
    )
    t.add_argument(
        "--final-samples", type=int, default=1000, help="samples for the final quality report on digit data (0: skip)"
    )


def _add_others(sub) -> None:
    """The flags of `sample`, `bench`, `presets`, `settings` and `metrics`."""
    s = sub.add_parser("sample", help="generate N images from a run's generator into a .npy file")
    s.add_argument("--run", required=True, help="run folder (with generator.keras and config.json)")
    s.add_argument("--n", type=int, required=True, help="how many images")
    s.add_argument("--out", required=True, help="output .npy file: uint8, shape (N, H, W, C)")
    s.add_argument("--seed", type=int, default=0)

    b = sub.add_parser("bench", help="time the training step alone (after warm-up)")
    b.add_argument("--preset", default="seed-tutorial")
    b.add_argument("--steps", type=int, default=60)
    b.add_argument("--warmup", type=int, default=5)
    b.add_argument("--batch", type=int)
    b.add_argument("--precision", choices=("auto", "fp32", "bf16", "fp16"), default="fp32")
    b.add_argument("--json", action="store_true", help="print one JSON line")

    sub.add_parser("presets", help="list the presets")

    st = sub.add_parser("settings", help="list every setting: its valid values, what a browser may send, live or not")
    st.add_argument("--scope", choices=("image", "toy"), default="image", help="the image GAN's or the 2D playground's")
    st.add_argument(
        "--markdown", action="store_true", help="print ARCHITECTURE.md's tables of where each control's code is"
    )

    m = sub.add_parser("metrics", help="quality meter of uint8 images in a .npy file, as JSON")
    m.add_argument("file", help=".npy file, uint8 (N, H, W, C) shaped like the data set's images")
    m.add_argument(
        "--data",
        default="mnist-5k",
        help="the data set the images imitate: picks its judge, or the label-free meter (default mnist-5k)",
    )


def main(argv=None) -> int:
    """Run one command; returns the exit code: 0, 2 with one line on stderr for bad input
    (usage, config, data, run folder, ValueError, OSError), 130 when interrupted.
    """
    from gan_core.config.tree import ConfigError
    from gan_core.data import DataError
    from gan_core.store.runs import RunError

    try:
        # The flags first: building the parser imports no TensorFlow, so a bad flag is one
        # line in well under a second instead of after TensorFlow's seconds of import.
        args = build_parser().parse_args(argv)
        import_tensorflow_quietly()  # before anything else loads it, so bad input stays one line
        if os.environ.get("GAN_LAB_CPU_DEVICES"):  # before TensorFlow's first op fixes the devices
            from gan_core.step.mirrored import split_cpu_from_env

            split_cpu_from_env()
        return _dispatch(args)
    except UsageError as e:
        print(str(e).splitlines()[0], file=sys.stderr)
        return 2
    except (ConfigError, DataError, RunError, ValueError, OSError) as e:
        print(f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _dispatch(args) -> int:
    """Run the chosen command: each one's module is imported only when it runs (TensorFlow
    only for the commands that train or sample)."""
    handler = _COMMANDS.get(args.command)
    if handler is None:
        raise UsageError(f"unknown command {args.command}")
    return handler(args)


def _train(args) -> int:
    from gan_core.cli.train import run_train

    return run_train(args)


def _branch(args) -> int:
    from gan_core.cli.branch import run_branch

    return run_branch(args)


def _sample(args) -> int:
    from gan_core.generators.sampling import sample_run

    def note(text: str) -> None:
        """A note of the sampler (e.g. a fallback it took), on stderr."""
        print(f"note: {text}", file=sys.stderr)

    path = sample_run(args.run, args.n, args.out, args.seed, on_note=note)
    print(f"wrote {args.n} images to {path}")
    return 0


def _bench(args) -> int:
    from gan_core.cli.bench import bench_step

    result = bench_step(args.preset, args.steps, args.warmup, args.batch, args.precision)
    print(
        json.dumps(result)
        if args.json
        else f"{args.preset} {args.precision}: {result['steps_per_s']:.2f} steps/s (batch {result['batch']})"
    )
    return 0


def _presets(args) -> int:
    from gan_core.config.presets import PRESETS

    for name, (text, _) in PRESETS.items():
        print(f"{name:15s} {text}")
    return 0


def _settings(args) -> int:
    from gan_core.config.settings import IMAGE, TOY, settings_listing, where_settings_live

    if args.markdown:
        print(f"Image GAN (Train page):\n\n{where_settings_live(IMAGE)}\n2D playground:\n\n{where_settings_live(TOY)}")
    else:
        print(settings_listing(args.scope))
    return 0


def _metrics(args) -> int:
    from gan_core.data import DataError
    from gan_core.metrics import MetricsError, metrics_from_npy

    try:
        print(json.dumps(metrics_from_npy(args.file, args.data)))
    except (MetricsError, DataError) as e:
        raise UsageError(str(e)) from None
    return 0


def _compare(args) -> int:
    from gan_core.cli.compare import run_compare

    return run_compare(args)


def _toy(args) -> int:
    from gan_core.toy.cli import run_toy

    return run_toy(args)


_COMMANDS = {
    "train": _train,
    "branch": _branch,
    "sample": _sample,
    "bench": _bench,
    "presets": _presets,
    "settings": _settings,
    "metrics": _metrics,
    "compare": _compare,
    "toy": _toy,
}
