"""Every figure and drawn picture of the app: training curves (`train`), comparisons
(`compare`), the 2D playground (`toy`), the Latent explorer's numbered grid (`latent`),
and the one table of line styles they share (`styles`). Pure functions: published state
in, figure or picture out; no Streamlit."""
