"""What happens once per epoch, off the hot path: grid, quality, collapse check, saving.

Image encoding and disk writes happen here, never inside the compiled step.
"""
from __future__ import annotations

import math
from typing import Optional

import numpy as np

from . import health
from .config import TrainConfig
from .data import ImageSet
from .live_hacks import live_values
from .images import image_grid, png_bytes, to_uint8, upscale
from .latent import with_class_code
from .runs import RunFolder
from .snapshot import Board, EpochRecord, HackChange
from .train_step import METRIC_NAMES, GanStep
from .training_loop import epoch_checks

QUALITY_SAMPLES = 256     # per-epoch estimate; the CLI's final report uses more
GRID_SCALE = 2            # 28-pixel digits stay crisp on a projector


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
    def __init__(self, cfg: TrainConfig, step: GanStep, data: ImageSet, run: Optional[RunFolder], board: Board):
        self.cfg = cfg
        self.step = step
        self.run = run
        self.board = board
        n_grid = cfg.run.grid_size ** 2
        self.grid_z = fixed_latent(n_grid, cfg.model.latent_dim, cfg.run.seed, step.classes)
        self.quality_z = fixed_latent(QUALITY_SAMPLES, cfg.model.latent_dim, cfg.run.seed + 1, step.classes)
        self.real_diversity = health.real_diversity(data.images, cfg.run.seed)
        self.health = health.HealthWatch()
        self._events_written = len(board.get("health_events", ()))
        self.measure_quality = cfg.run.quality_every_epoch and _is_digits(data.shape)
        # A resumed run starts with its saved rows on the board: they are on disk already.
        self._rows_written = len(board.series_since(0)[METRIC_NAMES[0]])
        if self.measure_quality:
            # Train or load the judge now, so the first epoch's end does not pay for it.
            from .metrics import get_classifier
            get_classifier()

    def samples(self, z_sets: dict, live: TrainConfig) -> np.ndarray:
        z = z_sets[live.hacks.latent_distribution]
        return to_uint8(self.step.generate(z), self.cfg.model.tanh_output)

    def finish_epoch(self, counters: dict, live: TrainConfig) -> EpochRecord:
        self.step.new_epoch()
        epoch = counters["epoch"]
        grid_images = self.samples(self.grid_z, live)
        picture = upscale(image_grid(grid_images, cols=self.cfg.run.grid_size), GRID_SCALE)
        png = png_bytes(picture)
        quality = None
        if self.measure_quality:
            from .metrics import quality_report
            quality = quality_report(self.samples(self.quality_z, live)).to_dict()
        epoch_checks(self.board, self.health, grid_images, self.real_diversity, counters["step"], epoch, quality)
        record = EpochRecord(epoch=epoch, step=counters["step"], seconds=counters["elapsed"],
                             grid_png=png, quality=quality)
        self.board.add_epoch(record)
        if self.run is not None:
            self._save(record, counters, live)
        return record

    def _save(self, record: EpochRecord, counters: dict, live: TrainConfig) -> None:
        run = self.run
        run.save_grid_png(record.epoch, record.grid_png)
        new = self.board.series_since(self._rows_written)
        n = self._rows_written + len(new[METRIC_NAMES[0]])
        first_step = counters["step"] - n + 1
        rows = [{"step": first_step + self._rows_written + i, **{name: new[name][i] for name in METRIC_NAMES}}
                for i in range(n - self._rows_written)]
        self._rows_written = n
        run.append_jsonl("metrics.jsonl", rows)
        run.append_jsonl("changes.jsonl", [{"step": c.step, "key": c.key, "old": _plain(c.old),
                                            "new": _plain(c.new), "label": c.label}
                                           for c in self.board.changes() if c.step > counters.get("saved_step", -1)])
        run.append_jsonl("epochs.jsonl", [{"epoch": record.epoch, "step": record.step,
                                           "seconds": round(record.seconds, 3), "quality": record.quality}])
        events = tuple(self.board.get("health_events", ()))
        run.append_jsonl("health.jsonl", list(events[self._events_written:]))
        self._events_written = len(events)
        run.save_models(self.step.generator, self.step.discriminator)
        hacks = {k: _plain(v) for k, v in live_values(live).items()}
        run.save_state({"epoch": record.epoch, "step": counters["step"], "elapsed": counters["elapsed"],
                        "hacks": hacks}, self.step.d_optimizer, self.step.g_optimizer)
        counters["saved_step"] = counters["step"]


def reload_epochs(run: RunFolder, board: Board, up_to_epoch: int) -> None:
    """Put a resumed run's earlier grids and quality back on the board."""
    for row in run.read_jsonl("epochs.jsonl"):
        if row["epoch"] > up_to_epoch or not run.grid_path(row["epoch"]).exists():
            continue
        board.add_epoch(EpochRecord(epoch=row["epoch"], step=row["step"], seconds=row["seconds"],
                                    grid_png=run.grid_path(row["epoch"]).read_bytes(), quality=row.get("quality")))
    for row in run.read_jsonl("changes.jsonl"):
        board.add_change(HackChange(row["step"], row["key"], row["old"], row["new"], row["label"]))


def _plain(value):
    """JSON-friendly value (tuples become lists)."""
    return list(value) if isinstance(value, tuple) else value


def _is_digits(shape) -> bool:
    from .metrics import is_digit_dataset
    return is_digit_dataset(shape)

