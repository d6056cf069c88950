"""Discovered directions: the principal directions of a generator's latent space, found from
its own early activations as GANSpace does (Härkönen et al. 2020, "GANSpace: Discovering
Interpretable GAN Controls", §3.1, their recipe for BigGAN, whose latent is not StyleGAN's W).

1. Sample N latent points z_j (seeded) and run the generator up to an early layer:
   y_j = G_early(z_j), flattened.
2. PCA of the y_j: the directions along which that layer's activations vary most.
3. Map the principal components back to latent space by linear regression: the V that
   minimizes sum_j ||V x_j - z_j||^2, with x_j the PCA coordinates of y_j. Column k of V,
   normalized, is latent direction k.

A step along direction k is measured in standard deviations of the sampled z along it
(GANSpace's `lat_stdev`: 1 for a Gaussian latent, about 0.58 for U[-1, 1]), so a slider
from -3 to 3 spans the latent distribution's own range whatever it is.

A class-conditional generator (the last inputs one-hot, see source.py) is sampled with its
classes in turn and each class's mean activation is subtracted before the PCA: GANSpace
computed BigGAN's components for one class at a time; pooling the within-class variation
gives one set of directions for every class. Directions live in the noise part of the
input only (the class code is never moved).

Numpy, scikit-learn and the loaded Keras model; no plotting, no Streamlit.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import numpy as np

# Latent points for the PCA. A few thousand: for the shipped generator, seeds 0 and 1 agree on
# directions 1-4 to |cos| > 0.88 (the later ones, with near-equal variances, mix more), and the
# whole discovery costs about 1.5 CPU-seconds.
N_SAMPLES = 4000
MAX_COMPONENTS = 10  # the page shows 5 to 10 sliders
MAX_FEATURES = 4096  # the PCA sees at most this many of the layer's features (a seeded subset)
DEFAULT_SEED = 0
BATCH = 500  # latent points per model call (one traced shape); fewer for a very wide layer
MAX_BATCH_FLOATS = 8_000_000  # 32 MB of float32 activations per model call at most
# A wider early layer (an uploaded oddity) would cost minutes of model calls: refused first.
MAX_LAYER_FEATURES = 1 << 20
# Layers that act on each feature separately: the seed's normalization and nonlinearity.
_PER_FEATURE = {
    "BatchNormalization",
    "LayerNormalization",
    "Activation",
    "ReLU",
    "LeakyReLU",
    "FusableLeakyReLU",
    "PReLU",
    "ELU",
}


class DirectionsError(ValueError):
    """No directions can be found for this generator; the message is one line a user can act on."""


@dataclass(frozen=True)
class Directions:
    """Discovered latent directions of one generator.

    `vectors` (K, latent_dim) float32: unit rows, direction 1 first (the most variance of the
    early layer). `sigmas` (K,) float32: standard deviation of the sampled z along each
    direction, in latent units. `variance_share` (K,) float64 in [0, 1]: the share of the
    layer's (within-class) activation variance each principal component explains, decreasing.
    `layer` names the Keras layer whose output was analysed; `layer_features` is its size and
    `features` how many of them the PCA saw; `samples` and `seed` say how z was drawn;
    `classes` is the size of the class code after z (0: unconditional).
    """

    vectors: np.ndarray
    sigmas: np.ndarray
    variance_share: np.ndarray
    layer: str
    layer_features: int
    features: int
    samples: int
    seed: int
    classes: int = 0

    @property
    def count(self) -> int:
        """How many directions there are (K)."""
        return len(self.vectors)

    def move(self, z, amounts) -> np.ndarray:
        """z' = z + sum_k amounts[k] * sigmas[k] * vectors[k] on the noise part of each point.

        `z` (n, latent_dim + classes) or one point (latent_dim + classes,); `amounts` (K,) in
        standard deviations (e.g. -3..3; shorter is padded with zeros). Returns float32 of z's
        shape; the class code is left as it is. Raises ValueError for a wrong size.
        """
        z = np.asarray(z, dtype=np.float32)
        one = z.ndim == 1
        points = z[None, :] if one else z
        dim = self.vectors.shape[1]
        if points.ndim != 2 or points.shape[1] != dim + self.classes:
            raise ValueError(f"latent points must have {dim + self.classes} entries, got shape {z.shape}")
        amounts = np.asarray(amounts, dtype=np.float64).reshape(-1)
        if amounts.size > self.count or not np.all(np.isfinite(amounts)):
            raise ValueError(f"need at most {self.count} finite amounts, got {amounts.size}")
        step = (np.pad(amounts, (0, self.count - amounts.size)) * self.sigmas) @ self.vectors
        moved = points.copy()
        moved[:, :dim] += step.astype(np.float32)
        return moved[0] if one else moved


def early_layer(model):
    """The layer whose output the PCA reads: the generator's dense (or first) seed layer, after
    the per-feature layers that follow it (its batch norm and nonlinearity).

    Why there: GANSpace reads BigGAN at its first linear layer (`generator.gen_z`), the
    earliest place where z has become the network's own features. In a DCGAN that layer is
    followed by batch norm, which rescales each feature to what the next layer sees; PCA of
    the raw Dense output would rank features by scales the batch norm undoes. So the tensor
    the first upsampling layer reads (reshaped) is analysed. Rule: the first layer with
    weights; then each following layer that acts on features one by one and reads only the
    previous one. A model with no layer with weights is read at its output.
    """
    layers = [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]
    first = next((i for i, layer in enumerate(layers) if layer.weights), None)
    if first is None:
        return layers[-1] if layers else None
    chosen = layers[first]
    for layer in layers[first + 1 :]:
        if type(layer).__name__ not in _PER_FEATURE or not _reads_only(layer, chosen):
            break
        chosen = layer
    return chosen


def _reads_only(layer, previous) -> bool:
    try:
        return layer.input is previous.output
    except (AttributeError, ValueError):  # a layer called more than once has no single input
        return False


def layer_features(model, z, layer=None, max_features: int = MAX_FEATURES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """Activations of `layer` (default early_layer(model)) for latent points z (N, input size):
    (N, F) float32, flattened, F at most `max_features` (a seeded subset of the layer's
    features when it has more, the same subset for every point).

    The model is called in batches of BATCH points (fewer for a very wide layer, so one call
    holds at most MAX_BATCH_FLOATS activations), each padded to the same shape so Keras
    traces once. Raises DirectionsError when the layer cannot be read on its own or has more
    than MAX_LAYER_FEATURES features (checked before any model call).
    """
    import keras  # deferred: importing this module must not load TensorFlow

    layer = early_layer(model) if layer is None else layer
    if layer is None:
        raise DirectionsError("this generator has no layers to read")
    try:
        partial = keras.Model(model.inputs, layer.output)
    except Exception as e:  # Keras raises several kinds for a layer it cannot cut at
        raise DirectionsError(f"cannot read this generator's early layer on its own ({type(e).__name__})") from None
    width = int(np.prod(partial.outputs[0].shape[1:]))
    if width > MAX_LAYER_FEATURES:
        raise DirectionsError(
            f"its early layer {layer.name} has {width:,} features; directions are found for at most "
            f"{MAX_LAYER_FEATURES:,}"
        )
    keep = None
    if width > max_features:
        keep = np.sort(np.random.default_rng(seed).choice(width, max_features, replace=False))
    z = np.asarray(z, dtype=np.float32)
    batch = max(1, min(BATCH, MAX_BATCH_FLOATS // max(width, 1), len(z)))
    out = np.empty((len(z), width if keep is None else max_features), np.float32)
    for start in range(0, len(z), batch):
        part = z[start : start + batch]
        n = len(part)
        if n < batch:
            part = np.concatenate([part, np.zeros((batch - n, z.shape[1]), np.float32)])
        y = np.asarray(partial.predict_on_batch(part), dtype=np.float32).reshape(batch, -1)[:n]
        out[start : start + n] = y if keep is None else y[:, keep]
    return out


def principal_directions(
    features,
    z,
    labels=None,
    count: int = MAX_COMPONENTS,
    seed: int = DEFAULT_SEED,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(unit latent directions (K, dim) float32, sigmas (K,) float32, variance shares (K,)) from
    activations `features` (N, F) of latent points `z` (N, dim) (the noise part only).

    `labels` (N,) ints: subtract each class's mean activation first (a conditional generator).
    K = min(count, dim, F, N - 1). PCA in float32 with scikit-learn's randomized solver seeded
    with `seed` (Halko et al. 2011): for the shipped generator its top 10 variance shares are
    within 1e-5 of the exact SVD's and its components within 3 degrees (|cos| > 0.998).
    Regression: least squares of z on the PCA coordinates (GANSpace §3.1). Raises
    DirectionsError when the activations do not vary with z.
    """
    from sklearn.decomposition import PCA

    y = np.array(features, dtype=np.float32)  # a copy: centred in place below
    z = np.asarray(z, dtype=np.float64)
    if y.ndim != 2 or z.ndim != 2 or len(y) != len(z):
        raise ValueError(f"need features (N, F) and latent points (N, dim), got {y.shape} and {z.shape}")
    if labels is not None:
        labels = np.asarray(labels).reshape(-1)
        for c in np.unique(labels):
            y[labels == c] -= y[labels == c].mean(axis=0)
    k = min(count, z.shape[1], y.shape[1], len(y) - 1)
    if k < 1 or not np.isfinite(y).all() or float(y.var(axis=0).sum()) <= 1e-12:
        raise DirectionsError("this generator's early layer does not vary with its latent input: no directions to find")
    pca = PCA(n_components=k, svd_solver="randomized", random_state=seed)
    x = pca.fit_transform(y).astype(np.float64)  # (N, K) PCA coordinates
    v = np.linalg.lstsq(x, z - z.mean(axis=0), rcond=None)[0]  # (K, dim): z ~ x @ v
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    if not np.all(norms > 1e-12):
        raise DirectionsError("a principal direction of this generator's early layer has no latent counterpart")
    v /= norms
    sigmas = (z - z.mean(axis=0)) @ v.T
    return v.astype(np.float32), sigmas.std(axis=0).astype(np.float32), pca.explained_variance_ratio_.astype(np.float64)


