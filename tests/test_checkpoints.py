"""No run lost: final checkpoints at stop and budget end, resume that continues the data
order, the generator's own hack values, a disk that refuses, NaN and the roll-back."""

import json
import time

import numpy as np
import pytest

from gan_core.run.trainer import Trainer

from support import small_config, wait_for_snapshot

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast


def small_cfg(**run):
    """640 digits at batch 128 (64 real images a step): 10 steps per epoch."""
    cfg = small_config("run.grid_size=4", "run.batch_size=128", epochs=2)
    for k, v in run.items():
        cfg = cfg.with_value(f"run.{k}", v)
    return cfg


wait_for = wait_for_snapshot


def rows(run_dir, name="metrics.jsonl"):
    return [json.loads(line) for line in (run_dir / name).read_text().splitlines()]


def stop_mid_epoch(t, after=13):
    """Stop a running trainer at a step that does not end an epoch (pause, look, stop)."""
    while True:
        wait_for(t, lambda s, after=after: s.step >= after and s.state == "running")
        t.pause()
        snap = wait_for(t, lambda s: s.state == "paused")
        if snap.step % snap.steps_per_epoch:
            break
        t.resume()
        after = snap.step + 1
    assert t.stop(timeout=60)


def run_to_end(cfg, run_dir, data, resume=False):
    t = Trainer(cfg, run_dir=run_dir, resume=resume, data=data)
    t.start()
    t.join(300)
    snap = t.snapshot()
    assert snap.state == "finished", snap.message
    return snap


def test_stop_mid_epoch_keeps_every_step_and_resume_continues_the_data_order(tmp_path, small_digits):
    run_dir = tmp_path / "run"
    t = Trainer(small_cfg(epochs=0), run_dir=run_dir, data=small_digits)  # no budget: until stopped
    t.start()
    stop_mid_epoch(t)
    stopped = t.snapshot()
    assert stopped.state == "stopped" and stopped.step % 10 != 0, stopped.step  # mid-epoch
    # the tail after the last epoch is on disk: one row per step, a checkpoint at that step
    assert [r["step"] for r in rows(run_dir)] == list(range(1, stopped.step + 1))
    assert (run_dir / "checkpoints" / f"{stopped.step:08d}" / "manifest.json").exists()

    # The budget: the epoch it stopped in and one more (a fast machine stops later than step 13).
    last = stopped.epoch + 2
    reference = tmp_path / "reference"
    run_to_end(small_cfg(epochs=last), reference, small_digits)
    snap = run_to_end(small_cfg(epochs=last), run_dir, small_digits, resume=True)
    assert snap.step == 10 * last and len(snap.series["g_loss"]) == 10 * last
    assert [r["step"] for r in rows(run_dir)] == list(range(1, 10 * last + 1))
    epochs = rows(run_dir, "epochs.jsonl")
    assert [e["epoch"] for e in epochs] == list(range(1, last + 1))
    # the stopped epoch went on from the saved position and the next got the shuffle an
    # unbroken run gets
    assert [e["order"] for e in epochs] == [e["order"] for e in rows(reference, "epochs.jsonl")]
    assert len({e["order"] for e in epochs}) == last


def test_a_time_budget_ending_mid_epoch_saves_the_tail(tmp_path, small_digits):
    run_dir = tmp_path / "run"
    snap = run_to_end(small_cfg(epochs=0, max_seconds=1.5), run_dir, small_digits)
    assert [r["step"] for r in rows(run_dir)] == list(range(1, snap.step + 1))
    state = json.loads((sorted((run_dir / "checkpoints").iterdir())[-1] / "state.json").read_text())
    assert state["step"] == snap.step


