"""Sampling a saved run's generator (for `sample`, final reports and the pretrained asset)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from gan_core.generators.running import generate
from gan_core.generators.source import GeneratorSource, load_generator, run_source

_CHUNK = 256


def sample_images(generator, source: GeneratorSource, n: int, seed: int = 0) -> np.ndarray:
    """n uint8 images (n, H, W, C) from the generator's prior, scaled from its measured
    `source.pixel_range`; a conditional one draws every class equally often (classes in turn)."""
    return generate(generator, source.latent(seed, n), source.pixel_range, chunk=_CHUNK)


def sample_run(run_dir, n: int, out, seed: int = 0, on_note=None) -> Path:
    """Write `n` samples of a run folder's generator to a .npy file; returns its path.

    The file holds uint8 (n, H, W, C); `seed` fixes the latent points; `on_note(text)` gets
    each one-line note on how the generator was read (its measured output range). Raises
    ValueError when n is outside 1..100000 or `out` does not end in .npy, GeneratorError when
    the run folder has no generator or config.
    """
    if not 1 <= n <= 100_000:
        raise ValueError(f"--n must be in 1..100000, got {n}")
    out = Path(out)
    if out.suffix != ".npy":
        raise ValueError(f"--out must end in .npy, got {out.name}")
    generator, source = load_generator(run_source(run_dir))
    for note in source.assumptions:
        if on_note is not None:
            on_note(note)
    images = sample_images(generator, source, n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out, images)
    return out
