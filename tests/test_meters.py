"""The quality meter of each data set: which judge measures it (by its name, never its shape),
the judges of the keras data sets (trained on small files written into the keras cache), the
label-free meter, and that a non-digit set gets no digit wording anywhere a user looks."""

from __future__ import annotations

import gzip
import json
import pickle
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

from gan_core.compare.verdict import verdict  # noqa: E402
from gan_core.data import ImageSet, load_images  # noqa: E402
from gan_core.generators.images import png_bytes  # noqa: E402
from gan_core.metrics import (  # noqa: E402
    JudgeMeter,
    LabelFreeMeter,
    judge_for_dataset,
    judge_for_source,
    meter_for,
    metric_cards,
    summary,
    upgrade_quality,
)
from gan_core.metrics.label_free import kernel_distance, precision_recall  # noqa: E402
from gan_core.metrics.meter import reference_indices  # noqa: E402
from gan_core.run.snapshot import EpochRecord, Snapshot  # noqa: E402

pytestmark = pytest.mark.slow  # trains networks or starts servers: make test, not make test-fast

# ---------------------------------------------------------------- non-digit shapes, made here


def shapes(n: int, seed: int = 0) -> np.ndarray:
    """uint8 (n, 28, 28, 1): white outlined squares, rings and crosses on black, random size and place."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:28, :28]
    out = np.zeros((n, 28, 28), np.uint8)
    for i in range(n):
        cy, cx, r = rng.integers(10, 18), rng.integers(10, 18), rng.integers(5, 9)
        kind = i % 3
        if kind == 0:
            inside = (abs(yy - cy) <= r) & (abs(xx - cx) <= r)
            mask = inside & ~((abs(yy - cy) <= r - 2) & (abs(xx - cx) <= r - 2))
        elif kind == 1:
            d = np.hypot(yy - cy, xx - cx)
            mask = (d <= r) & (d >= r - 2)
        else:
            mask = ((abs(yy - cy) <= 1) & (abs(xx - cx) <= r)) | ((abs(xx - cx) <= 1) & (abs(yy - cy) <= r))
        out[i][mask] = 255
    return out[..., None]


@pytest.fixture(scope="module")
def shapes_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shapes")
    for i, image in enumerate(shapes(240)):
        Image.fromarray(image[..., 0], mode="L").save(folder / f"shape_{i:03d}.png")
    return folder


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GAN_LAB_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


# ---------------------------------------------------------------- which judge


@pytest.mark.parametrize(
    "source, judge",
    [
        ("mnist-5k", "mnist"),
        ("mnist", "mnist"),
        ("fashion-mnist", "fashion-mnist"),
        ("cifar10", "cifar10"),
        ("cifar10:frog", "cifar10"),
        ("cifar10:6", "cifar10"),
        ("photos/", None),
        ("shapes.zip", None),
        ("", None),
    ],
)
def test_the_judge_is_picked_by_the_data_sets_name(source, judge):
    spec = judge_for_source(source)
    assert (spec.name if spec else None) == judge


def test_unlabelled_images_never_get_a_judge_whatever_their_name_or_shape():
    images = shapes(20)
    assert judge_for_dataset(ImageSet(images, None, "mnist")) is None  # a user folder called "mnist"
    assert judge_for_dataset(ImageSet(images, np.zeros(20, np.int64), "my shapes")) is None
    assert judge_for_dataset(ImageSet(images, np.zeros(20, np.int64), "mnist-5k")).name == "mnist"


def test_reference_sets_are_drawn_at_random_not_from_the_head_of_a_sorted_file(digits):
    picked = digits.labels[reference_indices(len(digits), 200)]
    assert len(set(picked.tolist())) == 10 and len(picked) == 200  # the file's head is 500 zeros
    assert list(reference_indices(5000, 50)) == list(reference_indices(5000, 50))  # seeded


# ---------------------------------------------------------------- the label-free meter


def test_precision_and_recall_tell_quality_from_coverage():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(300, 8))
    assert precision_recall(real.copy(), real) == (1.0, 1.0)
    collapsed = np.repeat(real[:1], 300, axis=0)  # one real sample, 300 times
    precision, recall = precision_recall(collapsed, real)
    assert precision == 1.0 and recall <= 0.02
    assert precision_recall(real + 50.0, real) == (0.0, 0.0)


def test_kernel_distance_is_about_zero_for_one_distribution_and_grows_with_a_shift():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(400, 16)), rng.normal(size=(400, 16))
    same = kernel_distance(a, b)
    assert abs(same) < 0.05
    assert kernel_distance(a + 1.0, b) > 20 * max(abs(same), 1e-3)


def test_label_free_meter_on_shapes_scores_real_shapes_high_and_noise_zero():
    data = ImageSet(shapes(600, seed=1), None, "shapes")
    meter = meter_for(data)
    assert isinstance(meter, LabelFreeMeter)
    real = meter.report(shapes(256, seed=2)).to_dict()
    noise = meter.report(np.random.default_rng(3).integers(0, 256, (256, 28, 28, 1), dtype=np.uint8)).to_dict()
    assert real["meter"] == "label-free" and real["k"] == 3 and real["n"] == real["reference_n"] == 256
    assert real["precision"] > 0.5 and real["recall"] > 0.5
    assert noise["precision"] == 0.0 and noise["kernel_distance"] > 10 * abs(real["kernel_distance"])
    assert not {"recognized_share", "classes_present", "frechet_distance"} & set(real)


# ---------------------------------------------------------------- judges of the keras data sets


@pytest.fixture
def keras_datasets(tmp_path, monkeypatch):
    """An empty keras cache (KERAS_HOME); keras read the variable at import, so move that too."""
    from keras.src.backend import config as keras_config

    home = tmp_path / "keras_home"
    (home / "datasets").mkdir(parents=True)
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))
    return home / "datasets"


def _idx_gz(path, array: np.ndarray) -> None:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + b"".join(struct.pack(">I", d) for d in array.shape)
    with gzip.open(path, "wb") as fh:
        fh.write(header + array.astype(np.uint8).tobytes())


def _class_pictures(labels: np.ndarray, side: int, channels: int, seed: int) -> np.ndarray:
    """Class c is a bright band at height 2c, so a judge can tell the classes apart."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 40, size=(len(labels), side, side, channels)).astype(np.uint8)
    for i, c in enumerate(labels):
        images[i, 2 * c + 2 : 2 * c + 5] = 230
    return images


