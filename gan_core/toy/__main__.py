"""`python -m gan_core.toy ...`: the toy command without the main CLI."""

import argparse
import sys

from gan_core.nets.tensorflow_runtime import import_tensorflow_quietly
from gan_core.toy.cli import configure_toy_parser, run_toy


def main(argv=None) -> int:
    """`python -m gan_core.toy [flags]`: the toy command alone; returns the exit code (0, or 2)."""
    import_tensorflow_quietly()
    parser = configure_toy_parser(
        argparse.ArgumentParser(prog="python -m gan_core.toy", description="Train a small GAN on 2-D points.")
    )
    return run_toy(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
