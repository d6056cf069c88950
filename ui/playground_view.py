"""The 2D playground's Streamlit side: its data select, its live hack controls (and the
presets that set them), and the mode-coverage metrics row.

Every control is an entry of the settings table (gan_core/config/table_toy.py) and keeps its
value in session state under "toy:<config key>"; a preset writes those keys
(`preset_controls`), and `hack_controls` reads the widgets back into a HacksConfig and a
ToyOptimizerConfig the trainer applies at its next step.
"""

from __future__ import annotations

import streamlit as st

from gan_core.config.settings import TOY, controls, setting
from gan_core.toy import PointsError, ToyDataset, builtin_dataset, mode_metrics, points_dataset
from gan_core.toy.config import ToyConfig
from gan_core.toy.presets import TOY_PRESETS, toy_preset
from gan_core.toy.source import read_uploaded_points
from ui.control import Control
from ui.draw_view import drawing_board
from ui.kept_upload import keep_choice, kept_upload, restore_choice
from ui.session import uploads_allowed

# Select label -> the toy's data set name ("csv": an uploaded points file; "drawn": points
# drawn on the page's board, ui/draw_view.py).
DATASETS = {
    "Ring of 8 Gaussians": "ring",
    "Grid of 25 Gaussians": "grid",
    "Spiral": "spiral",
    "Two moons": "moons",
    "Your own points (CSV)": "csv",
    "Draw your own": "drawn",
}
RING = "Ring of 8 Gaussians"


# The playground's controls, each an entry of the settings table (gan_core/config/table_toy.py),
# in the order the sidebar shows them; spectral normalization (next start) comes last.
CONTROLS = tuple(Control.of(s, prefix="toy") for s in controls("hack", TOY))
SPECTRAL_NORM = Control.of(setting("model.spectral_norm", TOY), prefix="toy")
FIRST_KEY = CONTROLS[0].widget_key  # present once the controls were set for this session


def _value(cfg: ToyConfig, key: str):
    section, name = key.split(".")
    return getattr(getattr(cfg, section), name)


def preset_controls(name: str) -> dict:
    """The widget values that show preset `name`, keyed by the widgets' session-state keys
    ("toy:<config key>", e.g. "toy:hacks.flip_probability"). Raises ConfigError for an unknown name."""
    return control_values(toy_preset(name))


def control_values(cfg: ToyConfig) -> dict:
    """The widget values that show `cfg`, keyed by the widgets' session-state keys."""
    values = {c.widget_key: _widget_value(c, _value(cfg, c.key)) for c in CONTROLS}
    values[SPECTRAL_NORM.widget_key] = cfg.model.spectral_norm
    return values


def _widget_value(control: Control, value):
    """A config value as the playground's widget holds it: its own value (radios show their
    option's text through format_func), a (low, high) tuple for a range."""
    return tuple(float(v) for v in value) if control.kind == "range" else value


def load_preset() -> None:
    """Set every control to the chosen preset; the next run builds fresh networks for it (its
    Adam beta_1 and weight averaging are fixed when the networks are made)."""
    st.session_state.update(preset_controls(st.session_state.toy_preset))
    st.session_state.pop("toy_trainer_key", None)
    st.session_state.pop("toy_loaded", None)


def take_preload() -> None:
    """The Hacks guide's "Watch it in 2D" leaves a preset name behind: adopt it once, on the ring."""
    state = st.session_state
    name = state.pop("toy_preload", None)
    if name in TOY_PRESETS:
        state.toy_preset = name
        state.toy_dataset = RING
        state.toy_playing = False
        load_preset()
        state.toy_loaded = name


@st.cache_data(max_entries=4, show_spinner=False)
def _points_from_upload(digest: str, _data: bytes, name: str) -> ToyDataset | str:
    """The ToyDataset of an uploaded CSV, or the one-line reason it is refused; read once per
    content (`digest` is its SHA-256), refusals included, in a bounded worker process, so a
    hostile file stalls neither other pages nor trainings."""
    try:
        read = read_uploaded_points(_data)
        return points_dataset(read.points, name=name, notes=read.notes)
    except PointsError as e:
        return str(e)


