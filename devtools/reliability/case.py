"""What one reliability case is: a name and a function of a work folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    """One fault, input or soak case of `make reliability`.

    `run(workdir)` gets an empty folder of its own, returns one line saying what the
    product did (e.g. "resumed at step 412, 412 rows, no duplicates"), and raises
    `AssertionError` with the reason when the product did the wrong thing.
    """

    name: str
    run: Callable[[Path], str]
