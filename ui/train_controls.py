"""The Train page's sidebar: preset, dataset, live hacks, architecture practices, run size.

Widgets keep their values in st.session_state under `ctl:<config key>`. A live hack's
widget sends its new value to the running trainer from its on_change callback; the
next training step uses it. Everything else applies at the next start.
"""

from __future__ import annotations

import streamlit as st

from gan_core.config.presets import DEFAULT_PRESET, describe, preset, preset_names
from gan_core.config.tree import ConfigError, TrainConfig
from gan_core.data import (
    CROP_POLICY,
    DataError,
    UserImageLimits,
    describe_sources,
    fit_config_to_data,
    load_images_from_zip_bytes,
)
from gan_core.jobs.job import PoolBusy
from ui.control import Control
from ui.control_specs import BY_KEY, LIVE_HACKS, PRACTICES, RUN_CONTROLS, config_from_widgets, widget_values
from ui.exercise_pages import TRAIN, train_base, train_exercise
from ui.exercise_view import Exercise, fixed, show_notes
from ui.kept_upload import keep_choice, kept_upload, restore_choice
from ui.session import controlled_trainer, trainer_pool, uploads_allowed

UPLOAD_OPTION = "your images (.zip upload)"


def _fill_from_preset() -> None:
    cfg = preset(st.session_state["preset"])
    for key, value in widget_values(cfg).items():
        st.session_state[key] = value
    if cfg.data.source in describe_sources():
        st.session_state["dataset"] = cfg.data.source
    _send_all_live()


def _send_live(control: Control) -> None:
    trainer = controlled_trainer()  # None for a viewer: a shared link never changes the run
    if trainer is None or not trainer.is_active():
        return
    try:
        trainer.set_hack(control.key, control.from_widget(st.session_state[control.widget_key]))
        st.session_state.pop("live_error", None)
    except ConfigError as e:
        st.session_state["live_error"] = str(e)


def _send_all_live() -> None:
    for control in LIVE_HACKS:
        _send_live(control)


FOCUS_QUERY_KEY = "focus"  # a lesson step's setting: its control is opened and marked


def focus_key() -> str | None:
    """The setting a lesson step marks (from the link's `focus`, kept for the session once read;
    a key no control shows is ignored)."""
    asked = st.query_params.get(FOCUS_QUERY_KEY)
    if asked is not None:
        st.query_params.pop(FOCUS_QUERY_KEY, None)
        st.session_state["focus_key"] = (
            asked if asked in {c.key for c in (*PRACTICES, *LIVE_HACKS, *RUN_CONTROLS)} else None
        )
    return st.session_state.get("focus_key")


def _any_shown(controls, exercise: Exercise | None) -> bool:
    """Whether a group of controls has one an exercise link leaves visible (an empty group is not drawn)."""
    return exercise is None or any(not exercise.hides(control.key) for control in controls)


def _widget(control: Control, live: bool, exercise: Exercise | None = None) -> None:
    if exercise is not None and exercise.hides(control.key):
        return  # an exercise link hides it: its value is the link's (`fixed`)
    if control.key == focus_key():
        with st.container(border=True, key="lesson_focus"):
            st.caption(":material/school: The lesson's setting")
            _draw_widget(control, live, exercise)
        return
    _draw_widget(control, live, exercise)


def _draw_widget(control: Control, live: bool, exercise: Exercise | None) -> None:
    kwargs = dict(
        key=control.widget_key, help=control.help, disabled=exercise is not None and exercise.locks(control.key)
    )
    if live:
        kwargs.update(on_change=_send_live, args=(control,))
    current = st.session_state.get(control.widget_key)
    if control.kind == "toggle":
        st.toggle(control.label, **kwargs)
    elif control.kind in ("slider", "range"):
        cast = int if isinstance(current, int) and not isinstance(current, bool) else float
        st.slider(
            control.label, min_value=cast(control.low), max_value=cast(control.high), step=cast(control.step), **kwargs
        )
    elif control.kind == "number":
        cast = float if isinstance(current, float) else int
        st.number_input(
            control.label, min_value=cast(control.low), max_value=cast(control.high), step=cast(control.step), **kwargs
        )
    elif control.kind == "radio":
        st.radio(control.label, [text for _, text in control.options], horizontal=True, **kwargs)
    elif control.kind == "select":
        st.selectbox(control.label, [text for _, text in control.options], **kwargs)
    elif control.kind == "multiselect":
        st.multiselect(control.label, [text for _, text in control.options], **kwargs)
    elif control.kind == "lr":
        st.select_slider(control.label, options=control.choices, format_func=lambda v: f"{v:g}", **kwargs)


def _init_state() -> None:
    if "preset" not in st.session_state:
        st.session_state["preset"] = DEFAULT_PRESET
        for key, value in widget_values(preset(DEFAULT_PRESET)).items():
            st.session_state.setdefault(key, value)
        st.session_state.setdefault("dataset", preset(DEFAULT_PRESET).data.source)