def discover(
    model,
    source,
    count: int = MAX_COMPONENTS,
    n_samples: int = N_SAMPLES,
    seed: int = DEFAULT_SEED,
    lock=None,
) -> Directions:
    """The discovered directions of a loaded generator (`source`: its GeneratorSource, for the
    latent size, distribution and class count). Deterministic for a given `seed`.

    `lock` (optional, e.g. the app's per-model lock) is held only while the model runs; the
    PCA and regression run outside it. Raises DirectionsError (one line) when none can be found.
    """
    labels = np.arange(n_samples) % source.classes if source.classes else None
    z = source.latent(seed, n_samples, labels)
    layer = early_layer(model)
    with lock if lock is not None else contextlib.nullcontext():
        y = layer_features(model, z, layer, seed=seed)
    vectors, sigmas, share = principal_directions(y, z[:, : source.latent_dim], labels, count, seed)
    return Directions(
        vectors=vectors,
        sigmas=sigmas,
        variance_share=share,
        layer=layer.name,
        layer_features=int(np.prod(layer.output.shape[1:])),
        features=y.shape[1],
        samples=n_samples,
        seed=seed,
        classes=source.classes,
    )


def discover_seconds(source, repeats: int = 3, model=None) -> tuple[float, float]:
    """(seconds of the first discover() on a loaded generator, median seconds of `repeats`
    more): the first is what the first visitor of a generator waits for (its partial model is
    traced then); loading is excluded. For `make bench`; pass `model` for an upload."""
    import time

    if model is None:
        from gan_core.generators.source import load_generator

        model, source = load_generator(source)
    times = []
    for _ in range(1 + max(1, repeats)):
        start = time.perf_counter()
        discover(model, source)
        times.append(time.perf_counter() - start)
    return times[0], float(np.median(times[1:]))
