"""The Latent explorer's "Discovered directions": the principal directions of the chosen
generator's latent space (gan_core/generators/directions.py, GANSpace) as sliders that move
one sample or a row of samples, and the names students give them (gan_core/store/direction_names.py).

The directions are computed once per generator file for the whole server (st.cache_resource
keyed by the file's SHA-256; a run still training gets new ones after each epoch). The
section is a fragment: moving a slider redraws this section only, with one generator call.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import streamlit as st

from gan_core.generators.directions import N_SAMPLES, Directions, DirectionsError, discover
from gan_core.generators.images import image_grid, png_bytes, upscale
from gan_core.generators.source import CONFIG_FILE, runs_dir
from gan_core.store.direction_names import NAME_MAX, NameRefused, file_sha256, names_path, read_names, save_name
from ui.latent_view import LoadedGenerator, cell, images

SHOWN = (5, 10, 6)  # fewest, most and default sliders shown
ROW = 8  # "a row of samples": cells 1..ROW
REACH, STEP = 3.0, 0.25  # slider range -REACH..REACH standard deviations
STRIP = np.linspace(-REACH, REACH, 7)  # each direction's strip, in standard deviations
_ERROR_KEY = "latent_dir_name_error"
# Every ASCII punctuation character a Markdown label could read as syntax (links, images,
# emphasis, Streamlit's :color[...] and :icon: directives, $math$): escaped in a name.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|:$<>~&\"'=^])")
# GitHub's autolinks (http://..., www.x, a@b.c) are found after escapes are undone: an
# invisible word joiner (U+2060) inside each keeps a name from becoming a link.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)


def plain(text: str) -> str:
    """`text` with Markdown punctuation backslash-escaped and autolinks broken, so a name
    shows as typed: no link, picture, colour or icon."""
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub("\u2060", text))


@st.cache_data(max_entries=16, show_spinner=False)
def _file_digest(path: str, mtime: float) -> str:
    return file_sha256(path)


def generator_digest(gen: LoadedGenerator) -> str:
    """SHA-256 hex of the generator's file: an upload's is in its key; a file is hashed once
    per modification time."""
    if gen.key[0] == "upload":
        return gen.key[1]
    return _file_digest(*gen.key)


def run_folder(gen: LoadedGenerator) -> Path | None:
    """The run folder of a run's generator; None for the pretrained one and uploads."""
    if gen.key[0] == "upload":
        return None
    folder = Path(gen.key[0]).parent
    try:
        inside_runs = folder.resolve().parent == runs_dir().resolve()
    except OSError:
        return None
    return folder if inside_runs and (folder / CONFIG_FILE).is_file() else None


@st.cache_resource(
    max_entries=4,
    show_spinner=f"Finding this generator's principal directions (PCA of its first layer, {N_SAMPLES:,} samples)...",
)
def _directions(digest: str, latent: str, classes: int, _gen: LoadedGenerator) -> Directions | str:
    # Keyed by the file's digest and how it is sampled; the model's lock is held only while
    # it runs (about 0.2 s of the ~1.5 s). A one-line reason is cached when there are none.
    try:
        return discover(_gen.model, _gen.source, lock=_gen.lock)
    except DirectionsError as e:
        return f"No discovered directions for this generator: {e}."


def _slider_key(k: int) -> str:
    return f"latent_dir_{k}"


def _reset(count: int) -> None:
    for k in range(1, count + 1):
        st.session_state[_slider_key(k)] = 0.0


def _save(path: Path, number: int, key: str, digest: str) -> None:
    st.session_state.pop(_ERROR_KEY, None)
    try:
        save_name(path, number, st.session_state.get(key, ""), digest)
    except (NameRefused, OSError) as e:  # a disk error without the server's paths
        st.session_state[_ERROR_KEY] = f"Direction {number}'s name was not saved: {getattr(e, 'strerror', None) or e}."


def label(directions: Directions, names: dict[int, str], k: int) -> str:
    """A slider's label: "slant (direction 1, 9.2% of variance)", or "Direction 1 (9.2% of variance)"."""
    share = f"{directions.variance_share[k - 1]:.1%} of variance"
    return f"{plain(names[k])} (direction {k}, {share})" if k in names else f"Direction {k} ({share})"


def _name_box(path: Path, number: int, stored: str, digest: str) -> None:
    key = f"latent_dir_name_{digest[:16]}_{number}"
    seen = f"{key}:seen"
    if st.session_state.get(seen) != stored:  # someone saved a name since: show theirs
        st.session_state[key] = st.session_state[seen] = stored
    st.text_input(
        f"Name direction {number}",
        key=key,
        max_chars=NAME_MAX,
        placeholder="e.g. slant, thickness",
        on_change=_save,
        args=(path, number, key, digest),
        help="What does this direction do? Press Enter to save; everyone who opens this generator sees the name.",
    )


