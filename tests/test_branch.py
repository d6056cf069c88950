"""Branching a run from a saved epoch: the folder it writes, the CLI round trip, the trainer
starting from the checkpoint, and Compare's branch beside its parent's continuation."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gan_core.config.branching import SAME_WEIGHTS, check_branch
from gan_core.config.presets import preset
from gan_core.config.tree import ConfigError
from gan_core.data import ImageSet
from gan_core.store import checkpoint
from gan_core.store.branch import (
    branch_epochs,
    branch_point,
    branch_start,
    make_branch,
    start_config,
    with_seconds,
)
from gan_core.store.lineage import LINEAGE_FILE, read_lineage
from gan_core.store.runs import RunError

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

ROOT = Path(__file__).resolve().parents[1]
STEPS_PER_EPOCH = 16  # 512 images, batch 64: 32 real images a step


def jsonl(path):
    return [json.loads(line) for line in Path(path).read_text().splitlines()]


def parent_cfg():
    # An upload (kept in the run as data.npz), so a branch in another process trains on the same 512 images.
    return preset("fast-demo").with_overrides(
        [
            "data.source=uploaded",
            "run.epochs=3",
            "run.max_seconds=0",
            "run.grid_size=2",
            "run.quality_every_epoch=false",
            "run.batch_size=64",
        ]
    )


@pytest.fixture(scope="module")
def parent(tmp_path_factory, small_digits):
    from gan_core.run.trainer import Trainer

    upload = ImageSet(small_digits.images[:512], None, "upload")
    run = tmp_path_factory.mktemp("runs") / "parent-run"
    trainer = Trainer(parent_cfg(), run_dir=run, data=upload)
    trainer.start()
    trainer.join(600)
    assert trainer.snapshot().state == "finished", trainer.snapshot().message
    assert [r["step"] for r in jsonl(run / "epochs.jsonl")] == [16, 32, 48]
    return run


def test_every_epoch_end_keeps_a_checkpoint_to_branch_from(parent):
    assert branch_epochs(parent) == [1, 2, 3]
    assert [c.name for c in checkpoint.checkpoints(parent)] == ["00000016", "00000032", "00000048"]
    point = branch_point(parent, 2)
    assert (point.epoch, point.step, point.parent_id) == (2, 32, "parent-run")
    assert point.elapsed > 0 and point.state["hacks"]["hacks.flip_probability"] == 0.05


def test_cli_branch_round_trip(parent, tmp_path):
    out = tmp_path / "branch"
    done = subprocess.run(
        [sys.executable, "-m", "gan_core", "branch", "--run", str(parent), "--epoch", "2"]
        + ["--set", "hacks.flip_probability=0.2", "--set", "model.dropout=0.5"]
        + ["--out", str(out), "--final-samples", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    assert "branch of parent-run at epoch 2 (step 32)" in done.stderr
    assert "epoch   3 |" in done.stderr and "epoch   2 |" not in done.stderr  # only its own epoch is printed

    cfg = json.loads((out / "config.json").read_text())
    assert cfg["hacks"]["flip_probability"] == 0.2 and cfg["model"]["dropout"] == 0.5
    assert cfg["run"]["epochs"] == 3  # the parent's budget, counted from step 0
    lineage = json.loads((out / LINEAGE_FILE).read_text())
    assert lineage["parent"] == "parent-run" and lineage["epoch"] == 2 and lineage["step"] == 32
    assert lineage["changed"] == {"hacks.flip_probability": 0.2, "model.dropout": 0.5}

    rows, theirs = jsonl(out / "metrics.jsonl"), jsonl(parent / "metrics.jsonl")
    assert [r["step"] for r in rows] == list(range(1, 49))  # the parent's 32, then its own from 33
    assert rows[:32] == theirs[:32]
    assert rows[32] != theirs[32]  # label flips 0.2 from step 33 on
    changes = jsonl(out / "changes.jsonl")
    assert [(c["step"], c["key"], c["old"], c["new"]) for c in changes] == [(32, "hacks.flip_probability", 0.05, 0.2)]
    epochs, parents = jsonl(out / "epochs.jsonl"), jsonl(parent / "epochs.jsonl")
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    assert [e["order"] for e in epochs] == [e["order"] for e in parents]  # the same data order throughout
    # The branch starts from epoch 2's checkpoint itself: its files are the parent's, byte for byte.
    for name in ("generator.keras", "discriminator.keras", "optimizers.npz", "streams.npz"):
        mine = out / "checkpoints" / "00000032" / name
        assert mine.read_bytes() == (parent / "checkpoints" / "00000032" / name).read_bytes()
    assert (out / "grid_epoch_0003.png").exists() and (out / "data.npz").exists()
    state = json.loads((out / "checkpoints" / "00000048" / "state.json").read_text())
    assert state["hacks"]["hacks.flip_probability"] == 0.2 and state["epoch_end"] is True
    assert [c.name for c in checkpoint.checkpoints(parent)] == ["00000016", "00000032", "00000048"]  # untouched


def _cli(argv, capsys):
    from gan_core.cli.main import main

    code = main(argv)
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize(
    "extra, words",
    [
        (["--epoch", "2", "--set", "model.base_filters=32"], "model.base_filters cannot change at a branch"),
        (
            ["--epoch", "2", "--set", "model.batch_norm=false", "--set", "data.source=mnist"],
            "data.source, model.batch_norm cannot change",
        ),
        (["--epoch", "7"], "keeps no checkpoint of epoch 7: branch from epoch 1, 2 or 3"),
        (["--epoch", "3"], "the budget of 3 epochs is spent at epoch 3"),
        (["--epoch", "2", "--max-seconds", "0"], "--max-seconds must be above 0"),
        (["--epoch", "2", "--set", "hacks.flip_probability=2"], "flip_probability"),
        (["--epoch", "2", "--set", "hacks.no_such_hack=1"], "hacks.no_such_hack"),
        (["--epoch", "2", "--set", "hacks.flip_probability"], "key=value"),
        (["--epoch", "two"], "argument --epoch: invalid int value: 'two'"),
        (["--epoch", "2", "--max-seconds", "soon"], "argument --max-seconds: invalid float value"),
        (["--epoch", "2", "--rewind"], "unrecognized arguments: --rewind"),
        ([], "the following arguments are required: --epoch"),
    ],
)
def test_a_branch_the_cli_refuses_is_one_line_and_makes_no_folder(parent, tmp_path, capsys, extra, words):
    before = _files(parent)
    out = tmp_path / "branch"
    code, err = _cli(["branch", "--run", str(parent), *extra, "--out", str(out), "--final-samples", "0"], capsys)
    assert code == 2 and len(err.splitlines()) == 1 and words in err, err
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert _files(parent) == before  # the parent is untouched


def _files(run: Path) -> dict:
    """{path: (size, mtime)} of every file under `run`."""
    return {str(p.relative_to(run)): (p.stat().st_size, p.stat().st_mtime_ns) for p in run.rglob("*") if p.is_file()}


def test_branching_what_is_no_run_or_into_a_full_folder_is_one_line(parent, tmp_path, capsys, monkeypatch):
    code, err = _cli(["branch", "--run", str(tmp_path), "--epoch", "1"], capsys)
    assert code == 2 and "is not a run folder" in err and len(err.splitlines()) == 1
    monkeypatch.setenv("GAN_LAB_RUNS", str(parent.parent))
    code, err = _cli(["branch", "--run", "no-such-run", "--epoch", "1"], capsys)
    assert code == 2 and "no-such-run is not a run folder" in err and len(err.splitlines()) == 1
    assert sorted(p.name for p in parent.parent.iterdir()) == ["parent-run"]
    # A run id in the runs folder names the run as its path does: here, the epoch is refused.
    code, err = _cli(["branch", "--run", "parent-run", "--epoch", "9", "--out", str(tmp_path / "b")], capsys)
    assert code == 2 and "run parent-run keeps no checkpoint of epoch 9" in err
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    code, err = _cli(["branch", "--run", str(parent), "--epoch", "1", "--out", str(full)], capsys)
    assert code == 2 and "already holds files" in err and len(err.splitlines()) == 1
    assert [p.name for p in full.iterdir()] == ["notes.txt"]


def test_the_trainer_starts_a_branch_from_the_epochs_weights_and_marks_it(parent, tmp_path):
    import keras

    from gan_core.run.trainer import Trainer

    point = branch_point(parent, 1)
    cfg = start_config(point).with_value("hacks.flip_probability", 0.3).with_value("run.epochs", 2)
    make_branch(point, cfg, tmp_path / "b")
    seen = {}

    def on_event(kind, payload):
        if kind == "started":  # on the trainer's thread, before its first step
            step = trainer._gan_step
            seen["g"] = [w.copy() for w in step.generator.get_weights()]
            seen["d"] = [w.copy() for w in step.discriminator.get_weights()]
            # Its moments and count; the learning rate is set again from the budget's decay.
            seen["opt"] = {i: np.asarray(v).copy() for i, v in enumerate(step.d_optimizer.variables)}
            seen["opt"] = {
                i: v for i, v in seen["opt"].items() if "learning_rate" not in step.d_optimizer.variables[i].path
            }
            seen["order"], seen["cursor"] = step.order.numpy().copy(), int(step.cursor.numpy())
            seen["rng"] = step.rng.state.numpy().copy()

    trainer = Trainer(cfg, run_dir=tmp_path / "b", resume=True, on_event=on_event)
    trainer.start()
    trainer.join(300)
    snap = trainer.snapshot()
    assert snap.state == "finished", snap.message

    saved = parent / "checkpoints" / "00000016"
    for name, key in (("generator.keras", "g"), ("discriminator.keras", "d")):
        model = keras.models.load_model(saved / name, compile=False)
        assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), seen[key], strict=True))
    with np.load(saved / "optimizers.npz") as opt:
        assert len(seen["opt"]) > 2 and all(np.array_equal(opt[f"d_{i}"], v) for i, v in seen["opt"].items())
    with np.load(saved / "streams.npz") as streams:
        assert np.array_equal(streams["order"], seen["order"]) and int(streams["cursor"]) == seen["cursor"]
        assert np.array_equal(streams["tf_rng_state"], seen["rng"])

    assert snap.branch == {"parent": "parent-run", "epoch": 1, "step": 16}
    assert len(snap.series["g_loss"]) == 32 and [e.epoch for e in snap.epochs] == [1, 2]
    assert [(c.step, c.key, c.new) for c in snap.changes] == [(16, "hacks.flip_probability", 0.3)]


def test_settings_a_branch_may_change_keep_every_weight_the_same_shape(small_digits):
    from gan_core.step.gan_step import GanStep

    def shapes(cfg):
        step = GanStep(cfg, small_digits.images[:128], labels=small_digits.labels[:128])
        parts = (step.generator.weights, step.discriminator.weights, step.d_optimizer.variables)
        return [[tuple(v.shape) for v in part] for part in (*parts, step.g_optimizer.variables)]

    base = preset("fast-demo")
    ref = shapes(base)
    for key in SAME_WEIGHTS:
        section, name = key.split(".")
        now = getattr(getattr(base, section), name)
        other = {bool: lambda v: not v, float: lambda v: round(min(0.5, v + 0.2), 2), int: lambda v: v * 2}[type(now)]
        assert shapes(base.with_value(key, other(now)).validated()) == ref, key
    # ... and one a branch refuses does change them.
    assert shapes(base.with_value("model.batch_norm", False).validated()) != ref
    with pytest.raises(ConfigError, match="model.batch_norm cannot change at a branch"):
        check_branch(base, base.with_value("model.batch_norm", False), 2)


def test_with_seconds_counts_the_budget_from_step_0(parent):
    point = branch_point(parent, 2)
    cfg = with_seconds(start_config(point), point, 30)
    assert cfg.run.epochs == 0 and cfg.run.max_seconds == pytest.approx(point.elapsed + 30)


def test_a_damaged_lineage_record_is_no_branch(tmp_path):
    for text in ("{", "[]", '{"parent": 3, "epoch": 1, "step": 2}', '{"parent": "p", "epoch": true, "step": 2}'):
        (tmp_path / LINEAGE_FILE).write_text(text)
        assert read_lineage(tmp_path) is None
    (tmp_path / LINEAGE_FILE).write_text('{"parent": "' + "p" * 200_000 + '", "epoch": 1, "step": 2}')
    assert read_lineage(tmp_path) is None  # read at most 64 KB: cut, so unreadable
    (tmp_path / LINEAGE_FILE).write_text('{"parent": "p", "epoch": 1, "step": 2}')
    assert read_lineage(tmp_path).label == "branch of p at epoch 1"


def _fake_checkpoint(root: Path, step: int, epoch: int, epoch_end: bool) -> None:
    folder = root / f"{step:08d}"
    folder.mkdir(parents=True)
    (folder / "state.json").write_text(json.dumps({"step": step, "epoch": epoch, "epoch_end": epoch_end}))


def test_epoch_checkpoints_are_thinned_evenly_past_the_limit(tmp_path):
    assert checkpoint.kept_epochs(range(1, 11), keep=16) == set(range(1, 11))
    assert checkpoint.kept_epochs(range(1, 21), keep=16) == {2, 4, 6, 8, 10, 12, 14, 16, 18, 20}
    assert checkpoint.kept_epochs(range(1, 40), keep=16) == {4, 8, 12, 16, 20, 24, 28, 32, 36, 39}
    root = tmp_path / "checkpoints"
    for epoch in range(1, 21):
        _fake_checkpoint(root, epoch * 10, epoch, True)
    _fake_checkpoint(root, 205, 20, False)  # a stop mid-epoch 21
    checkpoint.prune(root)
    left = sorted(int(p.name) for p in root.iterdir())
    assert left == [20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 205]


def test_compare_starts_both_arms_from_the_same_saved_epoch(parent, small_digits):
    from gan_core.compare.arm import Arm
    from gan_core.compare.job import CompareJob
    from gan_core.compare.pair import CompareError
    from gan_core.run.snapshot import Board

    point = branch_point(parent, 1)
    cfg_a = start_config(point)  # the parent's continuation
    cfg_b = cfg_a.with_value("hacks.flip_probability", 0.3)  # a branch of it
    data = ImageSet(np.load(parent / "data.npz")["images"], None, "upload")

    arms = [Arm(name, cfg, data, Board()) for name, cfg in (("A", cfg_a), ("B", cfg_b))]
    try:
        for arm in arms:
            arm.start_from(point)
        a, b = (arm.step for arm in arms)
        for part in ("generator", "discriminator"):
            assert all(
                np.array_equal(x, y) for x, y in zip(getattr(a, part).get_weights(), getattr(b, part).get_weights())
            )
        assert np.array_equal(a.order.numpy(), b.order.numpy()) and int(a.cursor.numpy()) == int(b.cursor.numpy())
        assert np.array_equal(a.rng.state.numpy(), b.rng.state.numpy())  # the same latent points from here on
        assert arms[0].counters == {"step": 16, "epoch": 1, "elapsed": point.elapsed}
    finally:
        for arm in arms:
            arm.release()

    with pytest.raises(CompareError, match="B: model.base_filters cannot change at a branch"):
        CompareJob(cfg_a, cfg_a.with_value("model.base_filters", 32), start=point)

    job = CompareJob(cfg_a.with_value("run.epochs", 2), cfg_b.with_value("run.epochs", 2), start=point)
    job.start()
    job.join(600)
    snap_a, snap_b, status = job.snapshot()
    assert status.state == "finished", status.message
    assert "16 steps for A and 16 for B" in status.message and "after epoch 1 of parent-run" in status.message
    theirs = jsonl(parent / "metrics.jsonl")
    for snap in (snap_a, snap_b):
        assert len(snap.series["g_loss"]) == 32 and snap.branch["step"] == 16
        assert np.allclose(snap.series["g_loss"][:16], [r["g_loss"] for r in theirs[:16]])
        assert [e.epoch for e in snap.epochs] == [1, 2]
    assert snap_a.epochs[0].grid_png == snap_b.epochs[0].grid_png
    assert snap_a.series["d_loss_real"][16:] != snap_b.series["d_loss_real"][16:]  # flips from step 17 on


def test_branch_start_reads_a_branchs_own_copy_then_its_parents(parent, tmp_path):
    point = branch_point(parent, 2)
    made = make_branch(point, start_config(point), tmp_path / "kid")
    start = branch_start(made.path)
    assert (start.run, start.step, start.parent_id) == (made.path, 32, "parent-run")
    for folder in (made.path / "checkpoints").iterdir():
        (folder / "manifest.json").unlink()  # its own copies gone: the parent's, beside it
    moved = parent.parent / "kid"
    made.path.rename(moved)
    try:
        start = branch_start(moved)
        assert start.run == parent and start.step == 32
    finally:
        import shutil

        shutil.rmtree(moved)
    with pytest.raises(RunError, match="is not a branch"):
        branch_start(parent)


def test_anyone_who_may_see_a_run_may_branch_it_into_a_run_of_their_own(parent, tmp_path):
    from gan_core.jobs.branching import start_page_branch
    from gan_core.jobs.classroom import Classroom
    from gan_core.jobs.pool import TrainerPool
    from gan_core.jobs.seats import Seat, new_seat_token, seat_id
    from gan_core.store.run_owner import read_owner, write_owner

    runs = tmp_path / "runs"
    point = branch_point(parent, 2)
    alices = make_branch(point, start_config(point), runs / "alices-run").path
    alice, bob = seat_id(new_seat_token()), Seat(seat_id(new_seat_token()))
    write_owner(alices, alice)
    before = _files(alices)
    classroom, pool = Classroom(), TrainerPool(max_active=1, idle_seconds=300)

    with pytest.raises(RunError, match="^run 'alices-run' is not one you can see$"):
        start_page_branch(pool, classroom, runs, "alices-run", 2, "", 10, bob)
    assert sorted(p.name for p in runs.iterdir()) == ["alices-run"]

    classroom.set_rules(students_see_others=True)  # the teacher lets students see each other's runs
    job_id, cfg, _ = start_page_branch(pool, classroom, runs, "alices-run", 2, "hacks.flip_probability=0.1", 10, bob)
    pool.get(job_id).stop(timeout=30)
    (made,) = [p for p in runs.iterdir() if p.name != "alices-run"]
    assert read_owner(made) == bob.id and read_owner(alices) == alice  # the branch is bob's; alice's run stays hers
    assert read_lineage(made).parent == "alices-run" and cfg.hacks.flip_probability == 0.1
    assert _files(alices) == before
