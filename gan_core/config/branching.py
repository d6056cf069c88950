"""Which settings a branch may change: a branch goes on from an epoch's checkpoint, so its
networks and optimizers must hold exactly the weights that checkpoint saved.

Every live setting may change (the running step reads it from a variable), and so may the
run's budget. Of the settings that apply at the next start, only those that leave every weight
and optimizer variable the same shape may (`SAME_WEIGHTS`; a test builds the networks both
ways and compares). The rest would rebuild the networks (base width, batch normalization,
spectral normalization, the labels, D's optimizer, ...) or only set how they start (the
Gaussian init), which a branch takes from the checkpoint, or would change what the parent's
history means (data set, seed, grid points, latent size, precision): a new run, not a branch.
"""

from __future__ import annotations

from gan_core.config.settings import IMAGE, settings
from gan_core.config.tree import ConfigError, TrainConfig

# Next-start settings whose networks and optimizers hold the same variables, shape for shape:
# no weights (activations, dropout), a hyperparameter (Adam's beta_1), how D downsamples (a
# strided conv or a conv and a pooling layer: the same kernels), or only the data stream (batch).
SAME_WEIGHTS = (
    "model.strided_downsample",
    "model.leaky_relu",
    "model.leaky_slope",
    "model.tanh_output",
    "model.dropout",
    "model.g_dropout",
    "optimizer.beta_1",
    "run.batch_size",
)
BUDGET = ("run.max_seconds", "run.epochs", "run.quality_every_epoch")


def branch_keys() -> tuple[str, ...]:
    """Every key a branch may change: the live settings, SAME_WEIGHTS and the budget, in the
    settings table's page order (the budget's keys last)."""
    live = tuple(s.key for s in settings(IMAGE) if s.live)
    return live + SAME_WEIGHTS + BUDGET


def changed_keys(start: TrainConfig, branch: TrainConfig) -> list[str]:
    """The dotted keys whose values differ between `start` and `branch`, in config order."""
    flat_a, flat_b = _flat(start), _flat(branch)
    return [key for key in flat_a if flat_a[key] != flat_b[key]]


def check_branch(start: TrainConfig, branch: TrainConfig, epoch: int) -> None:
    """Raise ConfigError with one line naming every setting `branch` changes from `start` (the
    parent's settings at `epoch`) that a branch may not change; nothing when all may."""
    allowed = set(branch_keys())
    refused = [key for key in changed_keys(start, branch) if key not in allowed]
    if not refused:
        return
    these = "this setting" if len(refused) == 1 else "these settings"
    raise ConfigError(
        f"{', '.join(refused)} cannot change at a branch: a branch goes on with epoch {epoch}'s networks, "
        f"and {these} would rebuild them, replace their starting weights or change the data; "
        "start a new run for that (a branch may change the live hacks, the budget and "
        f"{', '.join(SAME_WEIGHTS)})"
    )


def _flat(cfg: TrainConfig) -> dict:
    return {f"{s}.{n}": v for s, section in cfg.to_dict().items() for n, v in section.items()}
