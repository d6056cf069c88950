"""The training hacks: pure tensor functions (`functions`), the live variables a running step
reads (`live`), experience replay's ring of past fakes (`replay`), the moving average of G
(`ema`) and self-conditioning's clusters (`self_conditioning`).

Shared by the image trainer (gan_core.step) and the 2-D playground (gan_core.toy).
"""
