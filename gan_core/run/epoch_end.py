"""What happens once per epoch, off the hot path: grid, quality, collapse check, saving.

Image encoding and disk writes happen here, never inside the compiled step. During the
first epoch an early grid (`EpochEnd.early_grid`) is drawn from the same fixed latent
points after half a second of training and every few seconds after, so a new run shows
a picture long before its first epoch ends; the history keeps one grid per epoch.
"""

from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from gan_core.config.tree import TrainConfig
from gan_core.data import ImageSet
from gan_core.generators.images import image_grid, png_bytes, to_uint8, upscale
from gan_core.generators.latent import with_class_code
from gan_core.metrics import meter_for, upgrade_quality
from gan_core.run import health_watch as health
from gan_core.run.checks import epoch_checks
from gan_core.run.saver import RunSaver
from gan_core.run.snapshot import Board, EpochRecord, HackChange
from gan_core.step.gan_step import METRIC_NAMES, GanStep, order_digest
from gan_core.store import checkpoint
from gan_core.store.branch import BranchPoint, history_rows
from gan_core.store.runs import RunError, RunFolder

QUALITY_SAMPLES = 256  # per-epoch estimate; the CLI's final report uses more
GRID_SCALE = 2  # 28-pixel digits stay crisp on a projector
# Training seconds (the one-off trace excluded) before the first early grid, and between
# early grids until the first epoch ends: G has moved from its start by then, and a grid
# (64 samples and a PNG, ~50 ms on two cores) every 2 s costs the first epoch ~3%.
EARLY_GRID_SECONDS = 0.5
EARLY_GRID_EVERY = 2.0


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
    trainer thread; with run.quality_every_epoch it starts training or loading the data
    set's judge on a helper thread, so neither the first steps nor (mostly) the first
    epoch's end wait for it.
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
        # The judge (trained on a cold cache: 10-25 s on two cores) loads beside the trace and
        # the first steps instead of before them: the early grid needs no judge.
        self._meter: Future | None = None
        if self.measure_quality:
            helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quality-judge")
            self._meter = helper.submit(meter_for, data)
            helper.shutdown(wait=False)
        self._next_early = EARLY_GRID_SECONDS

    @property
    def meter(self):
        """The quality meter (waits for its loading to end), or None without run.quality_every_epoch.
        Re-raises what loading raised (DataError when the judge's data set cannot be loaded)."""
        return self._meter.result() if self._meter is not None else None

    def samples(self, z_sets: dict, live: TrainConfig) -> np.ndarray:
        """uint8 images (N, H, W, C) the generator draws now for the fixed points of the live
        latent distribution (`z_sets` as fixed_latent returns it).
        """
        z = z_sets[live.hacks.latent_distribution]
        return to_uint8(self.step.generate(z), self.cfg.model.tanh_output)

    def grid_png(self, live: TrainConfig) -> tuple[np.ndarray, bytes]:
        """(uint8 samples (grid_size², H, W, C), the grid upscaled GRID_SCALE times as PNG
        bytes) that the generator draws now for the fixed grid points."""
        grid_images = self.samples(self.grid_z, live)
        picture = upscale(image_grid(grid_images, cols=self.cfg.run.grid_size), GRID_SCALE)
        return grid_images, png_bytes(picture)

    def early_grid(self, counters: dict, live: TrainConfig) -> bool:
        """Before the first epoch's end only: once `counters["elapsed"]` training seconds
        reach EARLY_GRID_SECONDS, then every EARLY_GRID_EVERY, draw the grid and publish it
        as the board's `preview` (epoch 0, at `counters["step"]`). Not an epoch: not in
        the history, not saved. True when it drew one."""
        if counters["epoch"] > 0 or counters["elapsed"] < self._next_early:
            return False
        _, png = self.grid_png(live)
        record = EpochRecord(epoch=0, step=counters["step"], seconds=counters["elapsed"], grid_png=png, quality=None)
        self.board.update(preview=record, preview_step=counters["step"])
        self._next_early = counters["elapsed"] + EARLY_GRID_EVERY
        return True

    def finish_epoch(self, counters: dict, live: TrainConfig, healthy: bool = True) -> EpochRecord:
        """Grid, quality, collapse check and (when `healthy` and saving) a checkpoint for
        the epoch just done; reshuffles the data for the next one."""
        order = order_digest(self.step.order.numpy())
        self.step.new_epoch()
        epoch = counters["epoch"]
        grid_images, png = self.grid_png(live)
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


def restore_point(point: BranchPoint, step: GanStep, board: Board) -> None:
    """Load a branch point's checkpoint into `step` and put the history up to it on `board`
    (per-step rows, epochs with their grids, change markers, `branch`, step, epoch, seconds).
    RunError (one line) when the checkpoint does not fit the step."""
    try:
        checkpoint.restore_checkpoint(point.checkpoint, step)
    except checkpoint.CheckpointError as e:
        raise RunError(str(e)) from None
    run = RunFolder(point.run)
    rows = history_rows(run, point)
    if rows["metrics.jsonl"]:
        board.extend_series(
            np.array([[r.get(n, np.nan) for n in METRIC_NAMES] for r in rows["metrics.jsonl"]], dtype=np.float64)
        )
    for row in rows["epochs.jsonl"]:
        grid = run.grid_path(row["epoch"])
        if grid.exists():
            quality = upgrade_quality(row.get("quality"))
            board.add_epoch(EpochRecord(row["epoch"], row["step"], row["seconds"], grid.read_bytes(), quality))
    for row in rows["changes.jsonl"]:
        board.add_change(HackChange(row["step"], row["key"], row["old"], row["new"], row["label"]))
    board.update(
        step=point.step,
        epoch=point.epoch,
        elapsed=point.elapsed,
        branch={"parent": point.parent_id, "epoch": point.epoch, "step": point.step},
    )
