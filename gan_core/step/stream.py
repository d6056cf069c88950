"""The real images as the compiled step draws them, and where that stream stands.

The images, their labels, the epoch's permutation and a cursor into it live in tf.Variables
and are read in-graph: the Python loop only calls `step()`, and no batch crosses from Python
per step. `stream_state` / `set_stream_state` save and continue the order and the random
streams for a checkpoint.
"""

from __future__ import annotations

import hashlib

import numpy as np
import tensorflow as tf


def order_digest(order: np.ndarray) -> str:
    """A short fingerprint of an epoch's data order (int permutation), so two orders compare cheaply."""
    return hashlib.sha1(np.ascontiguousarray(order, dtype=np.int32).tobytes()).hexdigest()[:16]


class RealStream:
    """GanStep's real-image stream (a mixin): the data variables, the per-epoch shuffle and the
    in-graph draws from it. Uses the step's n_images, classes, tanh_output, rng (a
    tf.random.Generator) and reals_per_step()."""

    def _init_stream(self, images_uint8: np.ndarray, labels: np.ndarray | None, seed: int) -> None:
        """Build the stream's variables: the images (uint8 (n, H, W, C)), the first epoch's
        order drawn from a numpy generator of `seed`, the cursor and, when conditional, the labels."""
        self._shuffle_rng = np.random.default_rng(seed)
        # uint8 in a variable: 4x smaller than floats, and captured by reference, not
        # baked into the graph as a constant.
        self.data = tf.Variable(images_uint8, trainable=False, dtype=tf.uint8, name="real_images")
        self.order = tf.Variable(
            self._shuffle_rng.permutation(self.n_images).astype(np.int32), trainable=False, name="epoch_order"
        )
        self.cursor = tf.Variable(0, dtype=tf.int32, trainable=False, name="epoch_cursor")
        self.reals_in_epoch = 0  # real images drawn since the epoch's shuffle
        if self.classes:
            self.labels = tf.Variable(np.asarray(labels, dtype=np.int32), trainable=False, name="real_labels")

    def _restart_stream(self, images_uint8: np.ndarray, labels: np.ndarray | None, seed: int) -> None:
        """The stream as `_init_stream` builds it, in the existing variables (no retrace)."""
        self._shuffle_rng = np.random.default_rng(seed)
        self.data.assign(images_uint8)
        if self.classes:
            self.labels.assign(np.asarray(labels, dtype=np.int32))
        self.new_epoch()

    def new_epoch(self) -> None:
        """A fresh shuffle of the real images (called between steps, not inside one)."""
        self.order.assign(self._shuffle_rng.permutation(self.n_images).astype(np.int32))
        self.cursor.assign(0)
        self.reals_in_epoch = 0

    @property
    def epoch_complete(self) -> bool:
        """True once another step would draw a real image this epoch has already shown D:
        the epoch is one pass over the real images (the last n mod (k x half) are left out,
        as a batched pass drops its remainder). new_epoch() starts the next pass."""
        return self.reals_in_epoch + self.reals_per_step() > self.n_images

    def steps_left_in_epoch(self) -> int:
        """How many more steps this epoch can take before one would draw a real image it has
        shown D already (0 once epoch_complete)."""
        return max(0, (self.n_images - self.reals_in_epoch) // self.reals_per_step())

    def stream_state(self) -> tuple[dict, dict]:
        """Where the data order and the random streams stand, for a checkpoint.

        Returns (arrays, plain): arrays are numpy (the epoch's permutation, int32 (N,);
        the cursor into it; the tf.random.Generator state, int64), plain is JSON-ready
        (the numpy shuffle generator's bit-generator state, its algorithm name included).
        """
        arrays = {
            "order": self.order.numpy(),
            "cursor": np.asarray(self.cursor.numpy(), np.int32),
            "tf_rng_state": self.rng.state.numpy(),
        }
        return arrays, {"shuffle_rng": self._shuffle_rng.bit_generator.state}

    def set_stream_state(self, arrays, plain: dict) -> None:
        """Continue the data order and random streams saved by `stream_state` (between steps).

        Raises ValueError when the saved permutation does not fit this data set.
        """
        order = np.asarray(arrays["order"], np.int32)
        if order.shape != (self.n_images,):
            raise ValueError(f"the saved data order has {order.size} entries, the data set {self.n_images}")
        self.order.assign(order)
        self.cursor.assign(int(arrays["cursor"]))
        self.reals_in_epoch = int(arrays["cursor"])  # the cursor counts this epoch's real images
        self.rng.state.assign(np.asarray(arrays["tf_rng_state"], np.int64))
        self._shuffle_rng.bit_generator.state = plain["shuffle_rng"]

    def _next_real(self, n: int):
        """The next n real images in model scale, and their one-hot class codes."""
        positions = (self.cursor + tf.range(n)) % self.n_images
        self.cursor.assign((self.cursor + n) % self.n_images)
        index = tf.gather(self.order, positions)
        pixels = tf.cast(tf.gather(self.data, index), tf.float32) / 255.0
        return (pixels * 2.0 - 1.0 if self.tanh_output else pixels), self._codes_of(index)

    def _codes_of(self, index):
        """One-hot classes of the real images at `index`; None when unconditional."""
        if not self.classes:
            return None
        return tf.one_hot(tf.gather(self.labels, index), self.classes)

    def _random_codes(self, n: int):
        """Classes for G to draw, in the data's own class proportions (labels of random reals)."""
        if not self.classes:
            return None
        return self._codes_of(self.rng.uniform([n], 0, self.n_images, dtype=tf.int32))
