"""A compiled step reused for the next run of the same configuration: it starts exactly as a
fresh build would, never traces again, and the moving average of G is a live setting."""

import numpy as np
import pytest

from gan_core.config.presets import preset
from gan_core.config.tree import TrainConfig
from gan_core.hacks.ema import ema_update, warmed_up_decay
from gan_core.run.trainer import Trainer
from gan_core.step.cache import StepCache
from gan_core.step.gan_step import GanStep

from support import wait_for_snapshot

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

SHAPE = (28, 28, 1)


def small(*overrides: str) -> TrainConfig:
    return TrainConfig().with_overrides(["model.base_filters=8", "run.batch_size=16", *overrides]).validated()


def images(seed: int, n: int = 64) -> np.ndarray:
    return (np.random.default_rng(seed).random((n, *SHAPE)) * 255).astype(np.uint8)


def run_steps(step: GanStep, n: int) -> np.ndarray:
    return np.stack([step.step().numpy() for _ in range(n)])


def test_a_restarted_step_trains_exactly_as_a_fresh_build_without_tracing_again():
    # Dropout, G's dropout, replay and EMA: every kind of state a run leaves behind.
    wanted = small(
        "run.seed=3",
        "run.ema_decay=0.9",
        "model.dropout=0.3",
        "model.g_dropout=0.1",
        "hacks.replay_share=0.5",
        "hacks.flip_probability=0.1",
    )
    used = wanted.with_overrides(["run.seed=9", "hacks.flip_probability=0.3", "optimizer.g_learning_rate=0.001"])
    cache = StepCache()
    earlier = cache.acquire(used.validated(), images(1))
    run_steps(earlier, 5)
    cache.release(earlier)

    reused = cache.acquire(wanted, images(2))
    assert reused is earlier and reused.traces == 1
    fresh = GanStep(wanted, images(2))
    np.testing.assert_allclose(run_steps(reused, 6), run_steps(fresh, 6), rtol=1e-5, atol=1e-6)
    assert reused.traces == 1
    for mine, theirs in ((reused.generator, fresh.generator), (reused.discriminator, fresh.discriminator)):
        for a, b in zip(mine.get_weights(), theirs.get_weights()):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(reused.order.numpy(), fresh.order.numpy())
    z = np.random.default_rng(0).standard_normal((4, 100)).astype(np.float32)
    np.testing.assert_allclose(reused.generate(z), fresh.generate(z), rtol=1e-5, atol=1e-6)


def test_the_cache_builds_anew_for_another_shape_and_keeps_a_bounded_number():
    cache = StepCache(capacity=1)
    a = cache.acquire(small(), images(1))
    cache.release(a)
    b = cache.acquire(small("run.batch_size=32"), images(1))  # another graph
    assert b is not a
    cache.release(b)
    assert len(cache) == 1
    with pytest.raises(ValueError, match="same shapes"):
        b.restart(small(), images(1))


def test_two_runs_of_one_configuration_at_once_get_two_steps_and_both_are_kept():
    cache = StepCache(capacity=3)
    a, b = cache.acquire(small(), images(1)), cache.acquire(small("hacks.flip_probability=0.2"), images(1))
    assert a is not b and a.graph_key == b.graph_key
    cache.release(a)
    cache.release(b)
    cache.release(b)  # a second release must not hand one step to two runs
    assert len(cache) == 2
    again = {id(cache.acquire(small(), images(2))), id(cache.acquire(small(), images(2)))}
    assert again == {id(a), id(b)} and len(cache) == 0
    for step in (a, b, cache.acquire(small("run.batch_size=32"), images(1))):
        cache.release(step)
    cache.release(cache.acquire(small("run.batch_size=8"), images(1)))
    assert len(cache) == 3 and a not in cache.idle()  # the least recently released went first


def test_a_reused_half_precision_step_trains_as_its_first_run_did():
    # fp16's loss-scale optimizer starts its dynamic scale at 2^15; a scale set to 0 on reuse
    # would make every gradient NaN and skip every update.
    cfg = small("run.precision=fp16")
    cache = StepCache()
    step = cache.acquire(cfg, images(1))
    first = run_steps(step, 3)
    cache.release(step)
    assert cache.acquire(cfg, images(1)) is step
    np.testing.assert_allclose(run_steps(step, 3), first, rtol=1e-5, atol=1e-6)


