"""Uploads and choices that survive a page switch.

Streamlit drops a widget's state when its page is not rendered, so after a visit to another
page a `file_uploader` comes back empty and a `selectbox` at its first option. The file's
bytes and the choice are copied into st.session_state under keys of our own (`<key>:kept`)
from the widgets' on_change callbacks, and the widgets are filled from them again.

An upload is identified by the SHA-256 of its bytes, never by its name and size: two
different zips with the same name and size are two data sets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st


@dataclass(frozen=True)
class KeptFile:
    """An uploaded file: name as the user's browser sent it, bytes, SHA-256 hex digest."""

    name: str
    data: bytes
    digest: str


def kept_file(name: str, data: bytes) -> KeptFile:
    """A KeptFile of an upload's name and bytes, with their SHA-256 hex digest."""
    return KeptFile(name=name, data=data, digest=hashlib.sha256(data).hexdigest())


def _kept_key(key: str) -> str:
    return f"{key}:kept"


def _keep_upload(key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:  # the user removed the file
        st.session_state.pop(_kept_key(key), None)
    else:
        st.session_state[_kept_key(key)] = kept_file(upload.name, upload.getvalue())


def kept_upload(label: str, types: Sequence[str], key: str, help: str | None = None) -> KeptFile | None:
    """A file_uploader whose file is still used after a page switch; None until one is uploaded.

    After a switch the widget shows empty; a caption names the file still in use, and a new
    upload replaces it.
    """
    st.file_uploader(label, type=list(types), key=key, help=help, on_change=_keep_upload, args=(key,))
    kept = st.session_state.get(_kept_key(key))
    if kept is not None and st.session_state.get(key) is None:
        st.caption(f"Using **{kept.name}** (uploaded before); upload another file to replace it.")
    return kept


def restore_choice(key: str, options: Sequence | None = None) -> None:
    """Before drawing the widget `key`: give it back the value the user chose before a page
    switch (when it is still one of `options`, if given)."""
    kept = st.session_state.get(_kept_key(key))
    if key not in st.session_state and kept is not None and (options is None or kept in options):
        st.session_state[key] = kept


def keep_choice(key: str) -> None:
    """After drawing the widget `key`: remember its value for restore_choice."""
    if key in st.session_state:
        st.session_state[_kept_key(key)] = st.session_state[key]


def forget_choice(key: str) -> None:
    """Drop a remembered choice (a preset that sets the widget itself)."""
    st.session_state.pop(_kept_key(key), None)
