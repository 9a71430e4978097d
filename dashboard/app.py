"""Briefing Desk: `streamlit run dashboard/app.py [-- CORPUS_FOLDER]`."""

import sys
from pathlib import Path

# Running from a plain checkout (not pip-installed) must work too, as on a hosting service.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from dashboard import filters  # noqa: E402
from dashboard.data import load_tables  # noqa: E402

st.set_page_config(page_title="Briefing Desk", page_icon="📰", layout="wide")

pages = [
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("views/sources.py", title="Sources", icon=":material/table_view:", url_path="sources"),
    st.Page("views/figures.py", title="Figures", icon=":material/monitoring:", url_path="figures"),
    st.Page("views/positions.py", title="Positions", icon=":material/public:", url_path="positions"),
    st.Page("views/entities.py", title="Entities", icon=":material/groups:", url_path="entities"),
    st.Page("views/reader.py", title="Reader", icon=":material/article:", url_path="reader"),
    st.Page("views/upload.py", title="Add articles", icon=":material/upload_file:", url_path="upload"),
]
page = st.navigation(pages)
filters.render(load_tables())
page.run()
filters.share_link()
