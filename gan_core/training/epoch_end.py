"""What happens once per epoch, off the hot path: grid, quality, collapse check, saving.

Image encoding and disk writes happen here, never inside the compiled step.
"""

from __future__ import annotations

import math

import numpy as np

from gan_core.config import TrainConfig
from gan_core.data import ImageSet
from gan_core.generators.images import image_grid, png_bytes, to_uint8, upscale
from gan_core.generators.latent import with_class_code
from gan_core.metrics import meter_for, upgrade_quality
from gan_core.store.runs import RunFolder
from gan_core.store.saver import RunSaver
from gan_core.training import health_watch as health
from gan_core.training.loop import epoch_checks
from gan_core.training.snapshot import Board, EpochRecord, HackChange
from gan_core.training.step import GanStep, order_digest

QUALITY_SAMPLES = 256  # per-epoch estimate; the CLI's final report uses more
GRID_SCALE = 2  # 28-pixel digits stay crisp on a projector


def fixed_latent(n: int, dim: int, seed: int, classes: int = 0) -> dict:
    """The same 'individuals' every epoch, in both latent distributions.

    The uniform points are the Gaussian ones pushed through the normal CDF, so switching
    the distribution keeps each grid cell's identity as far as possible. A conditional
    generator's cells ask for the classes in turn (0, 1, ..., 9, 0, ...).
    """
    gauss = np.random.default_rng(seed + 7919).standard_normal((n, dim)).astype(np.float32)
    erf = np.vectorize(math.erf)
    uniform = erf(gauss / math.sqrt(2.0)).astype(np.float32)
    return {"gaussian": with_class_code(gauss, classes), "uniform": with_class_code(uniform, classes)}


class EpochEnd:
    """The work at each epoch's end for one trainer: the fixed-latent grid (grid_size² cells,
    upscaled 2x, PNG), the quality meter on 256 fixed samples, the collapse check against the
    real images' diversity, and a checkpoint through the saver. Made once per run, on the
    trainer thread; with run.quality_every_epoch, building it trains or loads the data set's
    judge, so the first epoch's end does not pay for it.
    """

    def __init__(self, cfg: TrainConfig, step: GanStep, data: ImageSet, saver: RunSaver | None, board: Board):
        self.cfg = cfg
        self.step = step
        self.saver = saver
        self.board = board
        n_grid = cfg.run.grid_size**2
        self.grid_z = fixed_latent(n_grid, cfg.model.latent_dim, cfg.run.seed, step.classes)
        self.quality_z = fixed_latent(QUALITY_SAMPLES, cfg.model.latent_dim, cfg.run.seed + 1, step.classes)
        # A random real subset: the embedded digits are sorted by class.
        self.real_diversity = health.real_diversity(data.images, cfg.run.seed)
        self.health = health.HealthWatch()
        self.measure_quality = cfg.run.quality_every_epoch
        # Train or load the data set's judge now, so the first epoch's end does not pay for it.
        self.meter = meter_for(data) if self.measure_quality else None

    def samples(self, z_sets: dict, live: TrainConfig) -> np.ndarray:
        """uint8 images (N, H, W, C) the generator draws now for the fixed points of the live
        latent distribution (`z_sets` as fixed_latent returns it).
        """
        z = z_sets[live.hacks.latent_distribution]
        return to_uint8(self.step.generate(z), self.cfg.model.tanh_output)

    def finish_epoch(self, counters: dict, live: TrainConfig, healthy: bool = True) -> EpochRecord:
        """Grid, quality, collapse check and (when `healthy` and saving) a checkpoint for
        the epoch just done; reshuffles the data for the next one."""
        order = order_digest(self.step.order.numpy())
        self.step.new_epoch()
        epoch = counters["epoch"]
        grid_images = self.samples(self.grid_z, live)
        picture = upscale(image_grid(grid_images, cols=self.cfg.run.grid_size), GRID_SCALE)
        png = png_bytes(picture)
        quality = None
        if self.meter is not None:
            quality = self.meter.report(self.samples(self.quality_z, live)).to_dict()
        epoch_checks(self.board, self.health, grid_images, self.real_diversity, counters["step"], epoch, quality)
        record = EpochRecord(
            epoch=epoch, step=counters["step"], seconds=counters["elapsed"], grid_png=png, quality=quality
        )
        self.board.add_epoch(record)
        if self.saver is not None and healthy:
            self.saver.save(counters, live, record, order)
        return record


def reload_epochs(run: RunFolder, board: Board, up_to_epoch: int) -> None:
    """Put a resumed run's earlier grids and quality back on the board."""
    for row in run.read_jsonl("epochs.jsonl"):
        if row["epoch"] > up_to_epoch or not run.grid_path(row["epoch"]).exists():
            continue
        board.add_epoch(
            EpochRecord(
                epoch=row["epoch"],
                step=row["step"],
                seconds=row["seconds"],
                grid_png=run.grid_path(row["epoch"]).read_bytes(),
                quality=upgrade_quality(row.get("quality")),
            )
        )
    for row in run.read_jsonl("changes.jsonl"):
        board.add_change(HackChange(row["step"], row["key"], row["old"], row["new"], row["label"]))
