"""The suite's one small configuration and one wait helper, as plain functions: conftest.py
hands them out as the `small_config` and `wait_until` fixtures, and a test module that needs
them in its own helpers imports them from here (`from support import ...`; pytest puts this
folder on the import path)."""

from __future__ import annotations

import time


def small_config(*overrides: str, epochs: int = 0):
    """The small configuration most trainer tests use: fast-demo with no time limit, `epochs`
    epochs (0: until stopped), a 2x2 grid and no quality meter, then `overrides` ("key=value"
    strings, later ones win). Returns a TrainConfig."""
    from gan_core.config.presets import preset

    base = ["run.max_seconds=0", f"run.epochs={epochs}", "run.grid_size=2", "run.quality_every_epoch=false"]
    return preset("fast-demo").with_overrides([*base, *overrides])


def wait_until(read, predicate=bool, timeout: float = 120.0, what: str = "the condition"):
    """Poll `read()` every 20 ms until `predicate(value)` holds (without a predicate: until the
    value is truthy) and return that value. AssertionError naming `what` (and the last value's
    state and message, when it has them) after `timeout` seconds."""
    end = time.monotonic() + timeout
    value = read()
    while not predicate(value):
        if time.monotonic() > end:
            detail = f" (state {value.state}: {value.message})" if hasattr(value, "state") else ""
            raise AssertionError(f"timed out waiting for {what}{detail}")
        time.sleep(0.02)
        value = read()
    return value


def wait_for_snapshot(source, predicate, timeout: float = 120.0, what: str = "the run's snapshot"):
    """`wait_until` on `source.snapshot()` (a Trainer or a pool job): the first snapshot
    `predicate` accepts."""
    return wait_until(source.snapshot, predicate, timeout, what)
