"""A generator's size read from its config before it is built: parameters, output shape, and
the largest layer output.

`keras.models.load_model` builds every layer and fills its weights before anything can be
checked: a config asking for a Dense of 10^9 units allocates 110 x 10^9 floats, and one
whose head resizes to 16384x16384 loads in a moment, then needs 34 GB for the 32-image
probe batch. Keras itself gives the sizes without that cost: inside
`keras.StatelessScope(initialize_variables=False)` a layer's variables get their shapes but
no values, so deserializing the config yields a model whose `count_params()` and tensor
shapes are exact while it holds no weights (110 x 10^9 parameters counted in 0.1 s, no
memory). Every layer Keras (and our registered layers) can build is measured the same way,
with the same shape rules the real load will follow.

The scope's pending variables are kept in thread-local state, so the measuring build runs
in a thread of its own and leaves nothing behind for a later scope to initialize.
"""

from __future__ import annotations

import copy
import math
import threading
from dataclasses import dataclass

from gan_core.generators.files import UPLOAD_MAX_BYTES

# float32 weights at the upload limit: a config asking for more cannot have come with its weights
MAX_PARAMETERS = UPLOAD_MAX_BYTES // 4
MAX_IMAGE_SIDE = 512
# Values in any one layer's output for one image (the latent and the image included): 8 MB of
# float32; the 32-image probe batch then holds at most 256 MB in one layer's output.
MAX_LAYER_VALUES = 2**21
PROBE_IMAGES = 32  # images in the probe batch and in each interactive call (source.CHUNK)


@dataclass(frozen=True)
class ModelSize:
    """A model's size as its config builds it: `parameters` (weights, all counted), input and
    output shapes (batch as None), and the layer whose output holds the most values per
    image (`largest_layer`, `largest_values`; the model's inputs count as layers here)."""

    parameters: int
    input_shapes: tuple[tuple, ...]
    output_shapes: tuple[tuple, ...]
    largest_layer: str
    largest_values: int


def measure_config(config: dict) -> ModelSize:
    """The size of the model a Keras config (a parsed config.json) describes, built without
    weights (see the module doc). Raises what Keras raises for a config it cannot build
    (an unknown class, a Lambda under safe_mode, shapes that do not fit); the caller makes it
    one line (files.load_error_line). Our layers must be registered first (saved_layers)."""
    config = copy.deepcopy(config)  # deserializing pops keys out of the dict it is given
    config["compile_config"] = None  # as load_model(compile=False): no optimizer to build
    outcome: dict = {}

    def build() -> None:
        """Build the layers from their config on this thread (Keras' own, no weights loaded)."""
        import keras

        try:
            with keras.StatelessScope(initialize_variables=False):
                model = keras.saving.deserialize_keras_object(config, safe_mode=True)
                outcome["size"] = _size_of(model)
        except BaseException as e:  # handed to the caller's thread unchanged
            outcome["error"] = e

    thread = threading.Thread(target=build, name="generator-size", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["size"]


def size_problem(size: ModelSize) -> str | None:
    """None when a generator of this size may be loaded here, else one line naming the limit
    it passes (MAX_PARAMETERS, MAX_IMAGE_SIDE, MAX_LAYER_VALUES)."""
    if size.parameters > MAX_PARAMETERS:
        return (
            f"its config asks for {size.parameters:,} parameters; a generator may have at most "
            f"{MAX_PARAMETERS:,} ({UPLOAD_MAX_BYTES // (1024 * 1024)} MB of float32 weights, the upload limit)"
        )
    for shape in size.output_shapes:
        sides = [d for d in shape[1:3] if d is not None]
        if len(shape) == 4 and sides and max(sides) > MAX_IMAGE_SIDE:
            return (
                f"its config makes {shape[1]}x{shape[2]} images; a generator may make at most "
                f"{MAX_IMAGE_SIDE}x{MAX_IMAGE_SIDE}"
            )
    if size.largest_values > MAX_LAYER_VALUES:
        return (
            f"its layer '{size.largest_layer}' outputs {size.largest_values:,} values per image; a "
            f"generator's layers may output at most {MAX_LAYER_VALUES:,} ({PROBE_IMAGES} images of "
            f"them must fit in {PROBE_IMAGES * MAX_LAYER_VALUES * 4 // (1024 * 1024)} MB)"
        )
    return None


def _size_of(model) -> ModelSize:
    inputs = tuple(tuple(t.shape) for t in getattr(model, "inputs", None) or ())
    outputs = tuple(tuple(t.shape) for t in getattr(model, "outputs", None) or ())
    largest = ("input", max((_values(s) for s in inputs), default=0))
    for name, shape in _layer_outputs(model):
        values = _values(shape)
        if values > largest[1]:
            largest = (name, values)
    return ModelSize(
        parameters=int(model.count_params()),
        input_shapes=inputs,
        output_shapes=outputs,
        largest_layer=largest[0],
        largest_values=largest[1],
    )


def _layer_outputs(model):
    """(layer name, output shape) of every call of every layer, nested models' layers
    included. Keras 3 keeps a layer's calls as nodes (`_inbound_nodes`, each with its
    `outputs`): a layer called twice has two outputs, and either may be the larger."""
    stack = list(getattr(model, "layers", ()))
    while stack:
        layer = stack.pop()
        stack.extend(getattr(layer, "layers", ()))  # a nested model
        for node in getattr(layer, "_inbound_nodes", ()):
            for tensor in getattr(node, "outputs", ()):
                shape = getattr(tensor, "shape", None)
                if shape is not None:
                    yield layer.name, tuple(shape)


def _values(shape: tuple) -> int:
    """Values per batch item in a tensor of `shape` (batch first; an unknown size counts 1)."""
    return math.prod(int(d) for d in shape[1:] if d is not None)