def test_latent_switched_live_to_uniform_samples_uniform_afterwards(tmp_path, small_digits):
    from gan_core.generators.latent import sample_latent
    from gan_core.generators.running import generate
    from gan_core.generators.sampling import sample_run
    from gan_core.generators.source import load_generator, load_uploaded_generator, run_source

    run_dir = tmp_path / "run"
    t = Trainer(small_cfg(epochs=1), run_dir=run_dir, data=small_digits)
    assert t.cfg.hacks.latent_distribution == "gaussian"
    t.set_hack("hacks.latent_distribution", "uniform")
    t.start()
    t.join(300)
    assert t.snapshot().state == "finished"
    assert json.loads((run_dir / "config.json").read_text())["hacks"]["latent_distribution"] == "gaussian"

    source = run_source(run_dir)
    assert source.latent_distribution == "uniform"
    assert any("switched to uniform" in note for note in source.assumptions)
    model, source = load_generator(source)
    out = sample_run(run_dir, 8, tmp_path / "s.npy", seed=3)
    expected = generate(model, sample_latent(3, 8, source.latent_dim, "uniform", source.classes), source.tanh_output)
    assert np.array_equal(np.load(out), expected)
    # the downloaded file alone, uploaded to the Latent explorer, says the same
    _, uploaded = load_uploaded_generator((run_dir / "generator.keras").read_bytes(), "generator.keras")
    assert uploaded.latent_distribution == "uniform"


def test_an_unwritable_runs_folder_trains_on_without_saving_and_says_so(tmp_path, small_digits):
    blocker = tmp_path / "runs"
    blocker.write_text("a file where the runs folder should be")  # mkdir fails, even for root
    snap = run_to_end(small_cfg(epochs=1), blocker / "run", small_digits)
    assert snap.step == 10
    warning = [w for w in snap.warnings if w.startswith("Cannot save")]
    assert len(warning) == 1 and "Training goes on without saving" in warning[0], snap.warnings
    assert "nothing of this run is on disk" in warning[0]
    assert blocker.read_text() == "a file where the runs folder should be"


def test_nan_pauses_and_rolls_back_to_the_last_good_checkpoint(tmp_path, small_digits):
    run_dir = tmp_path / "run"
    t = Trainer(small_cfg(epochs=0), run_dir=run_dir, data=small_digits)
    t.start()
    wait_for(t, lambda s: s.epoch >= 1)
    t.pause()
    wait_for(t, lambda s: s.state == "paused")
    good = t.last_good_step()
    assert good and good % 10 == 0
    t.set_hack("hacks.flip_probability", 0.3)
    t.resume()
    wait_for(t, lambda s: s.state == "running")
    # A learning rate no slider allows (the schedule resets it each flush, so keep pushing):
    # the weights blow up within a few steps, for real.
    end = time.time() + 60
    while t.snapshot().state != "paused" and time.time() < end:
        t._gan_step.set_learning_rates(1e38, 1e38)
        time.sleep(0.01)
    snap = wait_for(t, lambda s: s.state == "paused" and "training paused" in s.message)
    assert "nan" in snap.message.lower() or "inf" in snap.message.lower()
    assert t.last_good_step() == good  # nothing non-finite was saved

    cfg = t.roll_back()
    snap = wait_for(t, lambda s: s.state == "paused" and s.message.startswith("Rolled back"))
    assert snap.step == good and len(snap.series["g_loss"]) == good
    assert cfg.hacks.flip_probability == small_cfg().hacks.flip_probability != 0.3
    assert snap.hacks["hacks.flip_probability"] == cfg.hacks.flip_probability
    assert all(np.isfinite(w).all() for w in t._gan_step.generator.get_weights())
    t.resume()
    wait_for(t, lambda s: s.step >= good + 12)
    assert t.stop(timeout=60)
    steps = [r["step"] for r in rows(run_dir)]
    assert steps == list(range(1, t.snapshot().step + 1))
    assert all(np.isfinite(r["g_loss"]) for r in rows(run_dir))


def test_roll_back_without_a_checkpoint_is_refused_in_one_line(small_digits):
    t = Trainer(small_cfg(), data=small_digits)
    with pytest.raises(RuntimeError, match="paused"):
        t.roll_back()


