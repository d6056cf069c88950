"""Self-conditioning: k-means clusters of the real images act as class labels.

A data set without labels (a user's own images, the digits with "use labels" off) can
still train as a conditional GAN: the images are clustered once before training and each
cluster id is used as a class. G is then told which cluster to draw and D judges (image,
cluster) with the same projection and auxiliary-classifier heads as real labels use
(gan_core.step.gan_step). The clusters split a multi-modal set into simpler parts, so G
covers every mode and draws each more sharply (measured on the embedded digits: docs/design.md,
"Digits without labels: self-conditioning and the `modern` preset").

Source: clustering the data to obtain labels for a conditional GAN, Sage et al. 2018
("Logo synthesis and manipulation with clustered generative adversarial networks") and
Liu et al. 2020 ("Diverse image generation via self-conditioned GANs", which clusters D's
features; here pixels are clustered after PCA, which needs no trained network and takes
about a second on 5,000 digits).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np

SELF_CONDITIONING_MAX = 100  # clusters; the class code grows G's and D's inputs by this many
# PCA first: k-means on 784 raw pixels is ~3x slower than on 32 components and no purer
# (measured on the embedded digits: 0.69 vs 0.70 purity at k = 20).
PCA_COMPONENTS = 32
# k-means is fitted on at most this many images, then every image gets its nearest centre:
# a 60,000-image set clusters in the time of 10,000.
FIT_SAMPLE = 10_000
# A server restarts a reused step for each Start of the same configuration (step_cache), and
# each restart would cluster the same images again (a second or two on two cores): the last
# few results are kept, keyed by the images' digest, the cluster count and the seed.
CACHED_RESULTS = 4
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()
fits = 0  # k-means fits done in this process (the cache's test reads it)


def cluster_labels(images_uint8: np.ndarray, clusters: int, seed: int = 0) -> np.ndarray:
    """Cluster ids (n,) int32 in 0..clusters-1 for uint8 images (n, H, W, C), every id used.

    PCA to at most 32 components, then k-means (scikit-learn, `random_state=seed`, one
    initialisation) fitted on at most 10,000 of the images; the same images and seed give
    the same ids. Ids are renumbered by cluster size (0 the largest) so runs read alike.
    Raises ValueError when `clusters` is outside 2..100 or above the number of images.
    """
    n = len(images_uint8)
    if not 2 <= clusters <= SELF_CONDITIONING_MAX:
        raise ValueError(f"self-conditioning needs 2..{SELF_CONDITIONING_MAX} clusters, got {clusters}")
    if clusters > n:
        raise ValueError(f"self-conditioning with {clusters} clusters needs at least {clusters} images, got {n}")
    images = np.ascontiguousarray(images_uint8)
    key = (hashlib.sha1(images.data).hexdigest(), images.shape, str(images.dtype), clusters, seed)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key].copy()
    ids = _fit(images, clusters, seed)
    with _cache_lock:
        _cache[key] = ids
        while len(_cache) > CACHED_RESULTS:
            _cache.popitem(last=False)
    return ids.copy()


def _fit(images_uint8: np.ndarray, clusters: int, seed: int) -> np.ndarray:
    """cluster_labels without the cache (arguments already checked)."""
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    global fits
    fits += 1
    n = len(images_uint8)
    x = images_uint8.reshape(n, -1).astype(np.float32) / 255.0
    rng = np.random.default_rng(seed)
    fit_rows = np.sort(rng.choice(n, FIT_SAMPLE, replace=False)) if n > FIT_SAMPLE else np.arange(n)
    components = min(PCA_COMPONENTS, x.shape[1], len(fit_rows))
    pca = PCA(components, svd_solver="randomized", random_state=seed).fit(x[fit_rows])
    features = pca.transform(x)
    kmeans = KMeans(clusters, n_init=1, random_state=seed).fit(features[fit_rows])
    ids = kmeans.predict(features)
    # Renumber by size; a centre that no image is nearest to (possible only when fitted on a
    # sample) would leave an unused class: give it the image farthest from its own centre.
    sizes = np.bincount(ids, minlength=clusters)
    for empty in np.flatnonzero(sizes == 0):
        distance = np.linalg.norm(features - kmeans.cluster_centers_[ids], axis=1)
        ids[int(np.argmax(distance))] = empty
        sizes = np.bincount(ids, minlength=clusters)
    rank = np.empty(clusters, np.int64)
    rank[np.argsort(-sizes, kind="stable")] = np.arange(clusters)
    return rank[ids].astype(np.int32)


def wants_clusters(self_conditioning: int, use_labels: bool, has_labels: bool) -> bool:
    """Whether a run trains on cluster ids: self-conditioning is on (k > 0) and real labels
    are not in use (off, or the data set has none). Real labels win when both are asked."""
    return self_conditioning > 0 and not (use_labels and has_labels)
