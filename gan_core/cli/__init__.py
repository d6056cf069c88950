"""`python -m gan_core` / `gan-lab` (`main`): train, sample, bench, presets, metrics, toy;
`make bench` (`bench_report`, `bench`, `first_grid`) and `make pretrained` (`pretrained`).
"""
