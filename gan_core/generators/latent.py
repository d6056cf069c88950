"""Latent-space math: sampling, interpolation, 2-D walks, vector arithmetic, nearest real image.

Numpy only, pure functions: generator_source (the Latent explorer page, `make bench`) and
epoch_end share them, and they are tested without a model.
"""

from __future__ import annotations

import numpy as np

DISTRIBUTIONS = ("gaussian", "uniform")

# Below this angle (radians) between two points, the great-circle formula divides by
# sin(angle) ~ 0; the straight line is then indistinguishable from the arc anyway.
_PARALLEL_ANGLE = 1e-4


def with_class_code(z, classes: int, labels=None) -> np.ndarray:
    """z (n, dim) followed by a one-hot class code of `classes` entries: what a class-conditional
    generator takes. Point i gets labels[i], or class i % classes (0, 1, ..., 9, 0, ...)."""
    z = np.asarray(z, dtype=np.float32)
    if not classes:
        return z
    labels = np.arange(len(z)) % classes if labels is None else np.asarray(labels, dtype=np.int64).reshape(-1)
    if labels.shape != (len(z),) or (labels.size and (labels.min() < 0 or labels.max() >= classes)):
        raise ValueError(f"need one class in 0..{classes - 1} per latent point")
    return np.concatenate([z, np.eye(classes, dtype=np.float32)[labels]], axis=1)


