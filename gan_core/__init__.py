"""GAN Hacks Lab core: config, hacks, models, trainer, data, metrics, latent tools. No Streamlit here."""
__version__ = "0.1.0"
