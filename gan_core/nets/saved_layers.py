"""Every Keras layer class of ours that a saved model can hold, registered in one place.

keras.models.load_model(safe_mode=True) finds a custom class only once the module that
registers it (package "gan_hacks_lab") has been imported. Loaders call register_saved_layers()
instead of keeping their own lists, so a layer added to the models is added here once.
"""

from __future__ import annotations


def register_saved_layers() -> None:
    """Import the modules whose layers saved models may hold (imports TensorFlow; idempotent):
    `fast_dropout` (D's Dropout16), `fusable_leaky_relu` (FusableLeakyReLU: only in a model
    saved straight from a step; run folders carry Keras' own LeakyReLU), `hack_layers`
    (SamplingDropout, MinibatchStdDev, the spectral-norm wrapper) and `narrow_conv`
    (NarrowConv2D, G's image head)."""
    from gan_core.nets import fast_dropout, fusable_leaky_relu, hack_layers, narrow_conv  # noqa: F401