def chosen_dataset(board, fixed_by_link: bool = False) -> tuple[str | None, ToyDataset | None]:
    """The Dataset select (and the CSV upload, or the drawing board drawn in the container
    `board`); (key, ToyDataset) for the chosen data, the key being the built-in name,
    "csv:<SHA-256>" or "drawn:<digest of the points>"; (None, None) when nothing is usable
    yet and the training on screen stays (no upload, a file refused with its one-line reason),
    ("drawn:", None) while too few points are drawn to train on (no training shows). An exercise
    link that fixes controls fixes the data too (`fixed_by_link`: the select is disabled)."""
    offered = [label for label, name in DATASETS.items() if name != "csv" or uploads_allowed()]
    restore_choice("toy_dataset", offered)  # a page switch drops the widget's value
    label = st.selectbox(
        "Dataset",
        offered,
        key="toy_dataset",
        disabled=fixed_by_link,
        help="Ring and grid are the classic mode-collapse tests; your CSV needs columns x,y "
        "(header optional, 10 to 100,000 rows); or draw your own points on the plane.",
    )
    keep_choice("toy_dataset")
    name = DATASETS[label]
    if name == "drawn":
        with board:
            return drawing_board()
    if name != "csv":
        return name, builtin_dataset(name)
    upload = kept_upload(
        "Points file (CSV with x,y)",
        ["csv"],
        key="toy_csv",
        help="Two columns x,y separated by ',', ';' or tabs; decimal commas, quotes, "
        "# comments and a header line are fine; over 100,000 rows are subsampled.",
    )
    if upload is None:
        st.info("Upload a CSV of x,y points to train on them.")
        return None, None
    dataset = _points_from_upload(upload.digest, upload.data, upload.name)
    if isinstance(dataset, str):
        st.error(f"{upload.name}: {dataset}")
        return None, None
    for note in dataset.notes:
        st.caption(note)
    return "csv:" + upload.digest, dataset


def _widget(control: Control, disabled: bool = False) -> object:
    """Draw one control from its table entry (`disabled`: locked by an exercise link); returns
    the widget's value (a config value)."""
    kwargs = dict(key=control.widget_key, help=control.help, disabled=disabled)
    if control.kind in ("slider", "range"):
        cast = int if isinstance(control.step, int) else float
        return st.slider(control.label, cast(control.low), cast(control.high), step=cast(control.step), **kwargs)
    if control.kind == "radio":
        shown = dict(control.options)
        return st.radio(control.label, list(shown), horizontal=True, format_func=shown.get, **kwargs)
    if control.kind == "lr":
        return st.select_slider(control.label, control.choices, **kwargs)
    if control.kind == "toggle":
        return st.toggle(control.label, **kwargs)
    raise ValueError(f"no playground widget for kind {control.kind!r}")


def hack_controls(base: ToyConfig, exercise=None) -> ToyConfig:
    """The preset select and every control; the config as set now: `base` with each control's
    value. A control an exercise link (ui/exercise_view.Exercise) hides is not drawn and one it
    locks is drawn disabled; both keep `base`'s value (the link's), as does the preset select
    while the link fixes any control."""
    state = st.session_state
    st.selectbox(
        "Preset",
        list(TOY_PRESETS),
        key="toy_preset",
        on_change=load_preset,
        disabled=exercise is not None and exercise.link.fixes_any,
        help="A starting point for every control below. Picking one starts fresh networks.",
    )
    st.caption(TOY_PRESETS[state.toy_preset][0])
    cfg = base
    for control in (*CONTROLS, SPECTRAL_NORM):
        if exercise is not None and exercise.hides(control.key):
            continue
        locked = exercise is not None and exercise.locks(control.key)
        value = _widget(control, disabled=locked)
        if not locked:
            cfg = cfg.with_value(control.key, list(value) if control.kind == "range" else value)
    return cfg


def show_metrics(trainer) -> None:
    """Modes covered, share of high-quality points, KL(generated || real) and G's step count
    of a ToyTrainer (gan_core.toy.trainer), in one row."""
    metrics = mode_metrics(trainer.generated_points(), trainer.dataset)
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(
        "Modes covered",
        f"{metrics.modes_covered}/{metrics.modes_total}",
        help="A mode counts when at least one generated point lies within 3 standard deviations of it "
        "(anchors along the curve for spiral, moons and your own points; the clusters of your drawing).",
    )
    m2.metric(
        "High quality",
        f"{100 * metrics.high_quality:.1f}%",
        help="Share of generated points close enough to the real data.",
    )
    m3.metric(
        "KL (generated || real)",
        f"{metrics.kl:.3f}",
        help="0 when points spread over the modes like the real data does; log(modes) when all points sit on one mode.",
    )
    m4.metric("Generator steps", f"{trainer.steps:,}")