def _write_fashion_mnist(datasets: Path, seed: int) -> None:
    labels = np.repeat(np.arange(10), 12)
    images = _class_pictures(labels, 28, 1, seed)[..., 0]
    folder = datasets / "fashion-mnist"
    folder.mkdir(exist_ok=True)
    for split, (x, y) in {"train": (images, labels), "t10k": (images[:2], labels[:2])}.items():
        _idx_gz(folder / f"{split}-images-idx3-ubyte.gz", x)
        _idx_gz(folder / f"{split}-labels-idx1-ubyte.gz", y)


def test_fashion_mnist_gets_its_own_judge_cached_under_its_name_and_data(keras_datasets, cache):
    _write_fashion_mnist(keras_datasets, seed=0)
    data = load_images("fashion-mnist")
    meter = meter_for(data)
    assert isinstance(meter, JudgeMeter) and meter.judge.spec.name == "fashion-mnist"
    assert meter.judge.path.parent == cache and meter.judge.path.name.startswith("judge-fashion-mnist-v")
    report = meter.report(data.images[:64]).to_dict()
    assert report["judge"] == "fashion-mnist" and report["classes_total"] == 10
    assert len(report["class_histogram"]) == 10 and report["classes_present"] is not None
    assert "digit" not in summary(report).lower() and "Fashion-MNIST judge" in summary(report)

    # Other files under the same name are another data set: another judge, never the cached one.
    first = meter.judge.path
    _write_fashion_mnist(keras_datasets, seed=1)
    other = meter_for(load_images("fashion-mnist"))
    assert other.judge.path != first and first.is_file() and other.judge.path.is_file()


def _cifar_batch(labels: list[int], seed: int) -> dict:
    images = _class_pictures(np.array(labels), 32, 3, seed)
    rows = images.transpose(0, 3, 1, 2).reshape(len(labels), 3 * 1024)  # R, G, B planes per row
    return {b"labels": list(labels), b"data": rows}


def test_a_cifar10_class_run_is_measured_by_the_ten_class_judge_against_that_class(keras_datasets, cache):
    folder = keras_datasets / "cifar-10-batches-py-target" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for batch in range(1, 6):
        with open(folder / f"data_batch_{batch}", "wb") as fh:
            pickle.dump(_cifar_batch([c for c in range(10) for _ in range(3)], seed=batch), fh, protocol=2)
    frogs = load_images("cifar10:frog")
    meter = meter_for(frogs)
    assert meter.judge.spec.name == "cifar10" and meter.judge.model.output_shape == (None, 10)
    assert meter.reference_n == len(frogs) == 15  # the reference is the frogs only
    report = meter.report(frogs.images).to_dict()
    assert report["classes_present"] is None and report["classes_total"] == 1  # one class: no class count
    recognized = sum(report["class_histogram"])
    assert report["class_histogram"][6] == recognized  # "recognized" means recognized as a frog
    assert "classes" not in summary(report) and "CIFAR-10 judge" in summary(report)


# ---------------------------------------------------------------- old run folders


