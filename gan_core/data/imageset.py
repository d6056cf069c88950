"""The common currency of the data sources."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


class DataError(ValueError):
    """A data source could not be used; the message is one line a user can act on."""


@dataclass(frozen=True)
class ImageSet:
    """A data set's images: uint8 `images` (N, H, W, C) with C in {1, 3} and pixels 0..255, int
    `labels` (N,) or None, the `name` shown to users, and `skipped` (reason -> files left out
    while loading). Raises DataError when the images are not uint8 (N, H, W, 1|3).
    """

    images: np.ndarray  # uint8, (N, H, W, C), C in {1, 3}
    labels: np.ndarray | None  # int, (N,), or None when the source has no labels
    name: str
    skipped: Mapping[str, int] = field(default_factory=dict)  # reason -> files left out while loading

    def __post_init__(self):
        if self.images.dtype != np.uint8 or self.images.ndim != 4 or self.images.shape[-1] not in (1, 3):
            raise DataError(
                f"{self.name}: images must be uint8 (N, H, W, 1|3), got {self.images.dtype} {self.images.shape}"
            )

    @property
    def shape(self) -> tuple:
        """(H, W, C) of one image."""
        return tuple(self.images.shape[1:])

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def summary(self) -> str:
        """One line for the user: '40 images loaded; 9 files skipped (7 not an image, 2 damaged)'."""
        text = f"{len(self):,} image{'s' if len(self) != 1 else ''} loaded"
        return f"{text}; {skipped_summary(self.skipped)}" if self.skipped else text


def skipped_summary(skipped: Mapping[str, int]) -> str:
    """'9 files skipped (7 not an image, 2 damaged)': reasons by count, largest first."""
    total = sum(skipped.values())
    parts = ", ".join(
        f"{count} {reason}" for reason, count in sorted(skipped.items(), key=lambda item: (-item[1], item[0]))
    )
    return f"{total} file{'s' if total != 1 else ''} skipped ({parts})"


def one_line_reason(err: BaseException | str, limit: int = 160) -> str:
    """An exception (or its text) as a short single line, for the end of a DataError message."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."
