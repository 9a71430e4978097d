"""Positions: where each country stands on each topic, on a map and in a table, every cell with its sentence."""

import streamlit as st

from analysis.entities import outlet_labels
from dashboard import downloads, urlstate
from analysis.charts import STANCE_WORDS, position_map, world_shapes
from dashboard.data import filter_caption, mapped_countries, view_tables
from dashboard.filters import TOPIC_WORDS
from dashboard.render import TABLE_ROWS, reader_link, shown_rows_note


tables, full = view_tables()
summary = tables.position_summary.copy()
positions = tables.positions
st.title("Positions")
filter_caption(tables, full)
st.caption("Each country's latest stated stance per topic, from the sentence that states it. Hover a country for its source.")
if summary.empty:
    st.info("No country stance in the articles the filters leave: no sentence names a country together with a "
            "stance (such as “pledged”, “ruled out”, “would require”). Widen the filters in the sidebar.")
    st.stop()

topics = sorted(set(summary["topic"]), key=lambda t: list(TOPIC_WORDS).index(t) if t in TOPIC_WORDS else 99)
left, right = st.columns([3, 1])
with left:
    topic = urlstate.selectbox("Topic", topics, key="positions.topic", format_func=lambda t: TOPIC_WORDS.get(t, t))
with right:
    region = urlstate.radio("Map", ["europe", "world"], key="positions.region", horizontal=True,
                            format_func={"europe": "Europe", "world": "World"}.get)
shown = summary[summary["topic"] == topic].copy()
shown["stance_word"] = shown["stance"].map(STANCE_WORDS)
shown["outlet"] = outlet_labels(shown["outlet"])
shown["conflict_text"] = shown["conflict_note"].where(shown["conflict"], "")
shown["source_word"] = shown["source"].map({"analyst": "analyst override", "extracted": "extracted from text"})

map_title = f"{TOPIC_WORDS.get(topic, topic)}: latest stance"
stance_map = position_map(shown, shapes=world_shapes(), region=region, title=map_title)
st.altair_chart(stance_map, key="positions.map")
downloads.chart(stance_map, name=f"positions_{topic}", title=map_title, tables=tables, key="positions.map_files")
counts = shown["stance"].value_counts()
parts = [f"{counts[s]} {STANCE_WORDS[s].lower()}" for s in STANCE_WORDS if s in counts]
conflicts = shown[shown["conflict"]]
sentence = f"{len(shown)} countries have a reported stance on {TOPIC_WORDS.get(topic, topic).lower()}: {', '.join(parts)}."
if not conflicts.empty:
    sentence += f" Sources of similar dates disagree on {', '.join(conflicts['country'])}."
st.markdown(sentence)
off_map = shown[~shown["iso3"].isin(mapped_countries())]
if not off_map.empty:
    st.caption(f"Not drawn on the map (no outline): {', '.join(off_map['country'])}.")

st.subheader("Country by country")
shown["read"] = [reader_link(d, s) if d and s >= 0 else None for d, s in zip(shown["document"], shown["sentence"])]
table = shown[["country", "stance_word", "conditions", "attributed_to", "outlet", "published", "evidence", "read",
               "conflict_note", "reports", "source_word", "note"]]
st.dataframe(
    table, hide_index=True, width="stretch", key="positions.table",
    column_config={
        "country": "Country", "stance_word": "Stance", "conditions": "Conditions", "attributed_to": "Attributed to",
        "outlet": "Source", "published": "Date", "evidence": st.column_config.TextColumn("Evidence", width="large"),
        "conflict_note": "Sources disagree", "reports": st.column_config.NumberColumn("Reports", format="%d"),
        "source_word": "Set by", "note": "Analyst note", "read": st.column_config.LinkColumn("Read", display_text="Open in Reader", help="The article, with this sentence outlined"),
    },
)
downloads.table(table.drop(columns=["read"]), name=f"positions_{topic}", key="positions.table_files")

st.subheader("One country's history")
countries = list(shown.sort_values("country")["country"])
country = urlstate.selectbox("Country", countries, key="positions.country")
history = positions[positions["country"] == country]
total, article_count = len(history), history["document"].nunique()
reports = f"{total:,} report{'s' if total != 1 else ''}"
articles = f"{article_count:,} article{'s' if article_count != 1 else ''}"
# Newest first; only the rows shown are labelled and linked (a country can have tens of thousands of reports).
history = history.sort_values(["published", "document"], ascending=[False, True]).head(TABLE_ROWS).copy()
history["topic"] = history["topic"].map(lambda t: TOPIC_WORDS.get(t, t))
history["stance"] = history["stance"].map(STANCE_WORDS)
history["outlet"] = outlet_labels(history["outlet"])
history["read"] = [reader_link(d, s) for d, s in zip(history["document"], history["sentence"])]
st.caption(f"{reports} of {country}'s stance in {articles}, newest first" + shown_rows_note(total))
st.dataframe(
    history[["published", "topic", "stance", "conditions", "attributed_to", "outlet", "evidence", "read", "document"]].head(TABLE_ROWS),
    hide_index=True, width="stretch", key="positions.history",
    column_config={"published": "Date", "topic": "Topic", "stance": "Stance", "conditions": "Conditions",
                   "attributed_to": "Attributed to", "outlet": "Source",
                   "evidence": st.column_config.TextColumn("Evidence", width="large"), "document": "File",
                   "read": st.column_config.LinkColumn("Read", display_text="Open in Reader", help="The article, with this sentence outlined")},
)
