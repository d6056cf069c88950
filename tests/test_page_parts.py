"""The pieces the pages are made of, tested without a page: pictures, captions, walk
directions, the playground's presets against its learning-rate choices, one line style
per metric on every chart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gan_core.config.table_toy import TOY_LEARNING_RATES
from gan_core.generators.latent import walk_directions
from gan_core.generators.source import GeneratorSource
from gan_core.run.snapshot import Snapshot
from gan_core.toy.presets import TOY_PRESETS
from ui.figures import compare as compare_figures
from ui.figures import train as train_figures
from ui.figures.latent import numbered_grid
from ui.figures.styles import ACC_LINES, LOSS_LINES
from ui.latent_view import source_caption
from ui.playground_view import preset_controls


def test_numbered_grid_tiles_enlarges_and_writes_each_cells_number():
    images = np.zeros((6, 28, 28, 1), np.uint8)
    grid = numbered_grid(images, cols=3, scale=2)
    assert grid.dtype == np.uint8 and grid.shape == (2 * (2 + 2 * 30), 2 * (2 + 3 * 30), 3)
    # Black cells: every bright pixel is a number; cell 1 and cell 6 both have one.
    yellow = grid[..., 0] > 200
    assert yellow[4:40, 4:40].any() and yellow[2 * 32 : 2 * 32 + 36, 2 * 62 : 2 * 62 + 36].any()
    assert not yellow[40:60, 40:60].any()  # the middle of a cell stays as drawn


def test_source_caption_says_latent_classes_shape_and_output_range():
    src = GeneratorSource(
        name="Run x",
        path=Path("g.keras"),
        config=None,
        latent_dim=100,
        latent_distribution="uniform",
        tanh_output=True,
        image_shape=(28, 28, 1),
        classes=10,
    )
    text = source_caption(src)
    assert text == (
        "Run x: latent size 100, uniform latent, then a one-hot code for 10 classes (trained with "
        "labels, or with look-alike clusters as labels: it draws the class you ask for), 28x28x1 images, "
        "output in [-1, 1] (tanh)."
    )
    assert source_caption(
        GeneratorSource(
            name="U",
            path=Path("u.keras"),
            config=None,
            latent_dim=8,
            latent_distribution="gaussian",
            tanh_output=False,
            image_shape=(32, 32, 3),
            output_range=(0.0, 255.0),
        )
    ).endswith("32x32x3 images, output in [0, 255].")


def test_random_walk_directions_leave_the_class_code_alone_and_towards_starts_with_it():
    d = walk_directions(0, 6, classes=4)
    assert d.shape == (2, 10) and not d[:, 6:].any()
    np.testing.assert_allclose(d @ d.T, np.eye(2), atol=1e-6)
    toward = np.arange(10, dtype=np.float32)
    d = walk_directions(1, 6, classes=4, toward=toward)
    np.testing.assert_allclose(d[0], toward / np.linalg.norm(toward), atol=1e-6)
    with pytest.raises(ValueError, match="latent size"):
        walk_directions(0, 6, classes=4, toward=np.ones(6))


@pytest.mark.parametrize("name", list(TOY_PRESETS))
def test_every_toy_preset_shows_on_the_playgrounds_learning_rate_sliders(name):
    controls = preset_controls(name)
    # A select_slider refuses a value that is not one of its options.
    assert controls["toy:optimizer.d_learning_rate"] in TOY_LEARNING_RATES
    assert controls["toy:optimizer.g_learning_rate"] in TOY_LEARNING_RATES


def _colours(fig) -> dict:
    return {t.name.split(": ")[-1]: t.line.color for t in fig.data}


def test_train_and_compare_charts_draw_each_metric_in_the_same_colour():
    snap = Snapshot(series={key: [0.5, 0.6, 0.7] for key, _, _ in LOSS_LINES + ACC_LINES})
    expected = {name: colour for _, name, colour in LOSS_LINES + ACC_LINES}
    for fig in (
        train_figures.loss_figure(snap),
        train_figures.accuracy_figure(snap),
        compare_figures.loss_figure(snap, snap),
        compare_figures.accuracy_figure(snap, snap),
    ):
        colours = _colours(fig)
        assert colours and all(expected[name] == colour for name, colour in colours.items())


def test_control_labels_are_written_once_and_the_train_page_and_the_guide_read_the_same_table():
    from gan_core.config.settings import controls, labels
    from gan_core.guide.lookup import CONTROL_LABELS
    from ui.control_specs import ALL_CONTROLS

    assert {c.key: c.label for c in ALL_CONTROLS} == labels()  # every control, no label of its own
    groups = ("practice", "hack", "model_hack")
    assert CONTROL_LABELS == tuple(s.label for group in groups for s in controls(group))
    assert len(set(labels().values())) == len(labels())  # no two controls share a label


def test_the_playgrounds_loss_chart_uses_the_same_names_and_colours_as_the_train_page():
    from gan_core.toy import ToyConfig, builtin_dataset
    from gan_core.toy.trainer import ToyTrainer
    from ui.figures.toy import loss_figure

    trainer = ToyTrainer(
        ToyConfig().with_overrides(["run.batch_size=64", "run.eval_samples=200"]), builtin_dataset("ring")
    )
    trainer.run(3)
    assert _colours(loss_figure(trainer)) == {name: colour for _, name, colour in LOSS_LINES}
