"""Trained generators: where they come from (pretrained, runs, uploads) and how to load them
(`source`, `files`, `meta`, `output_range`), how to run them (`running`, `sampling`),
latent-space math (`latent`), the principal directions of a generator's latent space
(`directions`) and image conversion and encoding (`images`).
"""
