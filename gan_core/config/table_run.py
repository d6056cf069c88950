"""The settings table's entries for the data and the run: its data set, batch, budget, seed,
precision, grid and schedule. All apply at the next start.

A browser never names the data set (the Dataset select or an upload does), and every run a
browser starts has a finite time budget: `max_seconds` has no 0 ("no limit") for a browser,
and the server's own cap (gan_core.config.browser) may be lower still.
"""

from __future__ import annotations

from gan_core.config.setting import Choice, Flag, Interval, Setting, Text

PRECISIONS = ("auto", "fp32", "bf16", "fp16")
# Run budgets a browser may ask for at most; the server's cap (GAN_LAB_MAX_RUN_SECONDS, set
# by the teacher) can only lower it.
BROWSER_MAX_SECONDS = 3600.0

RUN = (
    Setting(
        "data.source",
        Text("a data set or a path"),
        "gan_core.data.registry:load_images",
        group="data",
    ),
    Setting(
        "run.batch_size",
        Interval(2, 1024, whole=True, even=True, words="a positive even number up to 1024"),
        "gan_core.step.stream:RealStream.new_epoch",
        group="run",
        label="Batch size",
        kind="number",
        page=(2, 256, 2),
        help="Images per step: each D update sees half a batch (real, fake or mixed), G's update a whole "
        "batch of fakes. Must be even.",
        browser=Interval(2, 256, whole=True, even=True, words="a positive even number up to 256"),
    ),
    Setting(
        "run.max_seconds",
        Interval(0.0, 1e9, low_open=True, off=0.0, off_words="no limit", words="0 (no limit) or positive"),
        "gan_core.run.loop:budget_progress",
        group="run",
        label="Training time (s)",
        kind="number",
        page=(0, 3600, 10),
        help="Seconds of training before it stops by itself; 0 takes the class's limit "
        "(10 minutes unless the teacher set another).",
        browser=Interval(1.0, BROWSER_MAX_SECONDS, words=f"in [1, {BROWSER_MAX_SECONDS:g}] seconds"),
    ),
    Setting(
        "run.epochs",
        Interval(1, 1e9, whole=True, off=0, off_words="no limit", words="0 (no limit) or positive"),
        "gan_core.run.loop:budget_progress",
        browser=Interval(0, 1000, whole=True),
    ),
    Setting(
        "run.seed",
        Interval(0, 2**31 - 1, whole=True),
        "gan_core.nets.models:LayerBuilder.seed",
        browser=Interval(0, 2**31 - 1, whole=True),
    ),
    Setting(
        "run.precision",
        Choice(PRECISIONS),
        "gan_core.nets.precision:resolve_precision",
        # bf16 is emulated and ~10x slower on CPUs without native bf16: a browser gets what runs well.
        browser=Choice(("auto", "fp32")),
    ),
    Setting(
        "run.grid_size",
        Interval(1, 16, whole=True),
        "gan_core.run.epoch_end:EpochEnd.grid_png",
        browser=Interval(1, 10, whole=True),
    ),
    Setting("run.quality_every_epoch", Flag(), "gan_core.run.epoch_end:EpochEnd.finish_epoch", browser=Flag()),
    Setting(
        "optimizer.final_lr_fraction",
        Interval(0.0, 1.0, low_open=True),
        "gan_core.run.loop:learning_rate_factor",
        browser=Interval(0.0, 1.0, low_open=True),
    ),
)
