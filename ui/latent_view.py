"""The Latent explorer's Streamlit side: loading the chosen generator once per server,
memoizing its pictures per session, and the small widgets every section shares.

A generator is loaded in `st.cache_resource` (shared by every session, so calls on it hold
its lock); each picture is memoized in the session keyed by (weights, kind, latent
points), so a widget change costs one generator call: the one for the picture it changes.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import streamlit as st

from gan_core.data import load_images
from gan_core.generators import latent
from gan_core.generators.output_range import range_text
from gan_core.generators.running import generate
from gan_core.generators.source import (
    GeneratorError,
    GeneratorSource,
    list_run_sources,
    load_generator,
    load_uploaded_generator,
    pretrained_source,
)
from ui.kept_upload import keep_choice, kept_upload, restore_choice
from ui.session import may_see_run, trainer_pool, uploads_allowed

N_SAMPLES = 16  # cells of the sample grid, numbered 1..16 for the other sections
MAX_SEED = 2**31 - 1  # the largest seed numpy's default_rng takes as a 32-bit int
EACH_CLASS = "each in turn"
PRETRAINED, UPLOAD = "Pretrained generator", "Upload a .keras file"
_MEMO_KEY, _MEMO_SIZE = "latent_explorer_memo", 32
# While the chosen run still trains, the page tells the pool this often that someone watches it
# (well inside the idle janitor's GAN_LAB_IDLE_SECONDS).
WATCH_SECONDS = 10.0


@dataclass(frozen=True)
class LoadedGenerator:
    """A generator loaded for the explorer: the Keras model, its source (latent size and
    distribution, classes, image shape, output range), a key naming its weights ((path,
    mtime) or ("upload", SHA-256 hex)) and the lock every call on the shared model holds."""

    model: object
    source: GeneratorSource
    key: tuple
    lock: threading.Lock


@st.cache_resource(max_entries=4, show_spinner="Loading the generator...")
def _load_file(path: str, mtime: float, _source: GeneratorSource) -> LoadedGenerator:
    # Keyed by mtime: a run that is still training rewrites its file every epoch.
    model, source = load_generator(_source)
    return LoadedGenerator(model, source, (path, mtime), threading.Lock())


@st.cache_resource(max_entries=2, show_spinner="Loading the uploaded generator...")
def _load_upload(digest: str, _data: bytes, filename: str) -> LoadedGenerator | str:
    # A refusal (its one line) is kept too: the file is not checked again at every rerun.
    # The archive is read in a bounded worker process; see load_uploaded_generator.
    try:
        model, source = load_uploaded_generator(_data, filename)
    except GeneratorError as e:
        return str(e)
    return LoadedGenerator(model, source, ("upload", digest), threading.Lock())


def memo(gen: LoadedGenerator, what: str, z: np.ndarray, compute: Callable[[], object]):
    """`compute()` once per (generator, picture kind `what`, input array `z`) in this session,
    holding the generator's lock; the newest 32 results are kept, a None result is not."""
    store = st.session_state.setdefault(_MEMO_KEY, {})
    key = (gen.key, what, z.shape, hashlib.sha1(np.ascontiguousarray(z).tobytes()).hexdigest())
    if key in store:
        return store[key]
    with gen.lock:
        result = compute()
    if result is not None:
        while len(store) >= _MEMO_SIZE:
            store.pop(next(iter(store)))
        store[key] = result
    return result


def images(gen: LoadedGenerator, what: str, z: np.ndarray) -> np.ndarray:
    """uint8 images (n, H, W, C) the generator draws for latent points z (n, dim), memoized."""
    return memo(gen, what, z, lambda: generate(gen.model, z, gen.source.pixel_range))


