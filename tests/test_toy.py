"""The 2-D playground core: data sets, CSV points, mode metrics, live hacks, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gan_core.config.tree import ConfigError
from gan_core.toy import (
    PointsError,
    ToyConfig,
    builtin_dataset,
    mode_metrics,
    parse_points_csv,
    points_dataset,
    read_points_csv,
)
from gan_core.toy.metrics import histogram_kl
from gan_core.toy.source import load_toy_dataset

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

REPO = Path(__file__).resolve().parents[1]
SMALL = ["model.hidden=16", "model.d_hidden=16", "model.depth=1", "run.batch_size=32", "run.eval_samples=200"]


def small_trainer(dataset="ring", extra=()):
    from gan_core.toy.trainer import ToyTrainer

    cfg = ToyConfig().with_overrides(SMALL + list(extra))
    return ToyTrainer(cfg, builtin_dataset(dataset))


# -- mode metrics -----------------------------------------------------------------------
def test_samples_on_every_ring_mode_cover_all_modes_with_full_quality():
    ring = builtin_dataset("ring")
    samples = ring.sample(2500, seed=3)
    m = mode_metrics(samples, ring)
    assert (m.modes_covered, m.modes_total) == (8, 8)
    assert m.high_quality > 0.98
    assert m.kl < 0.01


def test_samples_on_one_mode_cover_one_and_have_large_kl():
    ring = builtin_dataset("ring")
    samples = np.tile(ring.modes[2], (2500, 1)) + 0.005
    m = mode_metrics(samples, ring)
    assert m.modes_covered == 1
    assert m.high_quality == 1.0
    assert m.kl == pytest.approx(np.log(8), rel=0.01)


def test_far_off_samples_have_no_high_quality_and_cover_nothing():
    grid = builtin_dataset("grid")
    samples = np.full((2500, 2), 1.0, np.float32)  # halfway between grid points
    m = mode_metrics(samples, grid)
    assert m.high_quality == 0.0
    assert m.modes_covered == 0
    assert m.modes_total == 25


def test_high_quality_threshold_is_three_standard_deviations():
    ring = builtin_dataset("ring")
    inside = ring.modes[0] + np.array([0.029, 0.0])
    outside = ring.modes[0] + np.array([0.031, 0.0])
    assert mode_metrics(np.array([inside]), ring).high_quality == 1.0
    assert mode_metrics(np.array([outside]), ring).high_quality == 0.0


def test_kl_of_empty_generated_bins_stays_finite():
    assert np.isfinite(histogram_kl(np.array([5.0, 0.0, 0.0]), np.array([0.0, 1.0, 1.0])))


@pytest.mark.parametrize("name", ["spiral", "moons"])
def test_curve_data_scores_itself_well_and_a_blob_badly(name):
    ds = builtin_dataset(name)
    good = mode_metrics(ds.sample(2500, seed=1), ds)
    assert good.modes_covered == good.modes_total == 20
    assert good.high_quality > 0.95
    blob = mode_metrics(np.random.default_rng(0).normal(0, 0.02, (2500, 2)) + ds.modes[0], ds)
    assert blob.modes_covered <= 2
    assert blob.kl > 1.0


def test_users_points_get_anchors_and_a_perfect_copy_scores_about_95_percent():
    rng = np.random.default_rng(0)
    points = np.concatenate([rng.normal((-3, 0), 0.3, (500, 2)), rng.normal((3, 0), 0.3, (500, 2))])
    ds = points_dataset(points)
    assert np.abs(ds.pool).max() == pytest.approx(2.0)  # rescaled into [-2, 2]^2
    m = mode_metrics(ds.sample(2500, seed=5), ds)
    assert m.modes_covered == m.modes_total == 16
    assert 0.85 < m.high_quality <= 1.0


# -- CSV points -------------------------------------------------------------------------
def _csv(n, header="x,y\n"):
    return header + "".join(f"{i * 0.1},{-i * 0.2}\n" for i in range(n))


def test_csv_with_and_without_header_reads_the_same_points():
    with_header = parse_points_csv(_csv(12).encode())
    without = parse_points_csv(_csv(12, header=""))
    assert with_header.shape == (12, 2)
    np.testing.assert_allclose(with_header, without)


@pytest.mark.parametrize(
    "text, fragment",
    [
        (_csv(5), "at least 10"),
        (_csv(12) + "1,2,3\n", "two columns"),
        (_csv(12) + "1,abc\n", "'abc' is not a number"),
        (_csv(12) + "nan,1\n", "finite"),
        (_csv(12) + "1,inf\n", "finite"),
        ("x,y\n" + "1,1\n" * 12, "identical"),
    ],
)
def test_bad_csv_gives_one_line_error(text, fragment):
    with pytest.raises(PointsError) as err:
        parse_points_csv(text.encode())
    assert fragment in str(err.value)
    assert "\n" not in str(err.value)


def test_csv_with_too_many_rows_is_subsampled_with_a_note():
    angles = np.arange(100_001) * 0.001
    read = read_points_csv("".join(f"{np.cos(a):.6f},{np.sin(a):.6f}\n" for a in angles))
    assert read.points.shape == (100_000, 2)
    assert read.notes == ("100,001 points read; training on a random 100,000 of them (the limit)",)


def test_binary_file_is_rejected():
    with pytest.raises(PointsError, match="not UTF-8"):
        parse_points_csv(bytes([0xFF, 0xFE, 0x00, 0x81]) * 10)


def test_csv_file_loads_as_a_data_set(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(_csv(50))
    ds = load_toy_dataset(str(path))
    assert ds.name == "mine" and ds.pool.shape == (50, 2)
    (tmp_path / "bad.csv").write_text("only,three\n")
    with pytest.raises(PointsError, match="bad.csv: found 0 points"):
        load_toy_dataset(str(tmp_path / "bad.csv"))


# -- config -----------------------------------------------------------------------------
def test_config_overrides_use_the_main_vocabulary():
    cfg = ToyConfig().with_overrides(
        [
            "hacks.flip_probability=0.1",
            "optimizer.g_learning_rate=0.002",
            "model.hidden=32",
            "hacks.real_label_range=0.7,1.2",
        ]
    )
    assert cfg.hacks.flip_probability == 0.1
    assert cfg.optimizer.g_learning_rate == 0.002
    assert cfg.model.hidden == 32
    assert cfg.hacks.real_label_range == (0.7, 1.2)


@pytest.mark.parametrize(
    "pair, fragment",
    [
        ("hacks.flip_probability=0.9", "hacks.flip_probability must be in [0, 0.5]"),
        ("optimizer.name=rmsprop", "optimizer.name must be 'adam' or 'sgd'"),
        ("model.hidden=lots", "model.hidden must be a whole number"),
        ("model.colour=red", "unknown toy config key 'model.colour'"),
        ("run.ema_decay=1", "run.ema_decay must be in [0, 1)"),
        ("model.pack=0", "model.pack must be in 1..8"),
        ("hacks.diff_augment=translation", "hacks.diff_augment applies to the image trainer only"),
        ("hacks.adversarial_loss=wgan", "hacks.adversarial_loss must be 'bce', 'least-squares' or 'hinge'"),
    ],
)
def test_bad_config_values_are_one_line_errors(pair, fragment):
    with pytest.raises(ConfigError) as err:
        ToyConfig().with_overrides([pair]).validated()
    assert fragment in str(err.value)


# -- trainer ----------------------------------------------------------------------------
def test_live_hack_changes_do_not_retrace():
    trainer = small_trainer()
    trainer.run(3)
    trainer.step_d()
    trainer.step_g()
    traced = trainer.trace_count
    live = ToyConfig().with_overrides(
        SMALL
        + [
            "hacks.latent_distribution=uniform",
            "hacks.real_label_range=0.7,1.2",
            "hacks.fake_label_range=0,0.3",
            "hacks.flip_probability=0.2",
            "hacks.generator_loss=minimax",
            "hacks.d_steps=3",
            "optimizer.name=sgd",
            "optimizer.d_learning_rate=0.01",
            "optimizer.g_learning_rate=0.02",
        ]
    )
    trainer.apply_live(live)
    trainer.run(3)
    trainer.run(7)
    trainer.step_d()
    trainer.step_g()
    assert trainer.trace_count == traced
    assert trainer.d_updates == 3 + 1 + 3 * 3 + 7 * 3 + 1


def test_the_adversarial_loss_and_r1_change_live_without_a_retrace():
    trainer = small_trainer()
    trainer.run(2)
    traced = trainer.trace_count
    seen = {}
    for loss, gamma in (("least-squares", 0.0), ("hinge", 1.0), ("bce", 10.0), ("bce", 0.0)):
        trainer.apply_live(
            ToyConfig().with_overrides(SMALL + [f"hacks.adversarial_loss={loss}", f"hacks.r1_gamma={gamma}"])
        )
        trainer.run(3)
        seen[(loss, gamma)] = trainer.history[-1]
    assert trainer.trace_count == traced
    assert np.all(np.isfinite(np.stack(list(seen.values()))))
    assert seen[("least-squares", 0.0)][1:3].min() >= 0  # ½(D − t)² never goes below 0


def test_r1_changes_ds_update_on_points():
    a, b = small_trainer(), small_trainer(extra=["hacks.r1_gamma=10"])
    a.step_d()
    b.step_d()
    wa = np.concatenate([w.numpy().ravel() for w in a.discriminator.trainable_variables])
    wb = np.concatenate([w.numpy().ravel() for w in b.discriminator.trainable_variables])
    assert not np.allclose(wa, wb, atol=1e-5)


def test_step_controls_count_steps_and_record_losses():
    trainer = small_trainer()
    trainer.step_d()
    assert trainer.steps == 0
    trainer.step_g()
    trainer.run(4)
    assert trainer.steps == 5
    history = trainer.history
    assert history.shape == (6, 6)
    assert np.isnan(history[0, 3]) and np.isfinite(history[0, 1])  # D-only step: no G loss
    assert np.all(np.isfinite(history[2:, 1:]))


def test_sgd_and_adam_move_the_generator_differently():
    a, b = small_trainer(), small_trainer(extra=["optimizer.name=sgd"])
    before = a.generated_points()
    a.run(5)
    b.run(5)
    assert not np.allclose(a.generated_points(), before)
    assert not np.allclose(a.generated_points(), b.generated_points())


def test_short_training_on_the_ring_brings_samples_closer_to_the_modes():
    from gan_core.toy.trainer import ToyTrainer

    ring = builtin_dataset("ring")
    trainer = ToyTrainer(ToyConfig().with_overrides(["run.batch_size=128", "run.eval_samples=500"]), ring)

    def mean_distance():
        from gan_core.toy.datasets import nearest

        return nearest(trainer.generated_points(), ring.modes)[1].mean()

    before = mean_distance()
    trainer.run(600)
    assert mean_distance() < 0.4 * before
    assert mode_metrics(trainer.generated_points(), ring).modes_covered >= 3


def test_shown_points_come_from_the_weight_average_and_decay_zero_shows_g_itself():
    trainer = small_trainer(extra=["run.ema_decay=0.99"])
    start = trainer.generated_points()
    trainer.run(60)
    averaged = trainer.generated_points()
    live = trainer.generated_points(averaged=False)
    assert not np.allclose(averaged, start)  # the average follows training
    assert not np.allclose(averaged, live, atol=1e-4)  # ... but lags behind G's latest weights
    traced = trainer.trace_count
    trainer.apply_live(trainer.config.with_value("run.ema_decay", 0.0))
    trainer.run(1)
    np.testing.assert_allclose(trainer.generated_points(), trainer.generated_points(averaged=False), atol=1e-5)
    assert trainer.trace_count == traced


def test_packing_discriminator_judges_several_points_at_once():
    from gan_core.toy.surface import decision_surface, gradient_arrows

    trainer = small_trainer(extra=["model.pack=3"])
    assert trainer.discriminator.input_shape[-1] == 6
    trainer.run(5)
    assert trainer.steps == 5 and np.all(np.isfinite(trainer.history[:, 1:]))
    _, _, prob = decision_surface(trainer, resolution=10)  # lone points scored as packs of copies
    assert prob.shape == (10, 10) and np.all((prob >= 0) & (prob <= 1))
    points, moves = gradient_arrows(trainer, count=12)
    assert points.shape == moves.shape == (12, 2) and np.all(np.isfinite(moves))


def test_decision_surface_and_gradient_arrows_have_grid_and_point_shapes():
    from gan_core.toy.surface import decision_surface, gradient_arrows

    trainer = small_trainer()
    xs, ys, prob = decision_surface(trainer, resolution=20)
    assert prob.shape == (20, 20) and xs.shape == (20,) and ys.shape == (20,)
    assert np.all((prob >= 0) & (prob <= 1))
    points, moves = gradient_arrows(trainer, count=30)
    assert points.shape == moves.shape == (30, 2)
    assert np.all(np.isfinite(moves))


# -- CLI --------------------------------------------------------------------------------
def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "gan_core.toy", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["--dataset", "triangle"],
        ["--set", "hacks.flip_probability=0.9"],
        ["--set", "nonsense"],
        ["--max-seconds", "soon"],
    ],
)
def test_cli_rejects_bad_input_with_exit_2_and_one_line(args):
    result = _cli(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_cli_prints_one_json_line_with_the_metrics(tmp_path):
    path = tmp_path / "pts.csv"
    path.write_text(_csv(40))
    result = _cli(
        "--dataset", str(path), "--max-seconds", "0.5", "--json", "--seed", "3", *sum((["--set", s] for s in SMALL), [])
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    out = json.loads(lines[0])
    for key in ("modes_covered", "modes_total", "high_quality", "kl", "steps", "seconds"):
        assert key in out
    assert out["steps"] > 0 and out["modes_total"] == 16


def test_collapse_preset_shows_g_itself_and_the_default_shows_the_average():
    from gan_core.toy.presets import toy_preset

    assert toy_preset("collapse").run.ema_decay == 0.0  # the chase between modes stays visible
    assert toy_preset("default").run.ema_decay > 0.0


def test_collapse_preset_piles_the_points_where_the_default_spreads_them_over_the_ring():
    """The guide's "Watch it in 2D" must show collapse: same ring, same step count."""
    from gan_core.toy.presets import toy_preset
    from gan_core.toy.trainer import ToyTrainer

    ring = builtin_dataset("ring")
    result = {}
    for name in ("collapse", "default"):
        trainer = ToyTrainer(toy_preset(name), ring)
        trainer.run(1500)
        result[name] = mode_metrics(trainer.generated_points(), ring)
    assert result["collapse"].modes_covered <= 2
    assert result["collapse"].kl > 1.0  # most points sit by one or two modes (log 8 = 2.08)
    assert result["default"].modes_covered >= 7  # 8/8 here; one spare for another CPU's rounding
    assert result["default"].kl < 0.2


# -- the learning-rate decay on the page (Play) matches the CLI's --------------------------
def test_play_decays_the_learning_rates_like_the_cli_and_holds_the_final_fraction():
    from gan_core.toy.trainer import decay_scale

    assert decay_scale(0.0, 30.0, 0.01) == 1.0
    assert decay_scale(15.0, 30.0, 0.01) == pytest.approx(0.505)
    assert decay_scale(99.0, 30.0, 0.01) == pytest.approx(0.01)
    assert decay_scale(5.0, 0.0, 0.01) == 1.0
    trainer = small_trainer(extra=["run.max_seconds=0.5", "optimizer.final_lr_fraction=0.1"])
    trainer.run_scheduled(1)
    assert trainer.lr_scale == 1.0 and trainer.trained_seconds > 0
    while trainer.trained_seconds < 0.5:
        trainer.run_scheduled(20)
    trainer.run_scheduled(1)
    lr = float(trainer._d_opt.learning_rate.numpy())
    assert trainer.lr_scale == pytest.approx(0.1)
    assert lr == pytest.approx(0.1 * trainer.config.optimizer.d_learning_rate, rel=1e-5)
