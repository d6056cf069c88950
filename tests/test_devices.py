"""One training over several devices (tf.distribute) and the GPU's float16 path, tested on
this machine's CPU: two logical CPU devices stand in for two GPUs, and mixed_float16 with
loss scaling is forced."""

import json
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from gan_core.config.presets import preset
from gan_core.step.gan_step import GanStep

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

# The logical devices must exist before TensorFlow initializes: a process of its own.
TWO_REPLICAS = textwrap.dedent(
    """
    import json, sys
    from gan_core.step.mirrored import split_cpu
    split_cpu(2)
    from gan_core.data import ImageSet, load_images
    from gan_core.config.presets import preset
    from gan_core.step.mirrored import MirroredGanStep, make_step
    from gan_core.step.gan_step import GanStep
    from gan_core.run.trainer import Trainer

    digits = load_images("mnist-5k")
    data = ImageSet(digits.images[:640], digits.labels[:640], "mnist-5k")
    cfg = preset("fast-demo").with_overrides(["run.batch_size=64", "run.epochs=1", "run.max_seconds=0",
                                              "run.grid_size=2", "run.quality_every_epoch=false"])
    one, two = GanStep(cfg, data.images, labels=data.labels), make_step(cfg, data.images, labels=data.labels)
    assert isinstance(two, MirroredGanStep) and two.replicas == 2 and two.batch == 32
    losses = {name: [s.step().numpy().tolist() for _ in range(5)] for name, s in (("one", one), ("two", two))}
    assert two.traces == 1, two.traces  # one compile for the run, as on one device
    built = []
    def on_event(kind, _):
        if kind == "started":
            built.append(type(trainer._gan_step).__name__)
    trainer = Trainer(cfg, run_dir=sys.argv[1], data=data, on_event=on_event)
    trainer.start()
    trainer.join(600)
    snap = trainer.snapshot()
    print(json.dumps({"losses": losses, "state": snap.state, "message": snap.message, "step": snap.step,
                      "built": built}))
    """
)


def test_two_replicas_train_and_start_like_one_device(tmp_path):
    r = subprocess.run(
        [sys.executable, "-c", TWO_REPLICAS, str(tmp_path / "run")], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    one, two = np.array(out["losses"]["one"]), np.array(out["losses"]["two"])
    # d_loss_real, d_loss_fake, g_loss over the first five steps from the same seed and weights.
    # They differ by the replicas' own random streams and BatchNorm statistics over 32 instead of
    # 64 images (gan_core/step/mirrored.py): over seeds 0-3, measured within 0.16 per step
    # and 0.04 on the five-step mean, so 0.2 per step and 0.05 on the mean.
    assert np.all(np.abs(one[:, :3] - two[:, :3]) < 0.2), (one[:, :3], two[:, :3])
    assert np.all(np.abs(one[:, :3].mean(0) - two[:, :3].mean(0)) < 0.05)
    assert two[-1, 0] < two[0, 0]  # D learns the real images: its loss on them falls
    # A whole run on two replicas: 640 images, 32 real a step over both replicas -> 20 steps.
    assert out["built"] == ["MirroredGanStep"]  # the trainer picked the strategy by itself
    assert out["state"] == "finished" and out["step"] == 20, out["message"]
    assert (tmp_path / "run" / "generator.keras").exists()
    rows = (tmp_path / "run" / "metrics.jsonl").read_text().splitlines()
    assert len(rows) == 20 and all(np.isfinite(v) for v in json.loads(rows[-1]).values() if isinstance(v, float))


def test_float16_with_loss_scaling_trains_with_finite_losses(small_digits):
    cfg = preset("fast-demo").with_overrides(["run.precision=fp16", "run.batch_size=64"])
    step = GanStep(cfg, small_digits.images, labels=small_digits.labels)
    assert isinstance(step.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(step.g_optimizer, keras.optimizers.LossScaleOptimizer)
    assert step.generator.layers[-1].compute_dtype == "float32"  # the image leaves in float32
    assert any(layer.compute_dtype == "float16" for layer in step.discriminator.layers)
    rows = np.array([step.step().numpy() for _ in range(4)])
    assert np.all(np.isfinite(rows)), rows
    # The reported gradient norms have the loss scale (2**15 at first) taken back out.
    assert rows[:, 7].max() < 100 and rows[:, 8].max() < 100, rows[:, 7:9]


def test_fp16_is_a_precision_and_a_bad_one_is_one_line():
    from gan_core.config.tree import ConfigError
    from gan_core.nets.precision import gpu_policy

    assert preset("fast-demo").with_value("run.precision", "fp16").validated().run.precision == "fp16"
    with pytest.raises(ConfigError, match="'fp32', 'bf16' or 'fp16'"):
        preset("fast-demo").with_value("run.precision", "fp8").validated()
    assert gpu_policy() is None  # no GPU on this machine: the CPU's own choice applies


def test_the_cifar_gpu_preset_builds_a_32x32_colour_gan_at_width_64():
    from gan_core.nets.models import build_discriminator, build_generator

    cfg = preset("cifar-gpu")
    assert (cfg.data.source, cfg.model.base_filters, cfg.run.batch_size, cfg.run.precision) == (
        "cifar10",
        64,
        128,
        "fp16",
    )
    g = build_generator(cfg.model, (32, 32, 3), cfg.run.precision)
    d = build_discriminator(cfg.model, (32, 32, 3), cfg.run.precision)
    images = g(np.zeros((2, cfg.model.latent_dim), np.float32), training=False)
    assert tuple(images.shape) == (2, 32, 32, 3) and images.dtype == "float32"
    assert tuple(d(images, training=False).shape) == (2, 1)


@pytest.mark.parametrize("value", ["two", "1", "999"])
def test_a_bad_cpu_device_count_is_one_line(value, tmp_path):
    import os

    env = dict(os.environ, GAN_LAB_CPU_DEVICES=value, GAN_LAB_RUNS=str(tmp_path / "runs"))
    r = subprocess.run(
        [sys.executable, "-m", "gan_core", "train", "--preset", "fast-demo", "--epochs", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    errors = [line for line in r.stderr.splitlines() if line.startswith("error")]
    assert r.returncode == 2 and errors == [
        f"error: GAN_LAB_CPU_DEVICES must be a whole number in 2..64, got {value!r}"
    ]
    assert not (tmp_path / "runs").exists()
