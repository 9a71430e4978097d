"""Briefing Desk Streamlit dashboard."""