def _strip(gen: LoadedGenerator, directions: Directions, z: np.ndarray, k: int) -> np.ndarray:
    amounts = np.zeros((len(STRIP), directions.count))
    amounts[:, k - 1] = STRIP
    frames = np.stack([directions.move(z, a) for a in amounts])
    return upscale(image_grid(images(gen, f"direction-strip-{k}", frames), cols=len(STRIP)), 3)


def _result(gen: LoadedGenerator, z: np.ndarray, moved: np.ndarray, scale: int) -> bytes:
    before, after = images(gen, "direction-before", z), images(gen, "direction-after", moved)
    cols = 2 if len(z) == 1 else len(z)  # one cell: side by side; a row: above and below
    return png_bytes(upscale(image_grid(np.concatenate([before, after]), cols=cols), scale))


def _what_to_move(d: Directions, z: np.ndarray) -> tuple[int, int, np.ndarray]:
    """The section's top row: (directions shown, the cell shown in the strips, points to move)."""
    top = st.columns([2, 2, 1, 1], vertical_alignment="bottom")
    shown = d.count
    if d.count > SHOWN[0]:
        most, default = min(SHOWN[1], d.count), min(SHOWN[2], d.count)
        shown = top[0].slider("Directions shown", SHOWN[0], most, default, key="latent_dir_count")
    what = top[1].radio("Move", ["one cell", f"cells 1-{ROW}"], horizontal=True, key="latent_dir_what")
    with top[2]:
        chosen = cell("Cell", 1, "latent_dir_cell") if what == "one cell" else 1
    top[3].button("Reset sliders", on_click=_reset, args=(SHOWN[1],), key="latent_dir_reset")
    return shown, chosen, z[[chosen - 1]] if what == "one cell" else z[:ROW]


def _direction_rows(gen: LoadedGenerator, d: Directions, shown: int, point: np.ndarray, place: tuple) -> None:
    """One row per direction: its slider, its name box and its strip for `point`; `place` is
    (names file, {number: name}, generator digest)."""
    path, names, digest = place
    for k in range(1, shown + 1):
        slide, name, strip = st.columns([5, 3, 5], vertical_alignment="center")
        st.session_state.setdefault(_slider_key(k), 0.0)
        slide.slider(label(d, names, k), -REACH, REACH, step=STEP, key=_slider_key(k), format="%+.2f σ")
        with name:
            _name_box(path, k, names.get(k, ""), digest)
        strip.image(_strip(gen, d, point, k))


@st.fragment
def directions_section(gen: LoadedGenerator, z: np.ndarray) -> None:
    """The "Discovered directions" section for the samples `z` (16, input size) of the page."""
    st.subheader("Discovered directions")
    digest = generator_digest(gen)
    found = _directions(digest, gen.source.latent_distribution, gen.source.classes, gen)
    if isinstance(found, str):
        st.info(found)
        return
    d = found
    layer = d.layer.replace("`", "'")  # shown in a code span, where escapes do not work
    st.caption(
        f"The directions along which this generator's first layer varies most: PCA of "
        f"`{layer}` ({d.layer_features:,} features) over {d.samples:,} samples, mapped back to "
        "the latent space by linear regression (GANSpace, Härkönen et al. 2020). Direction 1 "
        "changes that layer the most. Slide to see what a direction does, then name it: "
        "everyone who opens this generator sees the names."
    )
    folder = run_folder(gen)
    path = names_path(digest, runs_dir(), folder)
    names, named_for = read_names(path)
    shown, chosen, points = _what_to_move(d, z)
    amounts = [float(st.session_state.get(_slider_key(k), 0.0)) for k in range(1, shown + 1)]
    one = len(points) == 1
    # One cell: its before/after pair beside the sliders; a row: the two rows above them.
    picture, controls = st.columns([1, 2], gap="large") if one else (st.container(), st.container())
    picture.image(
        _result(gen, points, d.move(points, amounts), 6 if one else 4),
        caption=(
            f"Cell {chosen}: as sampled (left) and moved (right)"
            if one
            else f"Cells 1-{ROW}: as sampled (top) and moved (bottom)"
        )
        + ("" if any(amounts) else " (all sliders at 0)"),
    )
    with controls:
        st.caption(
            f"Each strip: cell {chosen} moved along that direction alone, from {STRIP[0]:+.0f} to "
            f"{STRIP[-1]:+.0f} standard deviations (σ) of the latent along it."
        )
        _direction_rows(gen, d, shown, points[0], (path, names, digest))
    if _ERROR_KEY in st.session_state:
        st.error(st.session_state[_ERROR_KEY])
    if folder is not None and names and named_for not in (None, digest):
        st.caption(
            "These names were given when this run's generator was at an earlier epoch: "
            "its directions may have moved since."
        )
