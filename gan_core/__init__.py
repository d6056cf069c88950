"""GAN Hacks Lab's library: everything that is not Streamlit or plotting.

Subpackages, from the bottom layer up (ARCHITECTURE.md has the map; `make lint` checks the
layers): `config` (the config tree, its dotted keys, presets, what a browser may send),
`data` (image sources), `nets` (G and D, their layers, precision), `hacks` (the hacks as
pure tensor functions, their live variables, replay, EMA, self-conditioning), `generators`
(loading and running generators, latent math, images), `store` (run folders, checkpoints,
atomic files), `metrics` (quality meters), `step` (the one compiled step and its cache),
`run` (one training's thread, what it publishes, health), `guide` (the Hacks guide's
content), `compare` (A/B comparisons), `jobs` (the server's pool of jobs, owner and viewer
links, the Ray backend), `toy` (the 2-D playground's GAN) and `cli` (`python -m gan_core`,
`gan-lab`). Nothing here imports Streamlit, plotly or the `ui` package.
"""

__version__ = "0.1.0"
