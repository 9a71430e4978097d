"""This session's current filters: set by the sidebar (dashboard.filters), read by the data layer and downloads."""

from __future__ import annotations

import streamlit as st

from analysis.query import Filters

SESSION_KEY = "filters.current"


def remember(filters: Filters) -> None:
    """Keep what the sidebar selected on this run for the view (and its downloads) to read."""
    st.session_state[SESSION_KEY] = filters


def current() -> Filters:
    """The filters the sidebar set on this run (none before it has been drawn)."""
    return st.session_state.get(SESSION_KEY, Filters())
