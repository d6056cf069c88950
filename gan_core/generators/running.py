"""Running a loaded generator: latent points to uint8 images in fixed-size chunks, and
interpolation strips (frames, one picture, PNG and GIF bytes) between two latent points.

Loading (where a generator comes from, what its output range is) is source.py.
"""

from __future__ import annotations

import time

import numpy as np

from gan_core.generators.images import gif_bytes, image_grid, png_bytes, upscale
from gan_core.generators.latent import interpolate
from gan_core.generators.output_range import SIGMOID_RANGE, TANH_RANGE, to_pixels
from gan_core.generators.source import CHUNK, GeneratorSource, load_generator


def generate(model, z: np.ndarray, output_range, chunk: int = CHUNK) -> np.ndarray:
    """uint8 images (N, H, W, C) for latent points z (N, dim), in fixed-size chunks.

    `output_range` is the (low, high) model output that maps to pixels 0 and 255 (a source's
    `pixel_range`), or a bool as before: True for tanh [-1, 1], False for sigmoid [0, 1].
    """
    z = np.asarray(z, dtype=np.float32)
    if z.ndim == 1:
        z = z[None, :]
    n = len(z)
    outs = []
    for start in range(0, n, chunk):
        part = z[start : start + chunk]
        if len(part) < chunk:  # pad so the call has the one shape already traced
            part = np.concatenate([part, np.zeros((chunk - len(part), z.shape[1]), np.float32)])
        outs.append(np.asarray(model.predict_on_batch(part))[: min(chunk, n - start)])
    if not outs:
        raise ValueError("generate() needs at least one latent point")
    if isinstance(output_range, bool):
        output_range = TANH_RANGE if output_range else SIGMOID_RANGE
    return to_pixels(np.concatenate(outs), output_range)


def interpolation_strip(
    model, source: GeneratorSource, z_a, z_b, frames: int, spherical: bool = True, scale: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """(frames as uint8 images, the strip as one upscaled picture) from z_a to z_b."""
    path = interpolate(z_a, z_b, frames, spherical, source.classes)
    images = generate(model, path, source.pixel_range)
    return images, upscale(image_grid(images, cols=frames), scale)


def interpolation_strip_seconds(source: GeneratorSource, frames: int = 16, repeats: int = 5, model=None) -> float:
    """Median seconds to render a `frames`-frame spherical strip to PNG, model already loaded.

    This is the latency a user sees after moving the Steps slider (load and first trace
    are paid once, when the generator is chosen, and excluded). Pass `model` for a source
    that is not a file (an upload).
    """
    if model is None:
        model, source = load_generator(source)
    z = source.latent(0, 2)
    png_bytes(interpolation_strip(model, source, z[0], z[1], frames)[1])  # warm-up: first trace
    times = []
    for _ in range(max(1, repeats)):
        start = time.perf_counter()
        png_bytes(interpolation_strip(model, source, z[0], z[1], frames)[1])
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def strip_and_gif(
    model,
    source: GeneratorSource,
    z_a,
    z_b,
    frames: int,
    spherical: bool = True,
    scale: int = 3,
    gif_scale: int = 4,
    frame_ms: int = 120,
) -> tuple[bytes, bytes]:
    """(PNG of the strip, GIF of the walk) from z_a to z_b in `frames` frames (2..1000).

    The strip is enlarged `scale` times; the GIF's frames `gif_scale` times, each shown
    `frame_ms` milliseconds, going there and back (a seamless loop: the ends once each).
    """
    images, strip = interpolation_strip(model, source, z_a, z_b, frames, spherical, scale)
    looped = [upscale(f, gif_scale) for f in [*images, *images[-2:0:-1]]]
    return png_bytes(strip), gif_bytes(looped, frame_ms=frame_ms)