def sample_latent(
    seed: int, n: int, dim: int, distribution: str = "gaussian", classes: int = 0, labels=None
) -> np.ndarray:
    """`n` latent points (n, dim) float32: N(0, 1) for "gaussian", U[-1, 1] for "uniform".

    The same seed always gives the same points, so a seed names a set of samples. For a
    class-conditional generator (`classes` > 0) each point ends in its one-hot class code
    (see with_class_code), so the result is (n, dim + classes).
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"latent distribution must be one of {', '.join(DISTRIBUTIONS)}, got {distribution!r}")
    if n < 0 or dim < 1:
        raise ValueError(f"need n >= 0 and dim >= 1, got n={n}, dim={dim}")
    rng = np.random.default_rng(int(seed))
    if distribution == "gaussian":
        z = rng.standard_normal((n, dim))
    else:
        z = rng.uniform(-1.0, 1.0, (n, dim))
    return with_class_code(z.astype(np.float32), classes, labels)


def _pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(a, dtype=np.float64).reshape(-1)
    b = np.asarray(b, dtype=np.float64).reshape(-1)
    if a.shape != b.shape:
        raise ValueError(f"the two latent points differ in size: {a.size} and {b.size}")
    return a, b


def _check_steps(steps: int) -> None:
    if steps < 2:
        raise ValueError(f"an interpolation needs at least 2 steps (both ends), got {steps}")


def _with_exact_ends(frames: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # Rounding in the formulas can move the ends by an ulp; the user picked these points.
    frames[0], frames[-1] = a, b
    return frames.astype(np.float32)


def lerp(a, b, steps: int) -> np.ndarray:
    """`steps` points on the straight line from a to b, both ends included: (steps, dim)."""
    _check_steps(steps)
    a, b = _pair(a, b)
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return _with_exact_ends((1.0 - t) * a + t * b, a, b)


def angle_between(a, b) -> float:
    """Angle in radians between two latent vectors (0 when either is the zero vector)."""
    a, b = _pair(a, b)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(np.arccos(np.clip(np.dot(a, b) / (na * nb), -1.0, 1.0)))


def slerp(a, b, steps: int) -> np.ndarray:
    """`steps` points from a to b: direction along the great circle, norm linear between the ends.

    A Gaussian latent in high dimension lives near a shell of radius sqrt(dim); the straight
    line between two samples dips inside it, where the generator saw few points. This path
    stays on (or between) the ends' shells, with frames evenly spaced in angle. Nearly
    parallel or opposite ends (or a zero end) have no unique great circle: linear then.
    """
    _check_steps(steps)
    a, b = _pair(a, b)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    omega = angle_between(a, b)
    if na == 0.0 or nb == 0.0 or omega < _PARALLEL_ANGLE or np.pi - omega < _PARALLEL_ANGLE:
        return lerp(a, b, steps)
    ua, ub = a / na, b / nb
    t = np.linspace(0.0, 1.0, steps)[:, None]
    direction = (np.sin((1.0 - t) * omega) * ua + np.sin(t * omega) * ub) / np.sin(omega)
    norms = (1.0 - t) * na + t * nb
    return _with_exact_ends(direction * norms, a, b)


def interpolate(a, b, steps: int, spherical: bool, code_size: int = 0) -> np.ndarray:
    """Great circle or straight line from a to b. The last `code_size` entries (a conditional
    generator's class code) always move in a straight line, so the class morphs evenly."""
    if not code_size:
        return slerp(a, b, steps) if spherical else lerp(a, b, steps)
    a, b = _pair(a, b)
    z = interpolate(a[:-code_size], b[:-code_size], steps, spherical)
    return np.concatenate([z, lerp(a[-code_size:], b[-code_size:], steps)], axis=1)


def random_directions(seed: int, dim: int, count: int = 2, first=None) -> np.ndarray:
    """`count` orthonormal directions (count, dim); `first`, when given, is the first one (normalized).

    Orthogonal directions make a 2-D walk a true plane: moving along one axis does not
    also move along the other.
    """
    if not 1 <= count <= dim:
        raise ValueError(f"can make 1..{dim} orthogonal directions in {dim} dimensions, asked for {count}")
    rng = np.random.default_rng(int(seed))
    basis: list[np.ndarray] = []
    if first is not None:
        f = np.asarray(first, dtype=np.float64).reshape(-1)
        if f.size != dim or np.linalg.norm(f) == 0.0:
            raise ValueError("the first direction must be a non-zero vector of the latent size")
        basis.append(f / np.linalg.norm(f))
    while len(basis) < count:
        v = rng.standard_normal(dim)
        for u in basis:  # Gram-Schmidt, twice over for round-off
            v -= np.dot(v, u) * u
        for u in basis:
            v -= np.dot(v, u) * u
        norm = np.linalg.norm(v)
        if norm > 1e-8:
            basis.append(v / norm)
    return np.stack(basis).astype(np.float32)


def walk_directions(seed: int, latent_dim: int, classes: int = 0, toward=None) -> np.ndarray:
    """Two orthonormal directions (2, latent_dim + classes) float32 for a 2-D walk.

    Without `toward`: two random directions in z only (zeros over the class code, so a
    conditional generator keeps each cell's class). With `toward` (a non-zero vector of the
    full input size, e.g. one cell's point minus another's): that direction first, then a
    random one at right angles. Raises ValueError for a zero or wrongly sized `toward`.
    """
    if toward is None:
        return np.pad(random_directions(seed, latent_dim, 2), ((0, 0), (0, classes)))
    toward = np.asarray(toward).reshape(-1)
    if toward.size != latent_dim + classes:
        raise ValueError("the first direction must be a non-zero vector of the latent size")
    return random_directions(seed, toward.size, 2, first=toward)


def walk_2d(center, dir_u, dir_v, step_size: float, n: int) -> np.ndarray:
    """An (n, n, dim) grid of points center + i*step*u + j*step*v, i and j centred on 0.

    Rows move along v, columns along u; for odd n the middle cell is `center` itself.
    """
    if n < 1:
        raise ValueError(f"a walk grid needs n >= 1, got {n}")
    center = np.asarray(center, dtype=np.float64).reshape(-1)
    u = np.asarray(dir_u, dtype=np.float64).reshape(-1)
    v = np.asarray(dir_v, dtype=np.float64).reshape(-1)
    if not center.shape == u.shape == v.shape:
        raise ValueError("centre and directions must have the latent size")
    offsets = (np.arange(n) - (n - 1) / 2.0) * float(step_size)
    grid = center + offsets[:, None, None] * v + offsets[None, :, None] * u
    if n % 2 == 1:
        grid[n // 2, n // 2] = center
    return grid.astype(np.float32)


def vector_arithmetic(a_points, b_points, c_points) -> np.ndarray:
    """mean(A) - mean(B) + mean(C): e.g. 'smiling woman - neutral woman + neutral man'.

    Averaging a few points per concept cancels what they do not share.
    """
    means = []
    for name, pts in (("A", a_points), ("B", b_points), ("C", c_points)):
        pts = np.asarray(pts, dtype=np.float64)
        if pts.ndim == 1:
            pts = pts[None, :]
        if pts.ndim != 2 or pts.shape[0] == 0:
            raise ValueError(f"group {name} needs at least one latent point")
        means.append(pts.mean(axis=0))
    if not means[0].shape == means[1].shape == means[2].shape:
        raise ValueError("groups A, B and C must hold points of the same latent size")
    return (means[0] - means[1] + means[2]).astype(np.float32)


def _nearest_rows(queries: np.ndarray, references: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    q = queries.astype(np.float64)
    r = references.astype(np.float64)
    # |q - r|^2 = |q|^2 + |r|^2 - 2 q.r: one matrix product instead of a (Q, R, D) array.
    d2 = (q * q).sum(1)[:, None] + (r * r).sum(1)[None, :] - 2.0 * q @ r.T
    idx = np.argmin(d2, axis=1)
    best = np.sqrt(np.maximum(d2[np.arange(len(q)), idx], 0.0))
    return idx.astype(np.int64), best


def nearest_real(
    sample_images,
    real_images,
    metric: str = "pixel",
    sample_features: np.ndarray | None = None,
    real_features: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each sample, the index of the closest real image and the distance to it.

    "pixel": Euclidean distance between uint8 images scaled to [0, 1] (a memorized
    training image scores ~0). "features": Euclidean distance between precomputed
    feature vectors (e.g. a classifier's penultimate layer), passed in by the caller.
    """
    samples = np.asarray(sample_images)
    reals = np.asarray(real_images)
    if metric == "pixel":
        if samples.shape[1:] != reals.shape[1:]:
            raise ValueError(f"samples {samples.shape[1:]} and real images {reals.shape[1:]} differ in shape")
        q = samples.reshape(len(samples), -1).astype(np.float32) / 255.0
        r = reals.reshape(len(reals), -1).astype(np.float32) / 255.0
    elif metric == "features":
        if sample_features is None or real_features is None:
            raise ValueError("the 'features' metric needs sample_features and real_features")
        q = np.asarray(sample_features, dtype=np.float32).reshape(len(samples), -1)
        r = np.asarray(real_features, dtype=np.float32).reshape(len(reals), -1)
        if q.shape[1] != r.shape[1]:
            raise ValueError(f"sample features ({q.shape[1]}) and real features ({r.shape[1]}) differ in size")
    else:
        raise ValueError(f"metric must be 'pixel' or 'features', got {metric!r}")
    if len(r) == 0:
        raise ValueError("no real images to compare with")
    return _nearest_rows(q, r)
