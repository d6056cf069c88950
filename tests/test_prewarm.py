"""The default step traced before the first Start: the server traces the default preset's
step in the background, and the first training of that configuration neither builds nor
traces (the trace is most of the seconds before the first grid)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.run.trainer import Trainer
from gan_core.step.cache import prewarm_wanted, shared_steps

from support import wait_until

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "environ,wanted",
    [({}, True), ({"GAN_LAB_PREWARM": "1"}, True), ({"GAN_LAB_PREWARM": "0"}, False)]
    + [({"GAN_LAB_PREWARM": "1", "GAN_LAB_RAY_ADDRESS": "auto"}, False)],
)
def test_prewarm_is_on_by_default_off_when_asked_and_on_ray(environ, wanted):
    assert prewarm_wanted(environ) is wanted


def test_a_bad_prewarm_value_is_one_line():
    with pytest.raises(ConfigError, match="GAN_LAB_PREWARM must be 0 or 1, got 'yes'"):
        prewarm_wanted({"GAN_LAB_PREWARM": "yes"})


def test_the_first_training_of_a_prewarmed_configuration_does_not_trace_again(small_digits, tmp_path):
    cfg = TrainConfig().with_overrides(
        ["model.base_filters=8", "run.batch_size=128", "run.epochs=1", "run.max_seconds=0", "run.grid_size=2"]
    )
    cache = shared_steps()
    cache.clear()
    try:
        assert cache.prewarm(cfg, small_digits.images, small_digits.labels)
        assert not cache.prewarm(cfg, small_digits.images, small_digits.labels)  # already idle: nothing to do
        assert len(cache) == 1
        trainer = Trainer(cfg, run_dir=tmp_path / "run", data=small_digits)
        trainer.start()
        trainer.join(300)
        snap = trainer.snapshot()
        assert snap.state == "finished", snap.message
        assert len(cache) == 1  # the run took the traced step and gave it back
        (step,) = cache.idle()
        assert step.traces == 1  # traced once, by the prewarm
    finally:
        cache.clear()


def test_a_class_prewarms_a_step_for_each_training_at_once_and_its_starts_wait_for_them(small_digits):
    import threading

    cfg = TrainConfig().with_overrides(
        ["model.base_filters=8", "run.batch_size=128", "run.epochs=1", "run.max_seconds=0", "run.grid_size=2"]
    )
    cache = shared_steps()
    cache.clear()
    try:
        warming = threading.Thread(target=cache.prewarm, args=(cfg, small_digits.images, small_digits.labels, 2))
        warming.start()
        # The server prewarms when it starts; the Starts come while its copies are traced (on
        # busy cores the thread above may not have begun before the Starts ask for a step).
        wait_until(lambda: cache.warming() == 1 or len(cache) > 0, timeout=60, what="the prewarm under way")
        trainers = [Trainer(cfg, data=small_digits) for _ in range(2)]
        for trainer in trainers:  # two students press Start while the copies are traced
            trainer.start()
        for trainer in trainers:
            trainer.join(300)
            snap = trainer.snapshot()
            assert snap.state == "finished", snap.message
            assert snap.compile_seconds == 0.0  # its step came traced: its first grid is not held back
        warming.join(60)
        assert len(cache) == 2  # both Starts took a prewarmed copy and gave it back
        assert [step.traces for step in cache.idle()] == [1, 1]  # neither training traced its own
    finally:
        cache.clear()


def test_the_app_says_a_bad_prewarm_value_in_one_line_and_still_works(monkeypatch, tmp_path):
    monkeypatch.setenv("GAN_LAB_PREWARM", "sometimes")
    monkeypatch.setenv("GAN_LAB_RUNS", str(tmp_path / "runs"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [w.value for w in at.warning if "GAN_LAB_PREWARM" in w.value] == [
        "GAN_LAB_PREWARM must be 0 or 1, got 'sometimes'"
    ]
    assert any(b.label == "Start training" for b in at.button)


def test_a_server_imports_what_pages_import_on_first_use_after_the_warm_up(tmp_path):
    import subprocess
    import sys

    # A fresh interpreter: this test process may have imported scikit-learn already.
    script = (
        "import sys, threading, time\n"
        "from gan_core.jobs.server import PAGE_IMPORTS, preload_page_imports\n"
        "warm = threading.Thread(target=time.sleep, args=(0.5,)); warm.start()\n"
        "thread = preload_page_imports(after=warm)\n"
        "print(any(m in sys.modules for m in PAGE_IMPORTS))\n"  # not before the warm-up ends
        "thread.join(120)\n"
        "print(all(m in sys.modules for m in PAGE_IMPORTS))\n"
        "broken = preload_page_imports(modules=('no_such_module_here',)); broken.join(10)\n"
        "print(broken.is_alive())\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert out.stdout.split() == ["False", "True", "False"], out.stderr[-2000:]
    assert "could not preload no_such_module_here" in out.stderr
