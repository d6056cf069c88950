"""Sampling a saved run's generator (for `sample`, final reports and the pretrained asset)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .config import TrainConfig
from .images import to_uint8
from .generator_source import load_generator, run_source
from .latent import sample_latent
from .conditional import classes_of


def load_run_generator(run_dir):
    """(model, config) of a run's latest generator, checked to be a generator."""
    model, source = load_generator(run_source(run_dir))
    return model, source.config


def sample_images(generator, cfg: TrainConfig, n: int, seed: int = 0, chunk: int = 256) -> np.ndarray:
    """n images from the generator's prior; a conditional one draws every class equally often."""
    z = sample_latent(seed, n, cfg.model.latent_dim, cfg.hacks.latent_distribution, classes_of(generator))
    parts = [np.asarray(generator(z[i:i + chunk], training=False), dtype=np.float32)
             for i in range(0, n, chunk)]
    return to_uint8(np.concatenate(parts), cfg.model.tanh_output)


def sample_run(run_dir, n: int, out, seed: int = 0) -> Path:
    if not 1 <= n <= 100_000:
        raise ValueError(f"--n must be in 1..100000, got {n}")
    out = Path(out)
    if out.suffix != ".npy":
        raise ValueError(f"--out must end in .npy, got {out.name}")
    generator, cfg = load_run_generator(run_dir)
    images = sample_images(generator, cfg, n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out, images)
    return out
