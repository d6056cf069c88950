"""Sampling a saved run's generator (for `sample`, final reports and the pretrained asset)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .generator_source import GeneratorSource, generate, load_generator, run_source

_CHUNK = 256


def sample_images(generator, source: GeneratorSource, n: int, seed: int = 0) -> np.ndarray:
    """n uint8 images from the generator's prior; a conditional one draws every class equally often."""
    return generate(generator, source.latent(seed, n), source.pixel_range, chunk=_CHUNK)


def sample_run(run_dir, n: int, out, seed: int = 0, on_note=None) -> Path:
    """Save n uint8 images (N, H, W, C) from a run's generator to `out` (.npy); `on_note(text)`
    gets each one-line note on how the generator was read (its measured output range)."""
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
