"""One training run: its loop (`RunLoop`, driven by the trainer thread and, twice, by a
comparison's), the trainer thread, the work at each epoch's end, what it
publishes (`snapshot`), its health checks, its units, and its writer of the run folder
(`saver`, `run_keeping`: checkpoints, resume, roll-back).

Modules: `loop`, `trainer`, `run_keeping`, `epoch_end`, `changes`, `snapshot`, `health`,
`health_watch`, `checks`, `units`, `saver`.
"""
