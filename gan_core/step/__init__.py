"""The one compiled training step and what it needs around it: the step's graph
(`gan_step`), its real-image stream (`stream`), its live settings and sampling (`live`), its
reuse between runs (`reuse`) and the process's cache of traced steps (`cache`), its two
optimizers (`optimizers`), and the same step over several devices (`mirrored`).
"""