def choose_generator() -> LoadedGenerator | None:
    """The "Generator" select (pretrained, each run newest first, an upload) and the chosen
    generator loaded; None, after a one-line warning or error, when there is none to use."""
    runs = {f"Run {s.name}": s for s in list_run_sources() if may_see_run(s.path.parent)}
    options = [PRETRAINED, *runs, *([UPLOAD] if uploads_allowed() else [])]
    restore_choice("latent_generator", options)  # a page switch drops the widget's value
    choice = st.selectbox(
        "Generator",
        options,
        key="latent_generator",
        help="Runs are listed newest first. A run that is still training is reloaded "
        "when its generator file changes (after each epoch).",
    )
    keep_choice("latent_generator")
    try:
        if choice == UPLOAD:
            upload = kept_upload("Generator file (.keras)", ["keras"], key="latent_upload")
            if upload is None:
                st.info("Upload a Keras generator: (batch, latent size) in, (batch, H, W, 1 or 3) out.")
                return None
            loaded = _load_upload(upload.digest, upload.data, upload.name)
            if isinstance(loaded, str):
                raise GeneratorError(loaded)
            return loaded
        source = runs[choice] if choice in runs else pretrained_source()
        if choice in runs:
            watch_run(source.path.parent)
        return _load_file(str(source.path), source.mtime, source)
    except GeneratorError as e:
        if choice == PRETRAINED:
            hint = " Runs that have a generator are in the list above." if runs else ""
            st.warning(f"{str(e)[:1].upper()}{str(e)[1:]}.{hint}")
        else:
            st.error(str(e))
        return None


def watch_run(folder: Path) -> None:
    """A run still training keeps its trainer while this page shows it: the idle janitor stops
    only jobs that no page shows."""
    if trainer_pool().touch_run(folder):
        _still_training(str(folder))


@st.fragment(run_every=WATCH_SECONDS)
def _still_training(folder: str) -> None:
    if trainer_pool().touch_run(folder):
        st.caption("This run is still training: choose it again after an epoch for its newest generator.")


def source_caption(source: GeneratorSource) -> str:
    """One line on what the generator takes and makes, e.g. "Pretrained: latent size 100,
    gaussian latent, 28x28x1 images, output in [-1, 1] (tanh)."."""
    h, w, c = source.image_shape
    scale = {(-1.0, 1.0): "[-1, 1] (tanh)", (0.0, 1.0): "[0, 1] (sigmoid)"}.get(
        tuple(source.pixel_range), range_text(source.pixel_range)
    )
    conditional = (
        f", then a one-hot code for {source.classes} classes (trained with labels, or with look-alike "
        "clusters as labels: it draws the class you ask for)"
        if source.classes
        else ""
    )
    return (
        f"{source.name}: latent size {source.latent_dim}, {source.latent_distribution} latent"
        f"{conditional}, {h}x{w}x{c} images, output in {scale}."
    )


def describe(source: GeneratorSource) -> None:
    """The source's caption and one note per assumption made while loading it."""
    st.caption(source_caption(source))
    for note in source.assumptions:
        st.info(f"Assumed: {note}.")


def class_choice(src: GeneratorSource, label: str, key: str, default=EACH_CLASS, each: bool = True):
    """A class picker (0..classes-1, and "each in turn" when `each`) for a generator trained
    with labels; None when it has no classes."""
    if not src.classes:
        return None
    options = ([EACH_CLASS] if each else []) + list(range(src.classes))
    return st.selectbox(
        label,
        options,
        index=options.index(default),
        key=key,
        help="This generator was trained with labels (or, with self-conditioning, with clusters of "
        "look-alike images as labels) and draws the class it is asked for. "
        "'Each in turn' asks cell by cell for 0, 1, 2, ...",
    )


def cell(label: str, default: int, key: str) -> int:
    """A select of one sample cell, 1..N_SAMPLES."""
    return int(st.selectbox(label, range(1, N_SAMPLES + 1), index=default - 1, key=key))


@st.cache_resource(max_entries=1, show_spinner="Loading the digit classifier and the real digits' features...")
def _real_digit_features(classifier_path: str):
    """(classifier, features of the 5,000 real digits), once per cached classifier file."""
    from gan_core.metrics import get_classifier  # the metrics' classifier; trains once if not cached

    classifier = get_classifier()
    return classifier, classifier.features_and_probabilities(load_images("mnist-5k").images)[0]


def nearest_by_features(sample: np.ndarray, reals: np.ndarray):
    """(indices, distances) of the real digit nearest to `sample` (1, 28, 28, 1) uint8 in
    the digit classifier's feature space, or None (after a one-line note) when the
    classifier is not available; any failure falls back to pixels."""
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
