"""DiffAugment (Zhao et al. 2020): the same random, differentiable augmentation of real and fake
images before D, in D's and G's updates: translation, cutout and colour, each switched by one
flag the compiled step reads from a tf.Variable (no retrace).
"""

from __future__ import annotations

import tensorflow as tf

from gan_core.config.setting import Policies
from gan_core.config.table_hacks import DIFF_AUGMENT_POLICIES

TRANSLATION_RATIO = 0.125  # shift up to 1/8 of the side (Zhao et al. 2020)
CUTOUT_RATIO = 0.5  # a square of half the side (Zhao et al. 2020)


def augment_flags(policies: str) -> list[bool]:
    """The DiffAugment policy text ("translation,cutout", "" for none) as one bool per
    DIFF_AUGMENT_POLICIES entry; ValueError naming an unknown policy."""
    problem = Policies(DIFF_AUGMENT_POLICIES).problem("hacks.diff_augment", policies)
    if problem:
        raise ValueError(problem)
    names = {p.strip() for p in str(policies).split(",")}
    return [p in names for p in DIFF_AUGMENT_POLICIES]


def translate(
    rng: tf.random.Generator, images: tf.Tensor, background=-1.0, ratio: float = TRANSLATION_RATIO
) -> tf.Tensor:
    """Each image (n, H, W, C) shifted by its own whole-pixel offset in [-s, s] per axis,
    s = round(ratio · side) (4 px for 28, Zhao et al. 2020); the uncovered border is filled
    with `background` (-1: black in [-1, 1] pixels). Differentiable (a gather)."""
    shape = tf.shape(images)
    n, h, w = shape[0], images.shape[1], images.shape[2]
    sy, sx = int(h * ratio + 0.5), int(w * ratio + 0.5)
    dy = rng.uniform([n, 1], -sy, sy + 1, dtype=tf.int32)
    dx = rng.uniform([n, 1], -sx, sx + 1, dtype=tf.int32)
    rows = tf.range(h)[None, :] - dy  # the source row of each output row
    cols = tf.range(w)[None, :] - dx
    out = tf.gather(images, tf.clip_by_value(rows, 0, h - 1), axis=1, batch_dims=1)
    out = tf.gather(out, tf.clip_by_value(cols, 0, w - 1), axis=2, batch_dims=1)
    inside = ((rows >= 0) & (rows < h))[:, :, None, None] & ((cols >= 0) & (cols < w))[:, None, :, None]
    return tf.where(inside, out, tf.cast(background, images.dtype))


def cutout(rng: tf.random.Generator, images: tf.Tensor, background=-1.0, ratio: float = CUTOUT_RATIO) -> tf.Tensor:
    """Each image (n, H, W, C) with one square of ratio · side (half the side, Zhao et al. 2020)
    set to `background`; the square's centre is uniform over the image, so near an edge part of
    it falls outside (expected share cut ≈ 0.19 of a 28×28 image, not 0.25)."""
    shape = tf.shape(images)
    n, h, w = shape[0], images.shape[1], images.shape[2]
    ch, cw = int(h * ratio + 0.5), int(w * ratio + 0.5)
    cy = rng.uniform([n, 1], 0, h, dtype=tf.int32)
    cx = rng.uniform([n, 1], 0, w, dtype=tf.int32)
    ys, xs = tf.range(h)[None, :], tf.range(w)[None, :]
    in_y = (ys >= cy - ch // 2) & (ys < cy - ch // 2 + ch)
    in_x = (xs >= cx - cw // 2) & (xs < cx - cw // 2 + cw)
    cut = in_y[:, :, None, None] & in_x[:, None, :, None]
    return tf.where(cut, tf.cast(background, images.dtype), images)


def color_jitter(rng: tf.random.Generator, images: tf.Tensor) -> tf.Tensor:
    """DiffAugment's colour policy on [-1, 1] pixels (n, H, W, C), per image: brightness + U(-0.5,
    0.5), saturation × U(0, 2) around the pixel's channel mean (no effect on one channel),
    contrast × U(0.5, 1.5) around the image mean (Zhao et al. 2020)."""
    x = tf.cast(images, tf.float32)
    n = tf.shape(x)[0]
    x = x + (rng.uniform([n, 1, 1, 1]) - 0.5)
    mean = tf.reduce_mean(x, axis=3, keepdims=True)
    x = (x - mean) * (rng.uniform([n, 1, 1, 1]) * 2.0) + mean
    mean = tf.reduce_mean(x, axis=[1, 2, 3], keepdims=True)
    x = (x - mean) * (rng.uniform([n, 1, 1, 1]) + 0.5) + mean
    return tf.cast(x, images.dtype)


def diff_augment(rng: tf.random.Generator, images: tf.Tensor, flags, background=-1.0) -> tf.Tensor:
    """DiffAugment (Zhao et al. 2020): colour, then translation, then cutout, each applied when
    its flag in `flags` ((3,) bool in DIFF_AUGMENT_POLICIES order) is on; images (n, H, W, C) in
    [-1, 1]. Each policy sits in a tf.cond, so a policy that is off costs nothing, and the
    flags can change live. Every op is differentiable, so G learns through it."""
    flags = tf.cast(flags, tf.bool)
    x = tf.cond(flags[2], lambda: color_jitter(rng, images), lambda: tf.identity(images))
    x = tf.cond(flags[0], lambda: translate(rng, x, background), lambda: tf.identity(x))
    return tf.cond(flags[1], lambda: cutout(rng, x, background), lambda: tf.identity(x))
