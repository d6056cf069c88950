"""What makes two configurations comparable: the settings both arms must share, the one-line
refusal when they differ, the settings they disagree on, and the seeded pairs of a careful
comparison (the same A/B pair trained again from other seeds).
"""

from __future__ import annotations

from gan_core.config.branching import check_branch
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.store.branch import BranchPoint, start_config

# Settings a fair comparison needs to be equal in both arms.
SHARED_KEYS = ("data.source", "run.batch_size", "run.seed", "run.epochs", "run.max_seconds", "run.grid_size")
# Seeds per arm in a careful comparison: the fewest that give a spread (min to max) to read a
# difference against, at three times a plain comparison's training.
CAREFUL_SEEDS = 3
# A saved epoch's weights are one seed's: a comparison from one (a branch beside its parent)
# cannot be trained again from other seeds.
CAREFUL_FROM_EPOCH = (
    f"a careful comparison trains fresh weights from {CAREFUL_SEEDS} seeds, and one from a saved epoch "
    "goes on with that run's weights of one seed: turn Careful off to compare a branch with its parent"
)
MAX_SEEDS = 5  # a bound on what one comparison trains (2 x seeds networks held at once)


class CompareError(ConfigError):
    """A pair of configs that cannot be compared fairly; one line naming the difference."""


def _value(cfg: TrainConfig, key: str):
    section, name = key.split(".")
    return getattr(getattr(cfg, section), name)


def check_pair(cfg_a: TrainConfig, cfg_b: TrainConfig) -> tuple[TrainConfig, TrainConfig]:
    """Both configs validated and agreeing on SHARED_KEYS, else a one-line CompareError."""
    checked = []
    for name, cfg in (("A", cfg_a), ("B", cfg_b)):
        try:
            checked.append(cfg.validated())
        except ConfigError as e:
            raise CompareError(f"{name}: {e}") from None
    for key in SHARED_KEYS:
        va, vb = _value(checked[0], key), _value(checked[1], key)
        if va != vb:
            raise CompareError(f"A and B must use the same {key} for a fair comparison: A has {va!r}, B has {vb!r}")
    return checked[0], checked[1]


def seeded_pairs(cfg_a: TrainConfig, cfg_b: TrainConfig, seeds: int) -> tuple[tuple[TrainConfig, TrainConfig], ...]:
    """The pair trained from `seeds` seeds: run.seed s, s+1, ... (s is the pair's own seed), A and
    B sharing each seed, so each seed's pair starts from the same weights and sees the same data
    order. `seeds` is 1 (a plain comparison) to MAX_SEEDS.

    Raises CompareError (one line) for another count, for a pair `check_pair` refuses, or when
    a seed past s would leave run.seed's range.
    """
    if not isinstance(seeds, int) or isinstance(seeds, bool) or not 1 <= seeds <= MAX_SEEDS:
        raise CompareError(f"a comparison trains 1 to {MAX_SEEDS} seeds per arm, got {seeds!r}")
    cfg_a, cfg_b = check_pair(cfg_a, cfg_b)
    first = cfg_a.run.seed
    try:
        return tuple(
            check_pair(cfg_a.with_value("run.seed", first + i), cfg_b.with_value("run.seed", first + i))
            for i in range(seeds)
        )
    except CompareError as e:
        raise CompareError(f"seeds {first} to {first + seeds - 1}: {str(e).split(': ', 1)[-1]}") from None


def differences(cfg_a: TrainConfig, cfg_b: TrainConfig) -> dict[str, tuple]:
    """Dotted key -> (A's value, B's value) for every setting the two configs disagree on."""
    flat_a, flat_b = _flat(cfg_a), _flat(cfg_b)
    return {k: (flat_a[k], flat_b[k]) for k in flat_a if flat_a[k] != flat_b[k]}


def _flat(cfg: TrainConfig) -> dict:
    return {f"{s}.{n}": v for s, section in cfg.to_dict().items() for n, v in section.items()}


def check_start(start: BranchPoint, cfg_a: TrainConfig, cfg_b: TrainConfig) -> None:
    """CompareError (one line) when an arm changes a setting the saved epoch `start` cannot go
    on with (gan_core.config.branching); RunError when the start's run cannot be read."""
    base = start_config(start)
    for name, cfg in (("A", cfg_a), ("B", cfg_b)):
        try:
            check_branch(base, cfg, start.epoch)
        except ConfigError as e:
            raise CompareError(f"{name}: {e}") from None
