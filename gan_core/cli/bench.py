"""Timing of the training step alone, on synthetic data shaped like the seed benchmark's."""

from __future__ import annotations

import time

import numpy as np

from gan_core.config.presets import preset


def bench_step(
    preset_name: str, steps: int = 60, warmup: int = 5, batch: int | None = None, precision: str = "fp32"
) -> dict:
    """Steps per second of one preset's compiled train step alone, after `warmup` steps.

    Data: 2,048 random uint8 images (28, 28, 1) with random labels 0..9. Returns
    {"steps_per_s", "batch", "steps", "precision", "preset"}. Raises ValueError when steps or
    warmup is below 1, ConfigError for an unknown preset or a bad batch or precision.
    """
    from gan_core.step.gan_step import GanStep

    if steps < 1 or warmup < 1:
        raise ValueError("--steps and --warmup must be at least 1")
    cfg = preset(preset_name).with_value("run.precision", precision)
    if batch is not None:
        cfg = cfg.with_value("run.batch_size", batch)
    cfg = cfg.validated()
    # Random pixels, as in the seed reference: speed does not depend on what is drawn.
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (2048, 28, 28, 1)).astype(np.uint8)
    step = GanStep(cfg, images, labels=rng.integers(0, 10, 2048))
    for _ in range(warmup):
        last = step.step()
    np.asarray(last)
    t0 = time.perf_counter()
    for _ in range(steps):
        last = step.step()
    np.asarray(last)
    seconds = time.perf_counter() - t0
    return {
        "steps_per_s": steps / seconds,
        "batch": cfg.run.batch_size,
        "steps": steps,
        "precision": precision,
        "preset": preset_name,
    }
