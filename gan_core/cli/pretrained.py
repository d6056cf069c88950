"""`make pretrained`: train the default preset and ship its generator in assets/.

python -m gan_core.cli.pretrained OUT_DIR [--epochs N]
A budget in epochs, not seconds, so the result does not depend on how busy the machine is.
Writes OUT_DIR/generator.keras, config.json and quality.json (what the metrics said).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from gan_core.config.presets import DEFAULT_PRESET


def build(out_dir: Path, epochs: int, preset_name: str = DEFAULT_PRESET) -> dict:
    """Train `preset_name` for `epochs` epochs in a temporary run folder and copy its generator
    and config into `out_dir` with quality.json; returns that quality dict (the final report
    plus preset and epochs). Raises RuntimeError when the training command fails.
    """
    from gan_core.cli.main import main as cli_main

    with tempfile.TemporaryDirectory() as tmp:
        run = Path(tmp) / "run"
        code = cli_main(["train", "--preset", preset_name, "--epochs", str(epochs), "--out", str(run)])
        if code != 0:
            raise RuntimeError(f"training for the pretrained generator failed (exit {code})")
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.copy(run / "generator.keras", out_dir / "generator.keras")
        shutil.copy(run / "config.json", out_dir / "config.json")
        quality = json.loads((run / "final_quality.json").read_text())
        quality.update(preset=preset_name, epochs=epochs)
        (out_dir / "quality.json").write_text(json.dumps(quality, indent=2))
        return quality


def main(argv=None) -> int:
    """`python -m gan_core.cli.pretrained OUT_DIR [--epochs N] [--preset NAME]`; returns exit code 0."""
    ap = argparse.ArgumentParser(prog="python -m gan_core.cli.pretrained")
    ap.add_argument("out_dir")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--preset", default=DEFAULT_PRESET)
    a = ap.parse_args(argv)
    quality = build(Path(a.out_dir), a.epochs, a.preset)
    from gan_core.metrics import summary

    print(f"pretrained generator in {a.out_dir}: {summary(quality)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
