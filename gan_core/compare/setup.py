"""The Compare page's A/B setup as pure functions: a guide card (or a Hacks guide preload)
and two boxes of `key=value` lines in, two validated configs out.

Everything typed or preloaded from a browser passes the same allow-list
(gan_core.config.browser: only `model.`, `optimizer.`, `hacks.` and `run.` keys), so a
data set is the page's own, never a path typed into a box.
"""

from __future__ import annotations

from gan_core.compare.pair import CompareError, check_pair, check_start, differences
from gan_core.config.browser import browser_override
from gan_core.config.presets import preset
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.guide import lookup as guide
from gan_core.store.branch import BranchPoint, branch_start, start_config, with_seconds
from gan_core.store.lineage import Lineage
from gan_core.store.runs import RunFolder

# The select's option for "B is A": a check that runs are reproducible.
SAME = ""


class OverrideError(ConfigError):
    """A bad `key=value` line in the Advanced box; the message names the arm and the line."""


def apply_lines(cfg: TrainConfig, text: str, arm: str) -> TrainConfig:
    """`cfg` with the `key=value` lines of `text` applied in order (blank lines and `#`
    comments skipped), each validated as it goes.

    `arm` ("A" or "B") only names the box in messages. Raises OverrideError, one line such
    as "B overrides, line 2: ...", for a line without `=`, a key outside the browser
    allow-list or a value the config refuses.
    """
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise OverrideError(f"{arm} overrides, line {number}: expected key=value, got {line!r}")
        try:
            cfg = browser_override(cfg, key, value.strip()).validated()
        except ConfigError as e:
            raise OverrideError(f"{arm} overrides, line {number}: {e}") from None
    return cfg


def base_pair(card_id: str, loaded: dict | None) -> tuple[TrainConfig, TrainConfig]:
    """(A, B) before the budget and the Advanced lines.

    With a Hacks guide preload `loaded` ({"a": {key: value}, "b": {...}}, as
    `guide.compare_preload` makes it): the `COMPARE_BASE_PRESET` preset with each side's
    overrides. Else with `card_id == SAME`: that preset twice. Else the card's own pair
    (`guide.compare_configs`). Raises ConfigError for a preload key outside the browser
    allow-list, GuideError for an unknown card id.
    """
    if loaded is not None:
        base = preset(guide.COMPARE_BASE_PRESET)
        return _with(base, loaded.get("a", {})), _with(base, loaded.get("b", {}))
    if card_id == SAME:
        base = preset(guide.COMPARE_BASE_PRESET)
        return base, base
    return guide.compare_configs(guide.card(card_id))


def _with(cfg: TrainConfig, overrides: dict) -> TrainConfig:
    # A preload sits in session state, like everything a page keeps for a browser: the same
    # allow-list as typed lines applies.
    for key, value in overrides.items():
        cfg = browser_override(cfg, key, value)
    return cfg.validated()


def build_pair(
    card_id: str, loaded: dict | None, seconds: float, lines_a: str, lines_b: str
) -> tuple[TrainConfig, TrainConfig]:
    """(A, B) ready to train for `seconds` of training per arm (no epoch limit), with each
    side's Advanced lines applied.

    Raises ConfigError (OverrideError, CompareError among them) with one line saying what
    is wrong: a bad line, settings that must match on both sides (`check_pair`), or no
    budget at all (the thread would outlive the browser tab with nothing to end it).
    """
    cfg_a, cfg_b = base_pair(card_id, loaded)
    budget = [f"run.max_seconds={seconds}", "run.epochs=0"]
    cfg_a = apply_lines(cfg_a.with_overrides(budget), lines_a, "A")
    cfg_b = apply_lines(cfg_b.with_overrides(budget), lines_b, "B")
    cfg_a, cfg_b = check_pair(cfg_a, cfg_b)
    if not cfg_a.run.max_seconds and not cfg_a.run.epochs:
        raise CompareError("a comparison needs a budget: set run.max_seconds or run.epochs above 0")
    return cfg_a, cfg_b


