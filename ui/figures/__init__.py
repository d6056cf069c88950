"""Every plotly figure of the app: training curves (`train`), comparisons (`compare`),
the 2D playground (`toy`). Pure functions: published state in, figure out; no Streamlit."""
