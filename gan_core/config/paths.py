"""Where the server keeps its files: the runs folder (`GAN_LAB_RUNS`).

Here, beside the settings, because run folders (gan_core.store), generators found by run
name (gan_core.generators) and the CLI all need the same default and none of them is below
the others.
"""

from __future__ import annotations

import os
from pathlib import Path


def default_runs_dir() -> Path:
    """The folder new runs go into: `GAN_LAB_RUNS`, else `runs/` under the working directory."""
    return Path(os.environ.get("GAN_LAB_RUNS", "runs"))
