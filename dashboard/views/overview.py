"""Overview: what a briefing needs in one minute, every element linked to the view with its details."""

import streamlit as st

from analysis.charts import timeline
from analysis.positions import lead_topic
from analysis.views import overview_facts
from dashboard import downloads, page, prose
from dashboard.data import chart_outlets, computed
from dashboard.render import md

REWRITES_SHOWN = 10
TIMELINE_TITLE = "Articles by day, and the events they report"

tables, full = page.start(
    "Briefing Desk", empty=lambda t: t.documents.empty,
    nothing="No article matches the filters (or none could be read). Widen the filters in the sidebar; the Sources "
            "page lists every file and why any was skipped.",
    link={"page": "views/sources.py", "label": "Open Sources", "icon": ":material/table_view:"})
docs = tables.documents
facts = computed("overview.summary", tables, overview_facts)
outlets = facts["outlets"]
st.caption(f"{len(docs):,} articles from {len(outlets)} named outlets"
           + (f", {facts['first']} to {facts['last']}" if facts["first"] else "") + f"; corpus {tables.corpus_hash}.")
page.metrics(("Articles", f"{len(docs):,}"),
             ("Independent texts", f"{facts['independent']:,}", "Articles that rewrite another article count once."),
             ("Outlets named", len(outlets), ", ".join(outlets) or None), ("Files skipped", f"{len(full.skipped):,}"))
downloads.pack(tables, key="overview.pack")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Headline figures")
    if facts["headlines"].empty:
        st.write("No measure is reported about one thing by more than one independent text, and the corpus names "
                 "none of its own (figures.yaml), so there is no headline figure.")
    for row in facts["headlines"].itertuples(index=False):
        st.markdown(prose.headline_line(row, facts["support"]))
    st.page_link("views/figures.py", label="All figures and why sources differ", icon=":material/monitoring:")

with right:
    summary = tables.position_summary
    topic = lead_topic(summary["topic"], summary["reports"])  # most countries have a stance on, then most reports
    st.subheader(f"Positions on {prose.topic_words(topic)}" if topic else "Positions")
    if topic is None:
        st.write("No country stance was found.")
    else:
        for line in prose.stance_lines(summary[summary["topic"] == topic]):
            st.markdown(line)
        st.page_link("views/positions.py", label="Map, evidence and history", icon=":material/public:",
                     query_params={"positions.topic": topic})
    st.subheader("Most named")
    st.markdown(prose.ranked("Countries", facts["actors"]))
    st.markdown(prose.ranked("People", facts["people"]))
    st.page_link("views/entities.py", label="Who dominates coverage", icon=":material/groups:")

st.subheader("Timeline")
if facts["first"]:
    chart = computed("overview.timeline", tables, lambda t, names: timeline(
        t.documents, t.events, all_outlets=list(names), title=TIMELINE_TITLE), tuple(chart_outlets(full)))
    page.chart(chart, key="overview.timeline", name="timeline", title=TIMELINE_TITLE, tables=tables)
    undated = facts["undated"]
    st.caption(f"{len(tables.events):,} dated events in {facts['event_documents']:,} articles"
               + (f"; {undated} undated article{'s are' if undated != 1 else ' is'} not shown." if undated else "."))
else:
    st.write("No article has a publication date, so there is no timeline.")

st.subheader("What changed between the earliest and the latest articles")
if facts["changes"]:
    st.markdown("\n".join(f"- {md(n)}" for n in facts["changes"]))
else:
    st.write("The corpus covers a single date (or none), so there is nothing to compare.")

if not tables.duplicates.empty:
    st.subheader("Rewrites")
    shown_pairs = tables.duplicates.head(REWRITES_SHOWN)
    for row in shown_pairs.itertuples(index=False):
        st.markdown(f"- {md(row.rewrite)} rewrites {md(row.original)} ({row.shared_sentences} shared sentences): "
                    "it counts once as a source.")
    if len(tables.duplicates) > len(shown_pairs):
        st.caption(f"The {len(shown_pairs)} closest of {len(tables.duplicates):,} rewrites; Sources lists them all.")
    st.page_link("views/sources.py", label="Compare the texts side by side", icon=":material/table_view:")
