"""Settings: the one frozen config tree, how a dotted key is parsed, the named presets, the
one table that says everything about each setting, and what a browser may send.

Modules: `tree` (TrainConfig and its sections, validation, JSON), `keys` (dotted `key=value`
overrides, ConfigError), `presets`, `browser` (the allow-list for settings sent by a browser),
`control_labels` and `slider_ranges`. Nothing here imports TensorFlow.
"""
