"""The networks' layer widths as plain numbers (no Keras), so the settings' help texts and
the model builders (gan_core/nets/models.py) read one definition; here, beside the
settings, because model.base_filters' help text states them.

DCGAN layout (Radford et al. 2015): G starts from a dense seed at the smallest resolution
and halves its width at each 2x upsampling; D doubles its width at each 2x downsampling.
The tutorial layout keeps every layer at f.
"""

from __future__ import annotations

GAUSSIAN_INIT_STD = 0.02  # DCGAN: weights from N(0, 0.02)
STRIDE = 2  # every resolution change is a 2x step
KERNEL_DIVISIBLE = 4  # kernel divisible by the stride: even overlap (Odena et al. 2016)
KERNEL_UNEVEN = 3  # the beginner's 3x3 at stride 2: checkerboards


def resolution_stages(height: int, layout: str = "dcgan") -> int:
    """How many 2x resolution changes between the dense seed and the image (28 -> 2, 32 -> 3)."""
    if layout == "tutorial":
        return 2
    stages, size = 0, height
    while size % 2 == 0 and size > 7:
        size //= 2
        stages += 1
    return stages


def width_multiples(height: int, layout: str = "dcgan") -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(G's hidden widths from the dense seed up, D's widths from the image down), as
    multiples of the base width f. 28-pixel images: G (4, 2), D (1, 2)."""
    stages = resolution_stages(height, layout)
    if layout == "tutorial":
        return (1,) * (stages + 1), (1,) * stages
    g = tuple(2 ** (stages - i) for i in range(stages))
    d = tuple(2**i for i in range(stages))
    return g, d


def widths_text(height: int, layout: str = "dcgan") -> str:
    """Widths in words, e.g. "G 4f, 2f; D f, 2f" for 28-pixel images."""

    def name(m: int) -> str:
        return "f" if m == 1 else f"{m}f"

    g, d = width_multiples(height, layout)
    return f"G {', '.join(map(name, g))}; D {', '.join(map(name, d))}"
