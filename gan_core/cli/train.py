"""The `train` command: a progress bar, a line per epoch, a final quality report."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from gan_core.config.paths import default_runs_dir
from gan_core.config.presets import preset
from gan_core.config.tree import TrainConfig
from gan_core.store.runs import RunError, RunFolder, load_run_data, new_run_id


def config_from_args(args) -> TrainConfig:
    """The TrainConfig the `train` flags ask for, validated: the preset (or, with --resume, the
    run's own config.json), then the --set lines, --data, --epochs or --max-seconds (each
    sets the other budget to 0), --precision and --seed.

    Raises ConfigError for a bad key or value, RunError for a --resume folder without a
    config.json, ValueError when no budget is left (neither epochs nor seconds).
    """
    cfg = RunFolder.open(args.resume).config() if args.resume else preset(args.preset)
    cfg = cfg.with_overrides(args.overrides)
    if args.data:
        cfg = cfg.with_value("data.source", args.data)
    if args.epochs is not None:
        cfg = cfg.with_overrides([f"run.epochs={args.epochs:d}", "run.max_seconds=0"])
    if args.max_seconds is not None:
        cfg = cfg.with_overrides([f"run.max_seconds={args.max_seconds}", "run.epochs=0"])
    if args.precision:
        cfg = cfg.with_value("run.precision", args.precision)
    if args.seed is not None:
        cfg = cfg.with_value("run.seed", args.seed)
    cfg = cfg.validated()
    if not cfg.run.epochs and not cfg.run.max_seconds:
        raise ValueError("give a budget: --epochs N or --max-seconds S")
    return cfg


def epoch_line(record, snap) -> str:
    """One stderr line for a finished epoch: epoch, step, training seconds so far, steps per
    second, the latest D losses (real, fake), G loss and D accuracies (real/fake, 0..1), and
    the quality meter's summary when the epoch was measured.
    """
    s = snap.series
    last = {k: v[-1] for k, v in s.items() if v}
    text = (
        f"epoch {record.epoch:3d} | step {record.step:5d} | {record.seconds:6.1f} s | "
        f"{snap.steps_per_s:5.1f} steps/s | D real {last.get('d_loss_real', 0):.3f} "
        f"fake {last.get('d_loss_fake', 0):.3f} | G {last.get('g_loss', 0):.3f} | "
        f"D acc {last.get('d_acc_real', 0):.2f}/{last.get('d_acc_fake', 0):.2f}"
    )
    if record.quality:
        from gan_core.metrics import summary

        text += f" | {summary(record.quality)}"
    return text


def _bar(progress: float, width: int = 30) -> str:
    filled = int(round(progress * width))
    return "[" + "#" * filled + "." * (width - filled) + f"] {progress:4.0%}"


def run_train(args) -> int:
    """The `train` command: load the data, make (or reopen) the run folder, train (here, or as
    a Ray actor with `--backend ray`) with a progress bar and a line per epoch on stderr, then
    write final_quality.json from `--final-samples` samples. Ctrl-C stops with a final checkpoint.

    Returns the exit code: 0, or 1 when training failed. Bad input is raised before any
    folder is made (ConfigError, DataError, RunError, ValueError, OSError, a Ray cluster that
    does not answer among them: the caller prints one line and exits 2).
    """
    from gan_core.data import fit_config_to_data, load_images
    from gan_core.nets.precision import precision_words
    from gan_core.run.trainer import Trainer

    cfg = config_from_args(args)
    out = Path(args.resume) if args.resume else Path(args.out or default_runs_dir() / new_run_id(args.preset))
    # Fail here, before a folder is created: the data, a taken folder, a folder that cannot be made.
    data = load_run_data(out, cfg.data.source) if args.resume else load_images(cfg.data.source)
    cfg, batch_note = fit_config_to_data(cfg, len(data), f"'{data.name}'")  # below the floor: one line, exit 2
    trainer = _make_trainer(args, cfg, out, data)  # a bad Ray address: one line, before any folder
    resumed_epoch = 0  # epochs finished before a resume: their lines were printed then
    if args.resume:
        state = RunFolder.open(out).state()
        if state is None:
            raise RunError(f"{out} has no checkpoint to resume from")
        resumed_epoch = int(state.get("epoch", 0) or 0)
    else:
        if (out / "config.json").exists():
            raise ValueError(f"{out} already holds a run: use --resume {out} or another --out")
        _check_writable(out)
    tty = sys.stderr.isatty()
    # A Ray actor decides "auto" on its own machine: name the precision only for a run here.
    where = f" in {precision_words(cfg.run.precision)}" if isinstance(trainer, Trainer) else ""
    print(f"training {cfg.data.source} ({len(data)} images {data.shape}) into {out}{where}", file=sys.stderr)
    for note in (data.summary if data.skipped else "", batch_note):
        if note:
            print(f"note: {note}", file=sys.stderr)
    shown = {"epochs": 0, "warnings": 0, "after_epoch": resumed_epoch}
    trainer.start()
    try:
        while trainer.is_active():
            _report(trainer, tty, shown)
            time.sleep(0.5)
    except KeyboardInterrupt:
        trainer.stop()
        trainer.join()
    _report(trainer, tty, shown)
    snap = trainer.snapshot()
    if tty:
        print(file=sys.stderr)
    print(snap.message, file=sys.stderr)
    if snap.state == "failed":
        return 1
    if args.final_samples and snap.epochs is not None:
        _final_quality(out, cfg, data, args.final_samples)
    return 0


def _make_trainer(args, cfg: TrainConfig, out: Path, data):
    """The run's trainer: a thread here, or with `--backend ray` (default when
    GAN_LAB_RAY_ADDRESS is set) an actor on that Ray cluster, a fresh local one when unset.
    Raises ConfigError / ConnectionError (one line) for a bad address or no cluster."""
    address = os.environ.get("GAN_LAB_RAY_ADDRESS", "").strip()
    if (args.backend or ("ray" if address else "threads")) == "ray":
        from gan_core.jobs.ray_backend import RayTrainer
        from gan_core.jobs.ray_cluster import connect, copy_always

        copy_always()  # a bad GAN_LAB_RAY_COPY_RUNS is one line before any Ray starts
        connect(address or "local")
        return RayTrainer(cfg, run_dir=out, resume=bool(args.resume), data=data)
    from gan_core.run.trainer import Trainer

    return Trainer(cfg, run_dir=out, resume=bool(args.resume), data=data)


def _check_writable(out: Path) -> None:
    """OSError (one line, exit 2) when the run folder cannot be made, before any training."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OSError(f"cannot create the run folder {out}: {e.strerror or e}") from None


