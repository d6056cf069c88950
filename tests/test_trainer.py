"""The background trainer as a user of the library sees it: states, snapshots, files, failures."""

import json
import time

import numpy as np
import pytest

from gan_core.config.tree import ConfigError
from gan_core.run.trainer import Trainer
from gan_core.step.cache import shared_steps

from support import small_config, wait_for_snapshot

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def small_cfg(**run):
    """The suite's small config with a 4x4 grid and the quality meter on."""
    cfg = small_config("run.grid_size=4", "run.quality_every_epoch=true", epochs=2)
    for k, v in run.items():
        cfg = cfg.with_value(f"run.{k}", v)
    return cfg


wait_for = wait_for_snapshot


def test_a_run_writes_everything_per_epoch_and_resumes(tmp_path, small_digits):
    run_dir = tmp_path / "run"
    events = []
    t = Trainer(small_cfg(), run_dir=run_dir, data=small_digits, on_event=lambda k, p: events.append(k))
    t.start()
    t.join(180)
    snap = t.snapshot()
    assert snap.state == "finished", snap.message
    # An epoch is one pass over the 640 real images: 20 steps of 32 real images each.
    assert snap.epoch == 2 and snap.step == 40 and len(snap.series["g_loss"]) == 40
    assert [e.epoch for e in snap.epochs] == [1, 2]
    assert snap.epochs[0].grid_png.startswith(b"\x89PNG")
    assert snap.epochs[-1].quality["n"] > 0 and 0 <= snap.epochs[-1].quality["recognized_share"] <= 1
    assert events[0] == "started" and events.count("epoch") == 2 and events[-1] == "finished"
    names = {p.name for p in run_dir.iterdir()}
    assert {
        "config.json",
        "metrics.jsonl",
        "epochs.jsonl",
        "grid_epoch_0001.png",
        "grid_epoch_0002.png",
        "generator.keras",
        "discriminator.keras",
        "checkpoints",
    } <= names
    assert not [n for n in names if n.startswith(".")]  # no temporary files left behind
    assert sorted(p.name for p in (run_dir / "checkpoints").iterdir()) == ["00000020", "00000040"]
    assert {p.name for p in (run_dir / "checkpoints" / "00000020").iterdir()} == {
        "generator.keras",
        "discriminator.keras",
        "optimizers.npz",
        "streams.npz",
        "state.json",
        "manifest.json",
    }
    rows = [json.loads(l) for l in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == list(range(1, 41))

    resumed = Trainer(small_cfg(epochs=3), run_dir=run_dir, resume=True, data=small_digits)
    resumed.start()
    resumed.join(180)
    snap = resumed.snapshot()
    assert snap.state == "finished", snap.message
    assert snap.epoch == 3 and snap.step == 60 and len(snap.series["g_loss"]) == 60
    assert [e.epoch for e in snap.epochs] == [1, 2, 3]
    rows = [json.loads(l) for l in (run_dir / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == list(range(1, 61))  # each step once, also across the resume
    assert [json.loads(l)["epoch"] for l in (run_dir / "epochs.jsonl").read_text().splitlines()] == [1, 2, 3]


def test_pause_resume_stop_and_live_changes(small_digits):
    t = Trainer(small_cfg(epochs=0, max_seconds=0), data=small_digits)  # no budget: runs until stopped
    t.start()
    wait_for(t, lambda s: s.state == "running" and s.step > 2)
    t.pause()
    paused = wait_for(t, lambda s: s.state == "paused")
    time.sleep(0.5)
    assert t.snapshot().step == paused.step  # nothing moves while paused
    t.set_hack("hacks.flip_probability", 0.3)
    t.resume()
    snap = wait_for(t, lambda s: s.state == "running" and s.step > paused.step + 2)
    assert snap.hacks["hacks.flip_probability"] == 0.3
    change = snap.changes[-1]
    assert change.label == "flip 0.05 → 0.30" and change.step == paused.step
    assert t._gan_step.traces == 1  # the change did not retrace the step
    assert t.stop(timeout=2.0) is True
    assert t.snapshot().state == "stopped"


def test_a_bad_live_value_is_refused_and_changes_nothing(small_digits):
    t = Trainer(small_cfg(), data=small_digits)
    with pytest.raises(ConfigError, match="low end 0.9 is above high end 0.8"):
        t.set_hack("hacks.real_label_range", (0.9, 0.8))
    with pytest.raises(ConfigError, match="cannot change while training"):
        t.set_hack("model.batch_norm", False)
    assert t.snapshot().hacks["hacks.real_label_range"] == (0.7, 1.2)


def test_the_later_hacks_change_on_a_running_trainer_with_markers(small_digits):
    t = Trainer(small_cfg(epochs=0, max_seconds=0), data=small_digits)
    t.start()
    wait_for(t, lambda s: s.state == "running" and s.step > 1)
    with pytest.raises(ConfigError, match="unknown policy 'zoom'"):
        t.set_hack("hacks.diff_augment", "translation,zoom")
    for key, value in (
        ("hacks.adversarial_loss", "hinge"),
        ("hacks.r1_gamma", 1.0),
        ("hacks.diff_augment", "translation,cutout"),
        ("hacks.replay_share", 0.5),
        ("hacks.instance_noise", 0.1),
    ):
        t.set_hack(key, value)
    before = t.snapshot().step
    snap = wait_for(t, lambda s: s.step > before + 3 and len(s.changes) >= 5)
    labels = [c.label for c in snap.changes]
    assert "loss bce → hinge" in labels and "DiffAugment none → translation,cutout" in labels
    live = t._gan_step.live
    assert int(live.loss_kind.numpy()) == 2 and live.augment.numpy().tolist() == [True, True, False]
    assert t._gan_step.traces == 1
    assert t.stop(timeout=5.0) is True


def test_nan_pauses_with_a_message(small_digits):
    t = Trainer(small_cfg(epochs=0, max_seconds=0), data=small_digits)
    t.start()
    wait_for(t, lambda s: s.state == "running" and s.step > 1)
    # Poison one weight of the real discriminator, as a diverging run would.
    kernel = t._gan_step.discriminator.layers[-1].kernel
    kernel.assign(np.full(kernel.shape, np.nan, dtype="float32"))
    snap = wait_for(t, lambda s: s.state == "paused")
    assert "training paused" in snap.message and "nan" in snap.message.lower()
    assert snap.warnings and "nan" in snap.warnings[-1].lower()
    t.stop()


def test_a_failure_becomes_a_failed_state_with_the_message():
    t = Trainer(small_cfg().with_value("data.source", "no-such-source"))
    t.start()
    t.join(60)
    snap = t.snapshot()
    assert snap.state == "failed"
    assert "unknown data source 'no-such-source'" in snap.message
    assert not t.alive


def test_fixed_latent_points_show_the_same_individuals_each_epoch(small_digits):
    from gan_core.run.epoch_end import fixed_latent

    a, b = fixed_latent(16, 100, 3), fixed_latent(16, 100, 3)
    assert np.array_equal(a["gaussian"], b["gaussian"])
    assert np.abs(a["uniform"]).max() <= 1.0
    # the uniform points are a monotone map of the Gaussian ones: same order, same identity
    assert np.array_equal(np.argsort(a["gaussian"][0]), np.argsort(a["uniform"][0]))


def test_a_finished_trainer_frees_its_models_at_once_and_still_shows_everything(small_digits):
    import gc
    import weakref

    t = Trainer(small_cfg(epochs=1), data=small_digits)
    t.start()
    deadline = time.time() + 120
    while getattr(t, "_gan_step", None) is None and time.time() < deadline:
        time.sleep(0.05)
    step, generator = weakref.ref(t._gan_step), weakref.ref(t._gan_step.generator)
    t.join(300)
    # The trainer keeps nothing: the one idle step per configuration that the step cache keeps
    # for the next start is all that holds the networks, and dropping it frees them.
    assert t._gan_step is None and t._data is None and t.saver.step is None
    shared_steps().clear()
    gc.collect()
    assert step() is None and generator() is None  # the networks are gone...
    snap = t.snapshot()
    assert snap.state == "finished" and len(snap.series["g_loss"]) == snap.step == 20
    assert snap.epochs[-1].grid_png.startswith(b"\x89PNG")  # ...what the page shows stays
