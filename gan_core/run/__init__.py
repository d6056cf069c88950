"""One training run: the trainer thread and its loop, the work at each epoch's end, what it
publishes (`snapshot`), its health checks, its units, and its writer of the run folder
(`saver`, `run_keeping`: checkpoints, resume, roll-back).

Modules: `trainer`, `loop`, `epoch_end`, `snapshot`, `health`, `health_watch`, `units`,
`saver`, `run_keeping`.
"""