def card_ids() -> list[str]:
    """The Hacks guide's card ids, in the guide's order: the options after SAME."""
    return [c.id for c in guide.CARDS]


def card_label(card_id: str) -> str:
    """What the select shows for an option: the card's title, or the SAME option's text."""
    return "Nothing: B is A (same seed, same result)" if card_id == SAME else guide.card(card_id).title


def describe_difference(cfg_a: TrainConfig, cfg_b: TrainConfig) -> str:
    """One Markdown line naming every setting B changes, as "`key` A's value → B's value"."""
    diff = differences(cfg_a, cfg_b)
    if not diff:
        return "A and B are identical: both arms should draw the same pictures, step for step."
    parts = [f"`{key}` {a!r} → {b!r}" for key, (a, b) in diff.items()]
    return "B differs from A in: " + "; ".join(parts)


# Set by the Compare page itself (the budget), so a run's own values are not carried over.
_PAGE_KEYS = ("run.max_seconds", "run.epochs")


def runs_preload(name_a: str, cfg_a: TrainConfig, name_b: str, cfg_b: TrainConfig) -> dict:
    """What the Compare page reads from session_state["compare_preload"] to train two past
    runs' configurations again, side by side.

    The preload holds, per arm, the settings in which that run's config differs from the
    `COMPARE_BASE_PRESET` preset (browser sections only, budget excluded), so the page's
    allow-list accepts it. Its "notes" are one-line sentences on what cannot be carried: a
    data set other than the base preset's (the page trains on its own).
    """
    base = preset(guide.COMPARE_BASE_PRESET)
    arms = {}
    for arm, cfg in (("a", cfg_a), ("b", cfg_b)):
        arms[arm] = {
            key: list(b) if isinstance(b, tuple) else b
            for key, (_, b) in differences(base, cfg).items()
            if key.split(".")[0] != "data" and key not in _PAGE_KEYS
        }
    notes = [
        f"Run {name} trained on {cfg.data.source}; Compare trains both on {base.data.source}."
        for name, cfg in ((name_a, cfg_a), (name_b, cfg_b))
        if cfg.data.source != base.data.source
    ]
    title = f"runs {name_a} (A) and {name_b} (B)"
    return {"card": None, "title": title, "from": "the Runs page", "notes": notes, **arms}


def branch_preload(run_id: str, lineage: Lineage) -> dict:
    """What the Compare page reads from session_state["compare_preload"] to train the branch
    `run_id` (B) beside its parent's continuation (A) from the epoch it branched at. The page
    finds both configs and the start in the runs folder (`branch_pair`), for this browser's
    seat, from the id alone."""
    title = f"branch {run_id} (B) beside its parent {lineage.parent} going on unchanged (A), from epoch {lineage.epoch}"
    return {"card": None, "title": title, "from": "the Runs page", "branch": run_id}


def branch_pair(
    branch_path, seconds: float, lines_a: str, lines_b: str
) -> tuple[TrainConfig, TrainConfig, BranchPoint]:
    """(A, B, start) for a branch beside its parent's continuation: A the parent's settings at
    the branch's epoch, B the branch's own, both going on from that epoch's checkpoint for
    `seconds` of training each (their budget counts from step 0, as the runs' do), each side's
    Advanced lines applied. RunError when the branch or its start cannot be read; ConfigError
    (one line) for a bad line, a pair that cannot be compared, or a setting the start cannot
    go on with."""
    start = branch_start(branch_path)
    cfg_a = apply_lines(with_seconds(start_config(start), start, seconds), lines_a, "A")
    cfg_b = apply_lines(with_seconds(RunFolder.open(branch_path).config(), start, seconds), lines_b, "B")
    cfg_a, cfg_b = check_pair(cfg_a, cfg_b)
    check_start(start, cfg_a, cfg_b)
    return cfg_a, cfg_b, start
