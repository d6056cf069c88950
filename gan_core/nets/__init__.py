"""The networks and their layers: G and D built from a ModelConfig (every DCGAN practice a
switch), their widths as plain numbers, class-conditional bookkeeping, the step's cheaper
layers, the later architecture hacks' layers, the one list of our layers a saved model can
hold, numeric precision, and importing TensorFlow quietly.

Modules: `models`, `architecture`, `conditional`, `narrow_conv`, `fast_dropout`,
`fusable_leaky_relu`, `hack_layers`, `saved_layers`, `precision`, `tensorflow_runtime`.
"""
