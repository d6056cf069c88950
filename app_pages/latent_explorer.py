"""Latent explorer: samples, interpolations, 2-D walks, vector arithmetic and the nearest real digit.

Registered by app.py under the title "Latent explorer"; also runs on its own with
`streamlit run app_pages/latent_explorer.py`. Every picture is memoized per session, so a
widget change costs one generator call: the one for the picture it changes.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw, ImageFont

# Run on its own, Streamlit puts only app_pages/ on the import path.

from gan_core.generators import latent  # noqa: E402
from gan_core.data import DataError, load_images  # noqa: E402
from gan_core.generators.source import (GeneratorError, GeneratorSource, generate,  # noqa: E402
                                       interpolation_strip, list_run_sources, load_generator,
                                       load_uploaded_generator, pretrained_source)
from gan_core.generators.images import gif_bytes, image_grid, png_bytes, upscale  # noqa: E402
from gan_core.training.pool import shared_pool  # noqa: E402
from gan_core.generators.output_range import range_text  # noqa: E402
from ui.kept_upload import keep_choice, kept_upload, restore_choice  # noqa: E402

N_SAMPLES, GRID_COLS, SCALE = 16, 4, 3
MAX_SEED = 2**31 - 1
DIGIT_SHAPE = (28, 28, 1)
_MEMO_KEY, _MEMO_SIZE = "latent_explorer_memo", 32
# Streamlit resamples (blurs) any picture wider than this; enlarge strips only up to it.
MAX_PICTURE_WIDTH = 1460
# While the chosen run still trains, the page tells the pool this often that someone watches it
# (well inside the idle janitor's GAN_LAB_IDLE_SECONDS).
WATCH_SECONDS = 10.0
WHY_SPHERICAL = ("Spherical suits a Gaussian latent: in high dimension its samples live near a shell of "
                 "radius sqrt(latent size), and straight-line midpoints fall inside that shell, where the "
                 "generator saw few points during training.")


@dataclass(frozen=True)
class LoadedGenerator:
    model: object
    source: GeneratorSource
    key: tuple                 # identifies the weights: (path, mtime) or the upload's digest
    lock: threading.Lock       # cached models are shared by all sessions


@st.cache_resource(max_entries=4, show_spinner="Loading the generator...")
def _load_file(path: str, mtime: float, _source: GeneratorSource) -> LoadedGenerator:
    # Keyed by mtime: a run that is still training rewrites its file every epoch.
    model, source = load_generator(_source)
    return LoadedGenerator(model, source, (path, mtime), threading.Lock())


@st.cache_resource(max_entries=2, show_spinner="Loading the uploaded generator...")
def _load_upload(digest: str, _data: bytes, filename: str) -> LoadedGenerator:
    model, source = load_uploaded_generator(_data, filename)
    return LoadedGenerator(model, source, ("upload", digest), threading.Lock())


def _memo(gen: LoadedGenerator, what: str, z: np.ndarray, compute):
    """compute() once per (generator, picture kind, input array) in this session; None is not kept."""
    memo = st.session_state.setdefault(_MEMO_KEY, {})
    key = (gen.key, what, z.shape, hashlib.sha1(np.ascontiguousarray(z).tobytes()).hexdigest())
    if key in memo:
        return memo[key]
    with gen.lock:
        result = compute()
    if result is not None:
        while len(memo) >= _MEMO_SIZE:
            memo.pop(next(iter(memo)))
        memo[key] = result
    return result


def _images(gen: LoadedGenerator, what: str, z: np.ndarray) -> np.ndarray:
    return _memo(gen, what, z, lambda: generate(gen.model, z, gen.source.pixel_range))


def numbered_grid(images: np.ndarray, cols: int, scale: int) -> np.ndarray:
    """The images tiled and enlarged, each cell numbered from 1 in its top-left corner."""
    pad = 2
    picture = Image.fromarray(upscale(image_grid(images, cols=cols, pad=pad), scale)[..., :3]
                              .squeeze()).convert("RGB")
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default(size=max(10, 4 * scale))
    h, w = images.shape[1:3]
    for i in range(len(images)):
        r, c = divmod(i, cols)
        x, y = (pad + c * (w + pad)) * scale, (pad + r * (h + pad)) * scale
        draw.text((x + 2, y + 1), str(i + 1), fill=(255, 210, 0), font=font)
    return np.asarray(picture)


# -- choosing the generator -------------------------------------------------------------

def choose_generator() -> LoadedGenerator | None:
    runs = {f"Run {s.name}": s for s in list_run_sources()}
    options = ["Pretrained generator", *runs, "Upload a .keras file"]
    restore_choice("latent_generator", options)      # a page switch drops the widget's value
    choice = st.selectbox("Generator", options, key="latent_generator",
                          help="Runs are listed newest first. A run that is still training is reloaded "
                               "when its generator file changes (after each epoch).")
    keep_choice("latent_generator")
    try:
        if choice == "Upload a .keras file":
            upload = kept_upload("Generator file (.keras)", ["keras"], key="latent_upload")
            if upload is None:
                st.info("Upload a Keras generator: (batch, latent size) in, (batch, H, W, 1 or 3) out.")
                return None
            return _load_upload(upload.digest, upload.data, upload.name)
        source = runs[choice] if choice in runs else pretrained_source()
        if choice in runs:
            watch_run(source.path.parent)
        return _load_file(str(source.path), source.mtime, source)
    except GeneratorError as e:
        if choice == "Pretrained generator":
            hint = " Runs that have a generator are in the list above." if runs else ""
            st.warning(f"{str(e)[:1].upper()}{str(e)[1:]}.{hint}")
        else:
            st.error(str(e))
        return None


def watch_run(folder: Path) -> None:
    """A run still training keeps its trainer while this page shows it: the idle janitor stops
    only jobs that no page shows."""
    if shared_pool().touch_run(folder):
        _still_training(str(folder))


@st.fragment(run_every=WATCH_SECONDS)
def _still_training(folder: str) -> None:
    if shared_pool().touch_run(folder):
        st.caption("This run is still training: choose it again after an epoch for its newest generator.")


def describe(source: GeneratorSource) -> None:
    h, w, c = source.image_shape
    scale = {(-1.0, 1.0): "[-1, 1] (tanh)", (0.0, 1.0): "[0, 1] (sigmoid)"}.get(
        tuple(source.pixel_range), range_text(source.pixel_range))
    conditional = (f", then a one-hot code for {source.classes} classes (trained with labels: "
                   f"it draws the class you ask for)" if source.classes else "")
    st.caption(f"{source.name}: latent size {source.latent_dim}, {source.latent_distribution} latent"
               f"{conditional}, {h}x{w}x{c} images, output in {scale}.")
    for note in source.assumptions:
        st.info(f"Assumed: {note}.")


# -- sections ---------------------------------------------------------------------------

def _next_seed() -> None:
    st.session_state.latent_seed = (int(st.session_state.latent_seed) + 1) % (MAX_SEED + 1)


EACH_CLASS = "each in turn"


def _class_choice(src: GeneratorSource, label: str, key: str, default=EACH_CLASS, each: bool = True):
    """A class picker for a generator trained with labels; None when it has no classes."""
    if not src.classes:
        return None
    options = ([EACH_CLASS] if each else []) + list(range(src.classes))
    return st.selectbox(label, options, index=options.index(default), key=key,
                        help="This generator was trained with labels and draws the class it is asked for. "
                             "'Each in turn' asks cell by cell for 0, 1, 2, ...")


def samples_section(gen: LoadedGenerator):
    st.subheader("Samples")
    src = gen.source
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    seed = int(left.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key="latent_seed"))
    with middle:
        wanted = _class_choice(src, "Class", "latent_class")
    right.button("New samples", on_click=_next_seed)
    labels = None if wanted in (None, EACH_CLASS) else np.full(N_SAMPLES, wanted)
    z = src.latent(seed, N_SAMPLES, labels)
    images = _images(gen, "samples", z)
    st.image(png_bytes(numbered_grid(images, GRID_COLS, SCALE)),
             caption=f"Cells 1-{N_SAMPLES} for seed {seed}; the sections below refer to these numbers.")
    return z, images


def _cell(label: str, default: int, key: str) -> int:
    return int(st.selectbox(label, range(1, N_SAMPLES + 1), index=default - 1, key=key))


def interpolation_section(gen: LoadedGenerator, z: np.ndarray) -> None:
    st.subheader("Interpolation")
    src = gen.source
    ends = st.radio("Between", ["two cells", "two seeds"], horizontal=True, key="latent_ends")
    left, right = st.columns(2)
    if ends == "two cells":
        with left:
            a = _cell("From cell", 1, "latent_from_cell")
        with right:
            b = _cell("To cell", 2, "latent_to_cell")
        z_a, z_b, label = z[a - 1], z[b - 1], f"cell {a} to cell {b}"
    else:
        sa = int(left.number_input("From seed", 0, MAX_SEED, 1, key="latent_from_seed"))
        sb = int(right.number_input("To seed", 0, MAX_SEED, 2, key="latent_to_seed"))
        with left:   # a conditional generator morphs one class into another along the way
            ca = _class_choice(src, "From class", "latent_from_class", min(3, src.classes - 1), each=False)
        with right:
            cb = _class_choice(src, "To class", "latent_to_class", min(8, src.classes - 1), each=False)
        z_a = src.latent(sa, 1, None if ca is None else [ca])[0]
        z_b = src.latent(sb, 1, None if cb is None else [cb])[0]
        label = f"seed {sa} to seed {sb}" + (f", class {ca} to class {cb}" if src.classes else "")
    steps = st.slider("Steps", 2, 32, 10, key="latent_steps")
    method = st.radio("Interpolation", ["linear", "spherical"], index=1, horizontal=True, key="latent_method")
    st.caption(WHY_SPHERICAL)
    spherical = method == "spherical"
    scale = max(1, min(SCALE, MAX_PICTURE_WIDTH // (steps * (src.image_shape[1] + 2))))

    def strip_and_gif() -> tuple[bytes, bytes]:
        frames, strip = interpolation_strip(gen.model, src, z_a, z_b, steps, spherical, scale)
        looped = [upscale(f, 4) for f in [*frames, *frames[-2:0:-1]]]  # there and back: a seamless loop
        return png_bytes(strip), gif_bytes(looped, frame_ms=120)

    strip, gif = _memo(gen, f"strip-{steps}-{spherical}", np.stack([z_a, z_b]), strip_and_gif)
    st.image(strip, caption=f"{method.capitalize()} walk, {steps} frames, {label}")
    st.image(gif, caption="The walk as an animation")
    st.download_button("Download the walk (GIF)", gif, file_name="latent_walk.gif", mime="image/gif")


def _new_directions() -> None:
    st.session_state.latent_direction_seed = st.session_state.get("latent_direction_seed", 0) + 1


def walk_section(gen: LoadedGenerator, z: np.ndarray) -> None:
    st.subheader("2-D walk")
    src = gen.source
    center = _cell("Centre cell", 1, "latent_walk_center")
    mode = st.radio("Directions", ["random", "from one cell towards another"], horizontal=True,
                    key="latent_walk_mode")
    dir_seed = st.session_state.get("latent_direction_seed", 0)
    if mode == "random":
        st.button("New directions", on_click=_new_directions)
        # Random directions move z only: a conditional generator keeps each cell's class.
        directions = np.pad(latent.random_directions(dir_seed, src.latent_dim, 2), ((0, 0), (0, src.classes)))
        across = "a random direction"
    else:
        left, right = st.columns(2)
        with left:
            p = _cell("From cell", 1, "latent_walk_from")
        with right:
            q = _cell("Towards cell", 2, "latent_walk_to")
        toward = z[q - 1] - z[p - 1]
        if p == q or not np.any(toward):
            st.info("Pick two different cells to walk from one towards the other.")
            return
        directions = latent.random_directions(dir_seed, len(toward), 2, first=toward)
        across = f"cell {p} towards cell {q} ({np.linalg.norm(toward):.1f} latent units apart)"
    left, right = st.columns(2)
    step = left.slider("Step size", 0.1, 4.0, 1.0, 0.1, key="latent_walk_step",
                       help="Latent units per cell; the directions have length 1.")
    n = right.slider("Grid size", 3, 9, 7, 2, key="latent_walk_size")
    grid_z = latent.walk_2d(z[center - 1], directions[0], directions[1], step, n).reshape(n * n, -1)
    images = _images(gen, "walk", grid_z)
    st.image(png_bytes(upscale(image_grid(images, cols=n), 2)),
             caption=f"Centre: cell {center}. Across: {across}; down: a random direction at right angles.")


def arithmetic_section(gen: LoadedGenerator, z: np.ndarray, images: np.ndarray) -> None:
    st.subheader("Vector arithmetic")
    st.caption("Result = mean(A) - mean(B) + mean(C). Averaging a few cells per group keeps what they "
               "share: e.g. A = thick 7s, B = thin 7s, C = thin 1s gives a thick 1.")
    cols = st.columns(3)
    groups = {}
    for col, name, default in zip(cols, "ABC", (1, 2, 3)):
        groups[name] = col.multiselect(f"{name} cells", range(1, N_SAMPLES + 1), default=[default],
                                       key=f"latent_arith_{name}")
    if not all(groups.values()):
        st.info("Choose at least one cell for each of A, B and C.")
        return
    means = [z[[i - 1 for i in groups[name]]].mean(axis=0) for name in "ABC"]
    result = latent.vector_arithmetic(*(z[[i - 1 for i in groups[name]]] for name in "ABC"))
    out = _images(gen, "arithmetic", np.stack([*means, result]))
    shown = st.columns(4)
    for col, title, pic, name in zip(shown, ("mean(A)", "- mean(B)", "+ mean(C)", "= result"), out, "ABC "):
        col.image(png_bytes(upscale(pic, 4)), caption=title)
        if name.strip():
            chosen = images[[i - 1 for i in groups[name]]]
            col.image(png_bytes(upscale(image_grid(chosen, cols=min(4, len(chosen))), 2)),
                      caption=f"{name}: cells {', '.join(map(str, groups[name]))}")


@st.cache_resource(max_entries=1, show_spinner="Loading the digit classifier and the real digits' features...")
def _real_digit_features(classifier_path: str):
    """(classifier, features of the 5,000 real digits), once per cached classifier file."""
    from gan_core.metrics import get_classifier  # the metrics' classifier; trains once if not cached

    classifier = get_classifier()
    return classifier, classifier.features_and_probabilities(load_images("mnist-5k").images)[0]


def _nearest_by_features(sample: np.ndarray, reals: np.ndarray):
    """Nearest real digit in the digit classifier's feature space, or None when it is not available."""
    try:
        from gan_core.metrics import classifier_cache_path

        path = classifier_cache_path()
        if not path.is_file():
            st.caption("The digit classifier is trained once (about a minute) and then cached.")
        classifier, real_features = _real_digit_features(str(path))
        features = classifier.features_and_probabilities(sample)[0]
        return latent.nearest_real(sample, reals, "features", features, real_features)
    except Exception as e:  # optional extra: any failure falls back to pixels, in one line
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        st.info(f"Classifier features are not available ({reason}); comparing pixels instead.")
        return None