def _report(trainer, tty: bool, shown: dict) -> None:
    """Print new epoch lines and new warnings (each once; `shown` holds how many of each were)
    and the bar."""
    snap = trainer.snapshot()
    for record in snap.epochs[shown["epochs"] :]:
        if record.epoch <= shown.get("after_epoch", 0):
            continue  # restored with the run on --resume, printed by the run that trained it
        if tty:
            print("\r" + " " * 100 + "\r", end="", file=sys.stderr)
        print(epoch_line(record, snap), file=sys.stderr)
    shown["epochs"] = len(snap.epochs)
    for warning in snap.warnings[shown["warnings"] :]:
        if tty:
            print("\r" + " " * 100 + "\r", end="", file=sys.stderr)
        print(f"warning: {warning}", file=sys.stderr)
    shown["warnings"] = len(snap.warnings)
    if tty:
        print(
            f"\r{_bar(snap.progress)} step {snap.step} {snap.steps_per_s:5.1f} steps/s {snap.message[:40]}",
            end="",
            file=sys.stderr,
            flush=True,
        )


def _final_quality(out: Path, cfg: TrainConfig, data, n: int) -> None:
    from gan_core.generators.sampling import sample_images
    from gan_core.generators.source import load_generator, run_source
    from gan_core.metrics import meter_for

    state = RunFolder(out).state() if (out / "config.json").exists() else None
    if state is None or not (out / "generator.keras").exists():
        return
    generator, source = load_generator(run_source(out))
    report = meter_for(data).report(sample_images(generator, source, n, seed=12345)).to_dict()
    report["seconds"] = state["elapsed"]
    (out / "final_quality.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({"final_quality": report}))
