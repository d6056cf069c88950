"""The common currency of the data sources."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np


class DataError(ValueError):
    """A data source could not be used; the message is one line a user can act on."""


@dataclass(frozen=True)
class ImageSet:
    images: np.ndarray                 # uint8, (N, H, W, C), C in {1, 3}
    labels: Optional[np.ndarray]       # int, (N,), or None when the source has no labels
    name: str

    def __post_init__(self):
        if self.images.dtype != np.uint8 or self.images.ndim != 4 or self.images.shape[-1] not in (1, 3):
            raise DataError(f"{self.name}: images must be uint8 (N, H, W, 1|3), got "
                            f"{self.images.dtype} {self.images.shape}")

    @property
    def shape(self) -> tuple:
        return tuple(self.images.shape[1:])

    def __len__(self) -> int:
        return int(self.images.shape[0])


def one_line_reason(err: BaseException | str, limit: int = 160) -> str:
    """An exception (or its text) as a short single line, for the end of a DataError message."""
    text = " ".join(str(err).split()) or type(err).__name__
    return text if len(text) <= limit else text[:limit - 3] + "..."
