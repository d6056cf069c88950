"""A training run on disk: runs/<id>/ with config, metrics, grids, models, and resume state.

Layout:
  config.json            the TrainConfig the run started with (live changes are in metrics)
  metrics.jsonl          one JSON object per step: step, epoch, the five metrics, hack values
  epochs.jsonl           one JSON object per epoch: epoch, step, seconds, quality figures
  grid_epoch_NNNN.png    the fixed-latent grid after each epoch
  generator.keras        rewritten atomically after each epoch (so always the latest)
  discriminator.keras
  state.json             epoch, step, elapsed seconds, current live hacks (for resume)
  optimizers.npz         both optimizers' variables (for resume)
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np

from .config import ConfigError, TrainConfig
from .fileio import atomic_write_bytes, atomic_write_text, atomic_write_with


class RunError(ValueError):
    """A run folder cannot be used; one line a user can act on."""


def default_runs_dir() -> Path:
    return Path(os.environ.get("GAN_LAB_RUNS", "runs"))


def new_run_id(preset_name: str = "run") -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{preset_name}-{os.getpid() % 10000:04d}{int(time.time() * 1000) % 1000:03d}"


class RunFolder:
    def __init__(self, path):
        self.path = Path(path)

    # -- creation and loading ----------------------------------------------------
    @classmethod
    def create(cls, path, cfg: TrainConfig) -> "RunFolder":
        path = Path(path)
        if (path / "config.json").exists():
            raise RunError(f"run folder {path} already holds a run: resume it or choose another --out")
        path.mkdir(parents=True, exist_ok=True)
        run = cls(path)
        atomic_write_text(path / "config.json", cfg.to_json())
        return run

    @classmethod
    def open(cls, path) -> "RunFolder":
        path = Path(path)
        if not (path / "config.json").is_file():
            raise RunError(f"{path} is not a run folder (no config.json)")
        return cls(path)

    def config(self) -> TrainConfig:
        try:
            return TrainConfig.from_json((self.path / "config.json").read_text()).validated()
        except (OSError, ConfigError) as e:
            raise RunError(f"{self.path}/config.json cannot be read: {e}") from None

    # -- per-epoch writes --------------------------------------------------------
    def append_jsonl(self, name: str, rows: list[dict]) -> None:
        if not rows:
            return
        with open(self.path / name, "a", encoding="utf-8") as fh:
            fh.write("".join(json.dumps(r) + "\n" for r in rows))

    def read_jsonl(self, name: str) -> list[dict]:
        path = self.path / name
        if not path.exists():
            return []
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                break   # a torn last line from a crash: keep what came before
        return rows

    def grid_path(self, epoch: int) -> Path:
        return self.path / f"grid_epoch_{epoch:04d}.png"

    def save_grid_png(self, epoch: int, png: bytes) -> None:
        atomic_write_bytes(self.grid_path(epoch), png)

    def grid_paths(self) -> list[Path]:
        return sorted(self.path.glob("grid_epoch_*.png"))

    def save_models(self, generator, discriminator) -> None:
        atomic_write_with(self.path / "generator.keras", generator.save, suffix=".keras")
        atomic_write_with(self.path / "discriminator.keras", discriminator.save, suffix=".keras")

    def save_state(self, state: dict, d_optimizer, g_optimizer) -> None:
        arrays = {f"d_{i}": np.asarray(v) for i, v in enumerate(d_optimizer.variables)}
        arrays.update({f"g_{i}": np.asarray(v) for i, v in enumerate(g_optimizer.variables)})
        atomic_write_with(self.path / "optimizers.npz", lambda tmp: np.savez(tmp, **arrays), suffix=".npz")
        atomic_write_text(self.path / "state.json", json.dumps(state, indent=2))

    # -- resume ------------------------------------------------------------------
    def state(self) -> dict | None:
        path = self.path / "state.json"
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            raise RunError(f"{path} is damaged: the run cannot be resumed") from None

    def restore(self, step) -> dict:
        """Load weights and optimizer state into a GanStep; returns the saved state."""
        import keras

        from . import narrow_conv  # noqa: F401  registers the layer our models are saved with
        state = self.state()
        if state is None:
            raise RunError(f"{self.path} has no finished epoch to resume from")
        try:
            for name, model in (("generator", step.generator), ("discriminator", step.discriminator)):
                saved = keras.models.load_model(self.path / f"{name}.keras", compile=False, safe_mode=True)
                model.set_weights(saved.get_weights())
            with np.load(self.path / "optimizers.npz") as arrays:
                for prefix, opt in (("d", step.d_optimizer), ("g", step.g_optimizer)):
                    for i, var in enumerate(opt.variables):
                        var.assign(arrays[f"{prefix}_{i}"])
        except (OSError, ValueError, KeyError) as e:
            raise RunError(f"{self.path} cannot be resumed: {str(e).splitlines()[0]}") from None
        return state
