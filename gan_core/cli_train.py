"""The `train` command: a progress bar, a line per epoch, a final quality report."""
from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

from .config import TrainConfig
from .presets import preset
from .runs import RunFolder, default_runs_dir, new_run_id


def config_from_args(args) -> TrainConfig:
    cfg = RunFolder.open(args.resume).config() if args.resume else preset(args.preset)
    cfg = cfg.with_overrides(args.overrides)
    if args.data:
        cfg = cfg.with_value("data.source", args.data)
    if args.epochs is not None:
        cfg = cfg.with_overrides(["run.epochs=%d" % args.epochs, "run.max_seconds=0"])
    if args.max_seconds is not None:
        cfg = cfg.with_overrides(["run.max_seconds=%s" % args.max_seconds, "run.epochs=0"])
    if args.precision:
        cfg = cfg.with_value("run.precision", args.precision)
    if args.seed is not None:
        cfg = cfg.with_value("run.seed", args.seed)
    cfg = cfg.validated()
    if not cfg.run.epochs and not cfg.run.max_seconds:
        raise ValueError("give a budget: --epochs N or --max-seconds S")
    return cfg


def epoch_line(record, snap) -> str:
    s = snap.series
    last = {k: v[-1] for k, v in s.items() if v}
    text = (f"epoch {record.epoch:3d} | step {record.step:5d} | {record.seconds:6.1f} s | "
            f"{snap.steps_per_s:5.1f} steps/s | D real {last.get('d_loss_real', 0):.3f} "
            f"fake {last.get('d_loss_fake', 0):.3f} | G {last.get('g_loss', 0):.3f} | "
            f"D acc {last.get('d_acc_real', 0):.2f}/{last.get('d_acc_fake', 0):.2f}")
    if record.quality:
        q = record.quality
        text += f" | digits {q['recognized_share']:.0%}, {q['classes_present']} classes, FID {q['fid']:.1f}"
    return text


def _bar(progress: float, width: int = 30) -> str:
    filled = int(round(progress * width))
    return "[" + "#" * filled + "." * (width - filled) + f"] {progress:4.0%}"


def run_train(args) -> int:
    from .data import load_images
    from .trainer import Trainer

    cfg = config_from_args(args)
    data = load_images(cfg.data.source)          # fail here, before a folder is created
    out = Path(args.resume) if args.resume else Path(args.out or default_runs_dir() / new_run_id(args.preset))
    if not args.resume and (out / "config.json").exists():
        raise ValueError(f"{out} already holds a run: use --resume {out} or another --out")
    lines: list = []
    warned = [0]          # how many of the run's warnings are printed
    done = threading.Event()

    def on_event(kind, payload):
        if kind == "epoch":
            lines.append(payload)
        if kind in ("finished", "stopped", "failed"):
            done.set()

    trainer = Trainer(cfg, run_dir=out, resume=bool(args.resume), data=data, on_event=on_event)
    tty = sys.stderr.isatty()
    print(f"training {cfg.data.source} ({len(data)} images {data.shape}) into {out}", file=sys.stderr)
    trainer.start()
    try:
        while not done.wait(0.5):
            _report(trainer, lines, tty, warned)
    except KeyboardInterrupt:
        trainer.stop()
        trainer.join()
    _report(trainer, lines, tty, warned)
    snap = trainer.snapshot()
    if tty:
        print(file=sys.stderr)
    print(snap.message, file=sys.stderr)
    if snap.state == "failed":
        return 1
    if args.final_samples and snap.epochs is not None:
        _final_quality(out, cfg, data, args.final_samples)
    return 0


def _report(trainer, lines: list, tty: bool, warned: list) -> None:
    snap = trainer.snapshot()
    for text in snap.warnings[warned[0]:]:
        if tty:
            print("\r" + " " * 100 + "\r", end="", file=sys.stderr)
        print(f"warning: {text}", file=sys.stderr)
    warned[0] = len(snap.warnings)
    while lines:
        record = lines.pop(0)
        if tty:
            print("\r" + " " * 100 + "\r", end="", file=sys.stderr)
        print(epoch_line(record, snap), file=sys.stderr)
    if tty:
        print(f"\r{_bar(snap.progress)} step {snap.step} {snap.steps_per_s:5.1f} steps/s {snap.message[:40]}",
              end="", file=sys.stderr, flush=True)


def _final_quality(out: Path, cfg: TrainConfig, data, n: int) -> None:
    from .metrics import is_digit_dataset, quality_report
    from .generator_source import load_generator, run_source
    from .sampling import sample_images
    if not is_digit_dataset(data.shape) or not (out / "generator.keras").exists():
        return
    generator, source = load_generator(run_source(out))
    report = quality_report(sample_images(generator, source, n, seed=12345)).to_dict()
    report["seconds"] = json.loads((out / "state.json").read_text())["elapsed"]
    (out / "final_quality.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({"final_quality": report}))
