"""GAN Hacks Lab: train a DCGAN in the browser and switch the classic training hacks live."""
import streamlit as st

st.set_page_config(page_title="GAN Hacks Lab", page_icon="🧪", layout="wide")

PAGES = [
    st.Page("pages/train.py", title="Train", icon="🏋️", default=True),
    st.Page("pages/latent_explorer.py", title="Latent explorer", icon="🧭"),
    st.Page("pages/compare.py", title="Compare", icon="⚖️"),
    st.Page("pages/hacks_guide.py", title="Hacks guide", icon="📖"),
    st.Page("pages/playground.py", title="2D playground", icon="🎯"),
]

st.navigation(PAGES).run()