def test_the_train_page_offers_the_roll_back_after_nan_and_shows_the_settings_of_then(
    tmp_path, monkeypatch, small_digits, open_page
):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from gan_core.jobs.seats import new_seat_token, seat_id
    from gan_core.jobs.server import shared_pool

    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "runs"))
    pool = shared_pool()
    token = new_seat_token()  # the student's browser that starts the run
    trainer_id = pool.start(
        lambda: Trainer(small_cfg(epochs=0), run_dir=tmp_path / "run", data=small_digits), owner=seat_id(token)
    )
    t = pool.get(trainer_id)
    try:
        wait_for(t, lambda s: s.epoch >= 1 and t.last_good_step())
        good = t.last_good_step()
        t.set_hack("hacks.flip_probability", 0.3)
        wait_for(t, lambda s: s.hacks["hacks.flip_probability"] == 0.3)
        end = time.time() + 60
        while t.snapshot().state != "paused" and time.time() < end:
            t._gan_step.set_learning_rates(1e38, 1e38)
            time.sleep(0.01)
        wait_for(t, lambda s: s.state == "paused" and "training paused" in s.message)

        page = str(Path(__file__).resolve().parents[1] / "app_pages" / "train.py")
        at = AppTest.from_file(page, default_timeout=60)
        at.session_state["seat_token"] = token
        at.session_state["trainer_id"] = trainer_id
        at.session_state["ctl:hacks.flip_probability"] = 0.3
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        button = at.button(key="btn_rollback")
        assert button.label == f"Back to the last good checkpoint (step {good})"
        button.click().run()
        assert not at.exception, [e.message for e in at.exception]
        assert t.snapshot().step == good
        assert at.session_state["ctl:hacks.flip_probability"] == pytest.approx(0.05)
    finally:
        t.stop(timeout=60)


def test_resume_cuts_rows_past_the_checkpoint_and_a_torn_last_line(tmp_path):
    from gan_core.store.runs import RunFolder

    run = RunFolder.create(tmp_path / "run", small_cfg())
    lines = "".join(json.dumps({"step": s, "g_loss": 0.5}) + "\n" for s in range(1, 26)) + '{"step": 26, "g_lo'
    (run.path / "metrics.jsonl").write_text(lines)
    (run.path / "changes.jsonl").write_text("".join(json.dumps({"step": s, "key": "k"}) + "\n" for s in (3, 20, 20)))
    run.trim_to_step(20, changes=2)  # the second change at step 20 came after that checkpoint
    assert [r["step"] for r in rows(run.path)] == list(range(1, 21))
    assert [r["step"] for r in rows(run.path, "changes.jsonl")] == [3, 20]


def test_a_checkpoint_whose_files_do_not_match_its_manifest_is_passed_over(tmp_path):
    from gan_core.store.checkpoint import latest_checkpoint

    for step, damaged in ((10, False), (20, True)):
        folder = tmp_path / "checkpoints" / f"{step:08d}"
        folder.mkdir(parents=True)
        (folder / "state.json").write_text(json.dumps({"step": step}))
        size = (folder / "state.json").stat().st_size
        (folder / "manifest.json").write_text(json.dumps({"step": step, "files": {"state.json": size + damaged}}))
    (tmp_path / "checkpoints" / ".00000030.partial").mkdir()  # a save cut short
    assert latest_checkpoint(tmp_path).name == "00000010"


def test_the_saved_streams_continue_the_same_noise_and_shuffles(small_digits):
    from gan_core.step.gan_step import GanStep

    cfg = small_cfg()
    a = GanStep(cfg, small_digits.images, labels=small_digits.labels)
    a.step()
    arrays, plain = a.stream_state()
    plain = json.loads(json.dumps(plain))  # as read back from state.json
    b = GanStep(cfg.with_value("run.seed", 7), small_digits.images, labels=small_digits.labels)
    b.set_stream_state(arrays, plain)
    assert int(b.cursor.numpy()) == int(a.cursor.numpy()) > 0
    assert np.array_equal(b.sample_latent(5).numpy(), a.sample_latent(5).numpy())  # tf.random.Generator
    a.new_epoch()
    b.new_epoch()
    assert np.array_equal(a.order.numpy(), b.order.numpy())  # numpy shuffles
    with pytest.raises(ValueError, match="saved data order has 3 entries"):
        b.set_stream_state({**arrays, "order": np.arange(3)}, plain)
