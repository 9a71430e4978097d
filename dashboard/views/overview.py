"""Overview: what a briefing needs in one minute, every element linked to the view with its details."""

import streamlit as st

from analysis.entities import UNKNOWN_OUTLET, filter_mentions, top_entities
from analysis.figures import format_value, headline_figures
from analysis.overview import changes
from analysis.charts import STANCE_WORDS, timeline
from dashboard.render import md
from dashboard import downloads
from dashboard.data import chart_outlets, computed, filter_caption, view_tables

REWRITES_SHOWN = 10

tables, full = view_tables()
docs = tables.documents
st.title("Briefing Desk")
filter_caption(tables, full)
if docs.empty:
    st.info("No article matches the filters (or none could be read). Widen the filters in the sidebar; the Sources "
            "page lists every file and why any was skipped.")
    st.page_link("views/sources.py", label="Open Sources", icon=":material/table_view:")
    st.stop()



def _summary(t):
    """Everything below that is derived from the tables, computed once per set of tables (dashboard.data.computed)."""
    d = t.documents
    filtered, kept = filter_mentions(t.mentions, d)
    published = d.loc[d["published"] != "", "published"]
    return {
        "first": published.min() if len(published) else "", "last": published.max() if len(published) else "",
        "outlets": sorted({o for o in d["outlet"] if o}), "independent": d["original"].nunique(),
        "undated": int((d["published"] == "").sum()),
        "headlines": headline_figures(t.figures, originals=dict(zip(d["document"], d["original"]))),
        "support": dict(zip(t.support["key"], t.support["independent_texts"])),
        "actors": top_entities(filtered, kept, n=6, actor="country").drop_duplicates("entity"),
        "people": top_entities(filtered[filtered["label"] == "PERSON"], kept, n=5).drop_duplicates("entity"),
        "changes": changes(t.figures, t.positions, t.mentions, d),
        "event_documents": t.events["document"].nunique() if not t.events.empty else 0,
    }


facts = computed("overview.summary", tables, _summary)
outlets = facts["outlets"]
st.caption(f"{len(docs):,} articles from {len(outlets)} named outlets"
           + (f", {facts['first']} to {facts['last']}" if facts["first"] else "") + f"; corpus {tables.corpus_hash}.")
kpis = st.columns(4)
kpis[0].metric("Articles", f"{len(docs):,}")
kpis[1].metric("Independent texts", f"{facts['independent']:,}", help="Articles that rewrite another article count once.")
kpis[2].metric("Outlets named", len(outlets), help=", ".join(outlets) or None)
kpis[3].metric("Files skipped", f"{len(full.skipped):,}")
downloads.pack(tables, key="overview.pack")

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Headline figures")
    headlines, support = facts["headlines"], facts["support"]
    if headlines.empty:
        st.write("No figure of a known quantity was found.")
    for row in headlines.itertuples(index=False):
        texts = ""
        if f"{row.quantity}={row.value:g}" in support:
            n = int(support[f"{row.quantity}={row.value:g}"])
            texts = f", {n} independent text{'s' if n != 1 else ''}"
        value = format_value(row.value, row.unit, approximate=row.approximate, prose=True)
        also = f" (also reported: {row.other_values})" if row.other_values else ""
        st.markdown(f"**{md(row.quantity_label)}: {md(value)}**{md(also)}  \n"
                    f"{md(row.outlet or UNKNOWN_OUTLET)}, {row.published or 'undated'}{texts}")
    st.page_link("views/figures.py", label="All figures and why sources differ", icon=":material/monitoring:")

with right:
    st.subheader("Positions on troops")
    summary = tables.position_summary
    topic = "troops" if (summary["topic"] == "troops").any() else (summary["topic"].iloc[0] if not summary.empty else None)
    if topic is None:
        st.write("No country stance was found.")
    else:
        shown = summary[summary["topic"] == topic]
        for stance, word in STANCE_WORDS.items():
            names = shown[shown["stance"] == stance]
            if not names.empty:
                listed = ", ".join(f"{c}{' (sources disagree)' if x else ''}" for c, x in zip(names["country"], names["conflict"]))
                st.markdown(f"**{word}:** {listed}")
        st.page_link("views/positions.py", label="Map, evidence and history", icon=":material/public:",
                     query_params={"positions.topic": topic})
    st.subheader("Most named")
    actors, people = facts["actors"], facts["people"]
    st.markdown("**Countries:** " + ", ".join(f"{md(e)} ({int(t):,})" for e, t in zip(actors["entity"], actors["total"])))
    st.markdown("**People:** " + ", ".join(f"{md(e)} ({int(t):,})" for e, t in zip(people["entity"], people["total"])))
    st.page_link("views/entities.py", label="Who dominates coverage", icon=":material/groups:")

st.subheader("Timeline")
all_outlets = chart_outlets(full)
if facts["first"]:
    timeline_chart = computed("overview.timeline", tables, lambda t, names: timeline(
        t.documents, t.events, all_outlets=list(names), title="Articles by day, and the events they report"),
        tuple(all_outlets))
    st.altair_chart(timeline_chart, width="stretch", key="overview.timeline")
    downloads.chart(timeline_chart, name="timeline", title="Articles by day, and the events they report", tables=tables,
                    key="overview.timeline_files")
    undated = facts["undated"]
    st.caption(f"{len(tables.events):,} dated events in {facts['event_documents']:,} articles"
               + (f"; {undated} undated article{'s are' if undated != 1 else ' is'} not shown." if undated else "."))
else:
    st.write("No article has a publication date, so there is no timeline.")

st.subheader("What changed between the earliest and the latest articles")
notes = facts["changes"]
if notes:
    st.markdown("\n".join(f"- {md(n)}" for n in notes))
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