def test_old_fid_records_still_display_under_todays_name():
    old = {"n": 256, "recognized_share": 0.5, "classes_present": 9, "class_histogram": [1] * 10, "fid": 12.5}
    q = upgrade_quality(old)
    assert q["frechet_distance"] == 12.5 and "fid" not in q and q["judge"] == "mnist"
    labels = [c["label"] for c in metric_cards(old)]
    assert labels == ["Recognized (MNIST digit judge)", "Digits present", "Fréchet distance"]
    assert "256 samples" in metric_cards(old)[2]["help"] and "Not FID" in metric_cards(old)[2]["help"]
    assert "Fréchet distance (judge features, 256 samples) 12.5" in summary(old)


def test_a_run_folder_from_before_still_opens_and_shows_its_figures(tmp_path):
    from gan_core.config.presets import preset
    from gan_core.run.epoch_end import reload_epochs
    from gan_core.run.snapshot import Board
    from gan_core.store.runs import RunFolder

    raw = preset("no-hacks").to_dict()
    raw["optimizer"].update(dcgan_adam=False, beta_1=0.5)  # what the old switch wrote
    (tmp_path / "config.json").write_text(json.dumps(raw))
    old = {"n": 256, "recognized_share": 0.31, "classes_present": 7, "class_histogram": [8] * 10, "fid": 40.2}
    (tmp_path / "epochs.jsonl").write_text(json.dumps({"epoch": 1, "step": 78, "seconds": 3.0, "quality": old}) + "\n")
    run = RunFolder.open(tmp_path)
    run.save_grid_png(1, png_bytes(shapes(1)[0, :, :, 0]))

    assert run.config().optimizer.beta_1 == 0.9
    board = Board()
    reload_epochs(run, board, 1)
    quality = board.snapshot().epochs[0].quality
    assert quality["frechet_distance"] == 40.2
    assert [c["value"] for c in metric_cards(quality)] == ["31%", "7 / 10", "40.2"]


# ---------------------------------------------------------------- no digit wording for shapes


def _no_digit_words(text: str) -> None:
    lowered = text.lower()
    assert "digit" not in lowered and "recogni" not in lowered, text


def _shape_snapshot(quality: dict) -> Snapshot:
    grid = png_bytes(shapes(1)[0, :, :, 0])
    return Snapshot(
        state="finished", epochs=(EpochRecord(epoch=1, step=4, seconds=1.0, grid_png=grid, quality=quality),)
    )


def _draw_script(snapshot):
    from ui.train_view import draw_live

    draw_live(snapshot)


def test_shapes_get_no_digit_verdict_on_the_train_page_or_in_compare(shapes_folder):
    from streamlit.testing.v1 import AppTest

    data = load_images(str(shapes_folder))
    assert data.shape == (28, 28, 1) and data.labels is None
    quality = meter_for(data).report(shapes(64, seed=5)).to_dict()

    at = AppTest.from_function(_draw_script, args=(_shape_snapshot(quality),), default_timeout=30)
    at.run()
    assert not at.exception
    shown = [f"{m.label} {m.value} {m.proto.help}" for m in at.metric]
    assert [m.label for m in at.metric] == [
        "Precision (k-NN, k=3)",
        "Recall (k-NN, k=3)",
        "Kernel distance (pooled pixels)",
    ]
    shown += [c.proto.spec for c in at.get("plotly_chart")]
    _no_digit_words(" ".join(shown))

    text = verdict(_shape_snapshot(quality), _shape_snapshot(quality))
    assert text.startswith("A: precision ") and "Too close to call" in text
    _no_digit_words(text)


def test_training_on_shapes_from_the_command_line_never_says_digits(shapes_folder, tmp_path):
    run = tmp_path / "run"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "gan_core",
            "train",
            "--preset",
            "fast-demo",
            "--data",
            str(shapes_folder),
            "--epochs",
            "1",
            "--final-samples",
            "100",
            "--out",
            str(run),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "GAN_LAB_CACHE": str(tmp_path / "cache")},
    )
    assert out.returncode == 0, out.stderr
    epoch_lines = [line for line in out.stderr.splitlines() if line.startswith("epoch ")]
    assert len(epoch_lines) == 1 and "precision" in epoch_lines[0] and "kernel distance" in epoch_lines[0]
    _no_digit_words(epoch_lines[0])
    final = json.loads((run / "final_quality.json").read_text())
    assert final["meter"] == "label-free" and final["n"] == 100
    _no_digit_words(json.dumps(final))
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())  # no judge was trained


def test_the_metrics_command_measures_with_the_named_data_sets_meter(shapes_folder, tmp_path):
    np.save(tmp_path / "samples.npy", shapes(40, seed=8))

    def metrics(*args):
        return subprocess.run(
            [sys.executable, "-m", "gan_core", "metrics", str(tmp_path / "samples.npy"), *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**__import__("os").environ, "GAN_LAB_CACHE": str(tmp_path / "cache")},
        )

    out = metrics("--data", str(shapes_folder))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["meter"] == "label-free" and report["n"] == 40 and 0 <= report["precision"] <= 1
    missing = metrics("--data", "no-such-folder/")
    assert missing.returncode == 2 and "no such folder or file" in missing.stderr.strip().splitlines()[-1]