def _dataset_block(fixed_by_link: bool = False) -> tuple[str, object | None, str | None]:
    sources = describe_sources()
    options = list(sources) + ([UPLOAD_OPTION] if uploads_allowed() else [])
    choice = st.selectbox(
        "Dataset",
        options,
        key="dataset",
        disabled=fixed_by_link,
        help="The embedded 'mnist-5k' works offline; the others download once (internet needed the first time).",
        format_func=lambda s: s if s == UPLOAD_OPTION else f"{s} — {sources[s]}",
    )
    keep_choice("dataset")
    if choice != UPLOAD_OPTION:
        return choice, None, None
    upload = kept_upload(
        "Images (.zip of PNG/JPEG files)",
        ["zip"],
        key="upload_zip",
        help=f"PNG, JPEG, BMP, GIF or WebP files; {CROP_POLICY}. Files that are not "
        f"images, damaged, under {UserImageLimits().min_image_side} px a side or "
        f"longer than {UserImageLimits().max_aspect:g}:1 are skipped and counted.",
    )
    if upload is None:
        return "upload", None, "Upload a .zip of images to train on them."
    if st.session_state.get("upload_cache_key") != upload.digest:  # content, not name and size
        try:
            with trainer_pool().slot():  # decoding takes the cores like a training: it needs a slot
                st.session_state["upload_set"] = load_images_from_zip_bytes(upload.data, upload.name)
            st.session_state.pop("upload_error", None)
        except DataError as e:
            st.session_state["upload_set"] = None
            st.session_state["upload_error"] = f"{e}"
        except PoolBusy as e:
            return "upload", None, str(e)  # not remembered: decoded once a slot is free
        st.session_state["upload_cache_key"] = upload.digest
    if st.session_state.get("upload_error"):
        return "upload", None, st.session_state["upload_error"]
    images = st.session_state["upload_set"]
    st.caption(data_caption(images))
    return f"upload:{upload.name}", images, None


def data_caption(images) -> str:
    """'40 images loaded; 9 files skipped (7 not an image, 2 damaged) · 28×28 grayscale · each image
    is centre-cropped to a square, then resized'."""
    colour = "colour" if images.shape[2] == 3 else "grayscale"
    return f"{images.summary} · {images.shape[0]}×{images.shape[1]} {colour} · {CROP_POLICY}."


def render_sidebar() -> tuple[TrainConfig | None, object | None, list[str]]:
    """Draw the controls; returns (config or None, uploaded ImageSet or None, problems)."""
    exercise = train_exercise()  # an exercise link fills the controls once, before the defaults
    restore_choice("dataset", [*describe_sources(), UPLOAD_OPTION])  # before the preset defaults
    _init_state()
    fixes = exercise is not None and exercise.link.fixes_any  # then the preset and data are the link's
    sb = st.sidebar
    with sb:
        show_notes(TRAIN)
        st.selectbox(
            "Preset",
            preset_names(),
            key="preset",
            on_change=_fill_from_preset,
            disabled=fixes,
            help="A named starting point; choosing one fills every control below.",
        )
        st.caption(describe(st.session_state["preset"]))
        source, uploaded, data_problem = _dataset_block(fixes)
        batch_note = st.empty()

        if _any_shown(LIVE_HACKS, exercise):
            st.subheader("Live hacks")
            st.caption("Apply at the next training step, while it runs.")
            for control in LIVE_HACKS:
                _widget(control, live=True, exercise=exercise)
        if st.session_state.get("live_error"):
            st.error(st.session_state["live_error"])

        focus = focus_key()
        if _any_shown(PRACTICES, exercise):
            with st.expander(
                "Architecture practices — apply at the next start", expanded=focus in {c.key for c in PRACTICES}
            ):
                st.caption("These change the networks, so they take effect when you press Start training.")
                for control in PRACTICES:
                    _widget(control, live=False, exercise=exercise)
        if _any_shown(RUN_CONTROLS, exercise):
            with st.expander("Run size — applies at the next start", expanded=focus in {c.key for c in RUN_CONTROLS}):
                for control in RUN_CONTROLS:
                    _widget(control, live=False, exercise=exercise)

    problems = [data_problem] if data_problem else []
    try:
        cfg = config_from_widgets(train_base(exercise, st.session_state["preset"]), st.session_state)
        cfg = fixed(cfg, exercise, list(BY_KEY))
        cfg = cfg.with_value("data.source", source if uploaded is None else "uploaded")
        problems += cfg.problems()
        if uploaded is not None and not problems:
            cfg, note = fit_config_to_data(cfg, len(uploaded), f"'{uploaded.name}'")
            if note:
                batch_note.info(note)
    except (ConfigError, DataError) as e:
        cfg, problems = None, problems + [str(e)]
    return (None if problems else cfg), uploaded, problems
