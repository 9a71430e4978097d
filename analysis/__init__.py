"""Briefing Desk analysis library: corpus reading, cleaning, NLP and the tables behind the dashboard."""

__version__ = "0.1.0"

# Bump when a change alters any table a build produces, so stored results are recomputed.
ANALYSIS_VERSION = "2"