def test_turning_the_average_on_mid_run_starts_it_from_g_and_never_retraces():
    step = GanStep(small("run.ema_decay=0"), images(1))
    run_steps(step, 3)
    assert not step.ema_active and step.sampling_generator is step.generator
    for avg, g in zip(step.ema.average.trainable_variables, step.generator.trainable_variables):
        np.testing.assert_array_equal(avg.numpy(), g.numpy())  # while off, the average is G

    step.apply_live(small("run.ema_decay=0.9"))
    before = [w.numpy().copy() for w in step.generator.trainable_variables]
    run_steps(step, 1)
    # The average starts from G's weights of that moment, with a fresh warm-up.
    decay = warmed_up_decay(0.9, 0)
    for avg, old, g in zip(step.ema.average.trainable_variables, before, step.generator.trainable_variables):
        np.testing.assert_allclose(avg.numpy(), ema_update(old, g.numpy(), decay), rtol=1e-5, atol=1e-6)
    run_steps(step, 2)
    assert step.ema_active and step.sampling_generator is step.ema.average and step.traces == 1
    assert any(
        not np.allclose(a.numpy(), g.numpy())
        for a, g in zip(step.ema.average.trainable_variables, step.generator.trainable_variables)
    )
    step.apply_live(small("run.ema_decay=0"))
    run_steps(step, 1)
    assert step.sampling_generator is step.generator and step.traces == 1


def wait_for(trainer, predicate, timeout=180):
    return wait_for_snapshot(trainer, predicate, timeout)


def fast(**run):
    # A constant learning rate: the decay is applied at flushes, which depend on the clock.
    cfg = preset("fast-demo").with_overrides(
        ["run.max_seconds=0", "run.epochs=1", "run.grid_size=2", "optimizer.final_lr_fraction=1.0"]
    )
    for key, value in run.items():
        cfg = cfg.with_value(f"run.{key}", value)
    return cfg


def test_the_same_configuration_started_again_reuses_its_step_and_draws_the_same_curves(small_digits):
    first = Trainer(fast(), data=small_digits)
    first.start()
    step = wait_for(first, lambda s: first._gan_step is not None) and first._gan_step
    first.join(300)
    second = Trainer(fast(), data=small_digits)
    second.start()
    wait_for(second, lambda s: second._gan_step is not None)
    assert second._gan_step is step and step.traces == 1
    second.join(300)
    a, b = first.snapshot(), second.snapshot()
    assert a.state == b.state == "finished" and a.step == b.step == 20
    np.testing.assert_allclose(b.series["g_loss"], a.series["g_loss"], rtol=1e-4, atol=1e-5)
    assert a.epochs[-1].grid_png == b.epochs[-1].grid_png


def test_the_moving_average_turned_on_mid_run_draws_the_grid_without_retracing(small_digits):
    t = Trainer(fast(epochs=0, ema_decay=0.0), data=small_digits)
    t.start()
    wait_for(t, lambda s: s.state == "running" and s.step > 2)
    step = t._gan_step
    traced = step.traces
    assert step.sampling_generator is step.generator
    t.set_hack("run.ema_decay", 0.99)
    before = t.snapshot().step
    snap = wait_for(t, lambda s: s.step > before + 5)
    assert "EMA 0 → 0.99" in [c.label for c in snap.changes] and snap.hacks["run.ema_decay"] == 0.99
    t.pause()
    wait_for(t, lambda s: s.state == "paused")
    z = np.random.default_rng(0).standard_normal((4, 100)).astype(np.float32)
    averaged = step.ema.average(z, training=False).numpy()
    assert step.sampling_generator is step.ema.average
    np.testing.assert_allclose(step.generate(z), averaged, atol=1e-6)
    assert not np.allclose(averaged, step.generator(z, training=False).numpy(), atol=1e-4)
    t.set_hack("run.ema_decay", 0.0)
    t.resume()
    after = t.snapshot().step
    wait_for(t, lambda s: s.step > after + 2)
    assert step.sampling_generator is step.generator and step.traces == traced
    t.stop(timeout=10)


def test_the_ema_control_sits_among_the_live_hacks_and_its_card_says_live():
    from gan_core.guide import lookup as guide
    from ui.control_specs import BY_KEY, LIVE_HACKS, PRACTICES

    control = BY_KEY["run.ema_decay"]
    assert control in LIVE_HACKS and control not in PRACTICES and control.live
    assert "Live" in control.help
    card = guide.card("ema-generator")
    assert card.applies == guide.LIVE and card.kind == "hack" and card.control == control.label
