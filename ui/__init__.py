"""Streamlit-side helpers of the app: controls, live views, charts, session plumbing."""
