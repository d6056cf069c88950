"""The batch a data set can fill: a set smaller than one batch trains with a smaller batch.

Each training step draws a full batch without repeats from one permutation of the set
(the step's shape is fixed, so the remainder is dropped), so a batch larger than the set
would leave every epoch empty. The batch is lowered to the largest even size the set
fills (the step splits a batch into halves), down to MIN_BATCH: below 8 images the
discriminator's BatchNorm statistics over a half-batch of 4 or fewer are mostly noise
(DCGAN, Radford et al. 2016, trained with batches of 128).
"""

from __future__ import annotations

from gan_core.data.imageset import DataError

MIN_BATCH = 8


def fitted_batch_size(n_images: int, batch_size: int, name: str = "the data set") -> tuple[int, str]:
    """(batch size to train with, note for the user or "") for a set of `n_images`.

    `batch_size` (an even number) is kept when the set fills it; otherwise the largest even
    number <= n_images is used, with a note. Raises DataError (one line) when the set has
    fewer than MIN_BATCH images.
    """
    if n_images < MIN_BATCH:
        raise DataError(
            f"{name} has {n_images} image{'s' if n_images != 1 else ''}; training needs at least "
            f"{MIN_BATCH} (the smallest batch): add more images"
        )
    if n_images >= batch_size:
        return batch_size, ""
    fitted = n_images - n_images % 2
    return fitted, (
        f"{name} has {n_images} images, fewer than one batch of {batch_size}: "
        f"training with batch size {fitted} (the smallest allowed is {MIN_BATCH})"
    )


def fit_config_to_data(cfg, n_images: int, name: str = "the data set"):
    """(config with run.batch_size fitted to the set, note or ""); see fitted_batch_size."""
    batch, note = fitted_batch_size(n_images, cfg.run.batch_size, name)
    return (cfg if batch == cfg.run.batch_size else cfg.with_value("run.batch_size", batch)), note
