"""Live hack changes as the curves show them: one marker per change at the step it took effect,
with one slider drag (many values within a few steps) merged into one marker."""

from __future__ import annotations

from gan_core.hacks.live import LIVE_KEYS
from gan_core.run.snapshot import Board, HackChange

MERGE_STEPS = 20  # changes of one hack this close together become one marker


def format_value(value) -> str:
    """A live value as a marker's label writes it: 2 significant digits below 0.01, else 2
    decimals; "none" for an empty DiffAugment policy set; a tuple as [a, b]."""
    if value == "":
        return "none"  # an empty set of DiffAugment policies
    if isinstance(value, float):
        return f"{value:.2g}" if value < 0.01 else f"{value:.2f}"
    if isinstance(value, tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    return str(value)


def mark_change(board: Board, key: str, value, step: int) -> str | None:
    """Record that the live `key` (one of LIVE_KEYS) became `value` at `step`: a HackChange
    marker (the last one replaced when it changed the same key at most MERGE_STEPS steps
    before, keeping its old value) and the board's `hacks`. Returns the marker's label, e.g.
    "Label flips 0.05 → 0.20", or None when `value` is the value the board shows already."""
    hacks = dict(board.get("hacks"))
    old = hacks.get(key)
    if old == value:
        return None
    hacks[key] = value
    last = board.last_change()
    if last is not None and last.key == key and step - last.step <= MERGE_STEPS:
        old = last.old  # one slider drag is one marker, not one per arrow key
        board.drop_last_change()
    label = f"{LIVE_KEYS[key]} {format_value(old)} → {format_value(value)}"
    board.add_change(HackChange(step, key, old, value, label))
    board.update(hacks=hacks)
    return label
