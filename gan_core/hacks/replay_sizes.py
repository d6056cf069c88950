"""Experience replay's sizes, apart from its TensorFlow ring (replay.py), so the guide and the
command line's help read them without importing TensorFlow (seconds a bad flag need not wait)."""

# A few thousand images, the usual size of a replay buffer (ganhacks #8; Shrivastava et al. 2017;
# the experience-replay card in gan_core/guide/stabilizer_cards.py).
REPLAY_CAPACITY = 2048
# Pixels in [-1, 1] are kept as 16-bit fixed point, int16 q = round(x * PIXEL_SCALE): half
# float32's memory (float32 rings raised the soak test's growth over ten runs from ~11 to
# 14-22 MiB), a step of 1/32767, finer than float16's near ±1, and no float16 tensor at all:
# TensorFlow's oneDNN build answers any float16 variable with an "E0000 … oneDNN supports
# DT_HALF only on platforms with AVX-512…" line on stderr.
PIXEL_SCALE = 32767.0
# Each D round writes this many of its fresh fakes, so with the default batch the ring spans
# the last ~250 rounds rather than the last ~60.
REPLAY_WRITES = 8
