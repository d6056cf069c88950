"""GAN Hacks Lab's library: everything that is not Streamlit or plotting.

At the top: the config tree (`config`), the labels of the Train page's controls
(`control_labels`), the browser allow-list for typed settings (`browser_overrides`) and the
named presets (`presets`). Subpackages: `training` (hacks, models, the compiled step, the
trainer thread, snapshots, health, the job pool), `compare` (A/B comparisons), `generators`
(loading and running generators, latent math, images), `store` (run folders,
checkpoints, atomic files), `data` (image sources), `metrics` (quality meters), `guide`
(the Hacks guide's content), `toy` (the 2-D playground's GAN) and `cli` (`python -m
gan_core`, `gan-lab`). Nothing here imports Streamlit, plotly or the `ui` package.
"""

__version__ = "0.1.0"