def nearest_real_section(gen: LoadedGenerator, images: np.ndarray) -> None:
    st.subheader("Nearest real image")
    if tuple(gen.source.image_shape) != DIGIT_SHAPE:
        st.info("Not available for this generator: the real images to compare with are the embedded "
                "28x28 digits, and it makes images of another size.")
        return
    try:
        reals = load_images("mnist-5k")
    except DataError as e:
        st.info(f"Not available: {e}")
        return
    left, right = st.columns(2)
    with left:
        cell = _cell("Sample cell", 1, "latent_nearest_cell")
    by = right.radio("Compare", ["pixels", "classifier features"], horizontal=True, key="latent_nearest_by",
                     help="Classifier features compare what the digit classifier sees (shape, stroke), "
                          "not exact pixel positions.")
    sample = images[cell - 1:cell]
    found = _memo(gen, "nearest-features", sample,
                  lambda: _nearest_by_features(sample, reals.images)) if by != "pixels" else None
    if found is None:
        by = "pixels"
        found = _memo(gen, "nearest-pixels", sample, lambda: latent.nearest_real(sample, reals.images))
    idx, dist = found
    left, right, _ = st.columns([1, 1, 2])
    left.image(png_bytes(upscale(images[cell - 1], 5)), caption=f"Sample, cell {cell}")
    label = f", a {reals.labels[idx[0]]}" if reals.labels is not None else ""
    right.image(png_bytes(upscale(reals.images[idx[0]], 5)),
                caption=f"Nearest real digit #{idx[0]}{label}: {by} distance {dist[0]:.2f}")
    space = "pixels scaled to [0, 1]" if by == "pixels" else "the digit classifier's features"
    st.caption(f"Distance: Euclidean, over {space}, against 5,000 real digits. Near 0 would mean the "
               "generator copies a training image; a new digit close to a real one is what we want.")


def render() -> None:
    st.title("Latent explorer")
    gen = choose_generator()
    if gen is None:
        return
    describe(gen.source)
    z, images = samples_section(gen)
    interpolation_section(gen, z)
    walk_section(gen, z)
    arithmetic_section(gen, z, images)
    nearest_real_section(gen, images)


render()
