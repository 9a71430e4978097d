"""Widgets whose value lives in the page URL, so a copied link reproduces the view."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import streamlit as st

_TRUE = {"1", "true", "yes", "on"}


def _seed(key: str, value) -> None:
    # Only on first render in this session: afterwards the widget, not the URL, is the source of truth.
    if key not in st.session_state:
        st.session_state[key] = value


def _publish(key: str, value: str | None) -> None:
    if value is None:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def selectbox(label: str, options: Sequence[str], *, key: str, format_func: Callable[[str], str] = str,
              **kwargs) -> str | None:
    """A selectbox over string options whose choice is the URL parameter `key` (absent when it is the first option)."""
    wanted = st.query_params.get(key)
    if wanted in options:
        _seed(key, wanted)
    value = st.selectbox(label, list(options), key=key, format_func=format_func, **kwargs)
    _publish(key, value if options and value != options[0] else None)
    return value


def toggle(label: str, *, key: str, value: bool = False, **kwargs) -> bool:
    """A toggle stored in the URL parameter `key` as 1/0 when it differs from its default."""
    wanted = st.query_params.get(key)
    if wanted is not None:
        _seed(key, wanted.lower() in _TRUE)
    elif key not in st.session_state:
        st.session_state[key] = value
    state = st.toggle(label, key=key, **kwargs)
    _publish(key, None if state == value else ("1" if state else "0"))
    return state


def radio(label: str, options: Sequence[str], *, key: str, format_func: Callable[[str], str] = str,
          **kwargs) -> str | None:
    """Radio buttons over string options, stored in the URL parameter `key` unless the first option is chosen."""
    if not options:
        return None
    wanted = st.query_params.get(key)
    if wanted in options:
        _seed(key, wanted)
    value = st.radio(label, list(options), key=key, format_func=format_func, **kwargs)
    _publish(key, value if value != options[0] else None)
    return value


def multiselect(label: str, options: Sequence[str], *, key: str, format_func: Callable[[str], str] = str,
                **kwargs) -> list[str]:
    """A multiselect stored in the URL parameter `key` as a |-separated list (absent when empty)."""
    wanted = st.query_params.get(key)
    if wanted:
        _seed(key, [item for item in wanted.split("|") if item in options])
    elif key in st.session_state:
        st.session_state[key] = [item for item in st.session_state[key] if item in options]
    value = st.multiselect(label, list(options), key=key, format_func=format_func, **kwargs)
    _publish(key, "|".join(value) if value else None)
    return value


def slider(label: str, *, key: str, min_value: int, max_value: int, value: int, **kwargs) -> int:
    """An integer slider stored in the URL parameter `key` when it differs from its default."""
    wanted = st.query_params.get(key)
    if wanted and wanted.isdigit():
        _seed(key, max(min_value, min(max_value, int(wanted))))
    elif key not in st.session_state:
        st.session_state[key] = value
    chosen = st.slider(label, min_value=min_value, max_value=max_value, key=key, **kwargs)
    _publish(key, None if chosen == value else str(chosen))
    return chosen


def text_input(label: str, *, key: str, **kwargs) -> str:
    """A text field stored in the URL parameter `key` (absent when empty)."""
    wanted = st.query_params.get(key)
    if wanted is not None:
        _seed(key, wanted)
    value = st.text_input(label, key=key, **kwargs)
    _publish(key, value.strip() or None)
    return value.strip()


def date_input(label: str, *, key: str, min_value: date | None = None, max_value: date | None = None, **kwargs) -> str:
    """A date picker (empty means no bound) stored in the URL parameter `key` as YYYY-MM-DD; returns that text or ""."""
    wanted = st.query_params.get(key)
    if wanted:
        try:
            chosen = date.fromisoformat(wanted)
        except ValueError:
            chosen = None  # a malformed link is ignored, never an error page
        if chosen and (min_value is None or chosen >= min_value) and (max_value is None or chosen <= max_value):
            _seed(key, chosen)
        elif key not in st.session_state:
            st.session_state[key] = None
    elif key not in st.session_state:
        st.session_state[key] = None
    value = st.date_input(label, key=key, min_value=min_value, max_value=max_value, format="YYYY-MM-DD", **kwargs)
    text = value.isoformat() if isinstance(value, date) else ""
    _publish(key, text or None)
    return text
