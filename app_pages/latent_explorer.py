"""Latent explorer: samples, interpolations, 2-D walks, discovered directions, vector arithmetic
and the nearest real digit.

Registered by app.py under the title "Latent explorer"; also runs on its own with
`streamlit run app_pages/latent_explorer.py`. Loading and memoizing the generator's
pictures is ui/latent_view.py (a widget change costs one generator call: the one for the
picture it changes); the latent math is gan_core/generators/latent.py; the discovered
directions section is ui/directions_view.py.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from gan_core.data import DataError, load_images
from gan_core.generators import latent
from gan_core.generators.images import image_grid, png_bytes, upscale
from gan_core.generators.running import strip_and_gif
from ui.directions_view import directions_section
from ui.figures.latent import numbered_grid
from ui.latent_view import (
    EACH_CLASS,
    MAX_SEED,
    N_SAMPLES,
    LoadedGenerator,
    cell,
    choose_generator,
    class_choice,
    describe,
    images,
    memo,
    nearest_by_features,
)

GRID_COLS, SCALE = 4, 3
DIGIT_SHAPE = (28, 28, 1)
# Streamlit resamples (blurs) any picture wider than this; enlarge strips only up to it.
MAX_PICTURE_WIDTH = 1460
WHY_SPHERICAL = (
    "Spherical suits a Gaussian latent: in high dimension its samples live near a shell of "
    "radius sqrt(latent size), and straight-line midpoints fall inside that shell, where the "
    "generator saw few points during training."
)


def _next_seed() -> None:
    st.session_state.latent_seed = (int(st.session_state.latent_seed) + 1) % (MAX_SEED + 1)


def _new_directions() -> None:
    st.session_state.latent_direction_seed = st.session_state.get("latent_direction_seed", 0) + 1


def samples_section(gen: LoadedGenerator) -> tuple[np.ndarray, np.ndarray]:
    """Samples from a seed; returns their latent points (n, z) float32 and pictures (n, H, W, C) uint8."""
    st.subheader("Samples")
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    seed = int(left.number_input("Seed", min_value=0, max_value=MAX_SEED, step=1, key="latent_seed"))
    with middle:
        wanted = class_choice(gen.source, "Class", "latent_class")
    right.button("New samples", on_click=_next_seed)
    labels = None if wanted in (None, EACH_CLASS) else np.full(N_SAMPLES, wanted)
    z = gen.source.latent(seed, N_SAMPLES, labels)
    pictures = images(gen, "samples", z)
    st.image(
        png_bytes(numbered_grid(pictures, GRID_COLS, SCALE)),
        caption=f"Cells 1-{N_SAMPLES} for seed {seed}; the sections below refer to these numbers.",
    )
    return z, pictures


def interpolation_section(gen: LoadedGenerator, z: np.ndarray) -> None:
    """Linear or spherical interpolation between two of the samples (or two seeds): a strip and a GIF."""
    st.subheader("Interpolation")
    src = gen.source
    ends = st.radio("Between", ["two cells", "two seeds"], horizontal=True, key="latent_ends")
    left, right = st.columns(2)
    if ends == "two cells":
        with left:
            a = cell("From cell", 1, "latent_from_cell")
        with right:
            b = cell("To cell", 2, "latent_to_cell")
        z_a, z_b, label = z[a - 1], z[b - 1], f"cell {a} to cell {b}"
    else:
        sa = int(left.number_input("From seed", 0, MAX_SEED, 1, key="latent_from_seed"))
        sb = int(right.number_input("To seed", 0, MAX_SEED, 2, key="latent_to_seed"))
        with left:  # a conditional generator morphs one class into another along the way
            ca = class_choice(src, "From class", "latent_from_class", min(3, src.classes - 1), each=False)
        with right:
            cb = class_choice(src, "To class", "latent_to_class", min(8, src.classes - 1), each=False)
        z_a = src.latent(sa, 1, None if ca is None else [ca])[0]
        z_b = src.latent(sb, 1, None if cb is None else [cb])[0]
        label = f"seed {sa} to seed {sb}" + (f", class {ca} to class {cb}" if src.classes else "")
    steps = st.slider("Steps", 2, 32, 10, key="latent_steps")
    method = st.radio("Interpolation", ["linear", "spherical"], index=1, horizontal=True, key="latent_method")
    st.caption(WHY_SPHERICAL)
    spherical = method == "spherical"
    scale = max(1, min(SCALE, MAX_PICTURE_WIDTH // (steps * (src.image_shape[1] + 2))))
    strip, gif = memo(
        gen,
        f"strip-{steps}-{spherical}",
        np.stack([z_a, z_b]),
        lambda: strip_and_gif(gen.model, src, z_a, z_b, steps, spherical, scale),
    )
    st.image(strip, caption=f"{method.capitalize()} walk, {steps} frames, {label}")
    st.image(gif, caption="The walk as an animation")
    st.download_button("Download the walk (GIF)", gif, file_name="latent_walk.gif", mime="image/gif")


def walk_section(gen: LoadedGenerator, z: np.ndarray) -> None:
    """A 2-D walk around one latent point along two random or chosen directions, as a grid."""
    st.subheader("2-D walk")
    src = gen.source
    center = cell("Centre cell", 1, "latent_walk_center")
    mode = st.radio("Directions", ["random", "from one cell towards another"], horizontal=True, key="latent_walk_mode")
    dir_seed = st.session_state.get("latent_direction_seed", 0)
    if mode == "random":
        st.button("New directions", on_click=_new_directions)
        directions = latent.walk_directions(dir_seed, src.latent_dim, src.classes)
        across = "a random direction"
    else:
        left, right = st.columns(2)
        with left:
            p = cell("From cell", 1, "latent_walk_from")
        with right:
            q = cell("Towards cell", 2, "latent_walk_to")
        toward = z[q - 1] - z[p - 1]
        if p == q or not np.any(toward):
            st.info("Pick two different cells to walk from one towards the other.")
            return
        directions = latent.walk_directions(dir_seed, src.latent_dim, src.classes, toward=toward)
        across = f"cell {p} towards cell {q} ({np.linalg.norm(toward):.1f} latent units apart)"
    left, right = st.columns(2)
    step = left.slider(
        "Step size",
        0.1,
        4.0,
        1.0,
        0.1,
        key="latent_walk_step",
        help="Latent units per cell; the directions have length 1.",
    )
    n = right.slider("Grid size", 3, 9, 7, 2, key="latent_walk_size")
    grid_z = latent.walk_2d(z[center - 1], directions[0], directions[1], step, n).reshape(n * n, -1)
    st.image(
        png_bytes(upscale(image_grid(images(gen, "walk", grid_z), cols=n), 2)),
        caption=f"Centre: cell {center}. Across: {across}; down: a random direction at right angles.",
    )


def arithmetic_section(gen: LoadedGenerator, z: np.ndarray, pictures: np.ndarray) -> None:
    """Vector arithmetic on latent points (a - b + c) with the pictures it draws."""
    st.subheader("Vector arithmetic")
    st.caption(
        "Result = mean(A) - mean(B) + mean(C). Averaging a few cells per group keeps what they "
        "share: e.g. A = thick 7s, B = thin 7s, C = thin 1s gives a thick 1."
    )
    groups = {
        name: col.multiselect(f"{name} cells", range(1, N_SAMPLES + 1), default=[default], key=f"latent_arith_{name}")
        for col, name, default in zip(st.columns(3), "ABC", (1, 2, 3))
    }
    if not all(groups.values()):
        st.info("Choose at least one cell for each of A, B and C.")
        return
    points = [z[[i - 1 for i in groups[name]]] for name in "ABC"]
    out = images(gen, "arithmetic", np.stack([*(p.mean(axis=0) for p in points), latent.vector_arithmetic(*points)]))
    for col, title, pic, name in zip(st.columns(4), ("mean(A)", "- mean(B)", "+ mean(C)", "= result"), out, "ABC "):
        col.image(png_bytes(upscale(pic, 4)), caption=title)
        if name.strip():
            chosen = pictures[[i - 1 for i in groups[name]]]
            col.image(
                png_bytes(upscale(image_grid(chosen, cols=min(4, len(chosen))), 2)),
                caption=f"{name}: cells {', '.join(map(str, groups[name]))}",
            )


def nearest_real_section(gen: LoadedGenerator, pictures: np.ndarray) -> None:
    """For a chosen sample, the nearest real training images (a memorization check)."""
    st.subheader("Nearest real image")
    if tuple(gen.source.image_shape) != DIGIT_SHAPE:
        st.info(
            "Not available for this generator: the real images to compare with are the embedded "
            "28x28 digits, and it makes images of another size."
        )
        return
    try:
        reals = load_images("mnist-5k")
    except DataError as e:
        st.info(f"Not available: {e}")
        return
    left, right = st.columns(2)
    with left:
        chosen = cell("Sample cell", 1, "latent_nearest_cell")
    by = right.radio(
        "Compare",
        ["pixels", "classifier features"],
        horizontal=True,
        key="latent_nearest_by",
        help="Classifier features compare what the digit classifier sees (shape, stroke), not exact pixel positions.",
    )
    sample = pictures[chosen - 1 : chosen]
    found = (
        memo(gen, "nearest-features", sample, lambda: nearest_by_features(sample, reals.images))
        if by != "pixels"
        else None
    )
    if found is None:
        by = "pixels"
        found = memo(gen, "nearest-pixels", sample, lambda: latent.nearest_real(sample, reals.images))
    idx, dist = found
    left, right, _ = st.columns([1, 1, 2])
    left.image(png_bytes(upscale(pictures[chosen - 1], 5)), caption=f"Sample, cell {chosen}")
    label = f", a {reals.labels[idx[0]]}" if reals.labels is not None else ""
    right.image(
        png_bytes(upscale(reals.images[idx[0]], 5)),
        caption=f"Nearest real digit #{idx[0]}{label}: {by} distance {dist[0]:.2f}",
    )
    space = "pixels scaled to [0, 1]" if by == "pixels" else "the digit classifier's features"
    st.caption(
        f"Distance: Euclidean, over {space}, against 5,000 real digits. Near 0 would mean the "
        "generator copies a training image; a new digit close to a real one is what we want."
    )


def render() -> None:
    """The page top-down: choose a generator, then every section on it."""
    st.title("Latent explorer")
    gen = choose_generator()
    if gen is None:
        return
    describe(gen.source)
    z, pictures = samples_section(gen)
    interpolation_section(gen, z)
    walk_section(gen, z)
    directions_section(gen, z)
    arithmetic_section(gen, z, pictures)
    nearest_real_section(gen, pictures)


render()
