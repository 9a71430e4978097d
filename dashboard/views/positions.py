"""Positions: where each country stands on each topic, on a map and in a table, every cell with its sentence; an
analyst with editing rights reviews single positions and the topics."""

import streamlit as st
from streamlit.column_config import NumberColumn, TextColumn

from analysis.charts import position_map, world_shapes
from analysis.positions import topic_label, topic_order
from analysis.views import country_history, topic_stances
from dashboard import editing, page, prose, urlstate
from dashboard.data import mapped_countries
from dashboard.render import TABLE_ROWS, plural

tables, full = page.start(
    "Positions",
    caption="Each country's latest stated stance per topic, from the sentence that states it. Hover a country for "
            "its source.",
    empty=lambda t: t.position_summary.empty,
    nothing="No country stance in the articles the filters leave: no sentence names a country together with a "
            "stance (such as “pledged”, “ruled out”, “would require”). Widen the filters in the sidebar.")
may_edit = editing.can_edit()
editing.show_notice()

left, right = st.columns([3, 1])
with left:
    cells = tables.position_summary
    topic = urlstate.selectbox("Topic", topic_order(cells["topic"], cells["reports"]), key="positions.topic",
                               format_func=topic_label)
with right:
    region = urlstate.radio("Map", ["europe", "world"], key="positions.region", horizontal=True,
                            format_func={"europe": "Europe", "world": "World"}.get)
shown = topic_stances(tables.position_summary, topic)

map_title = f"{topic_label(topic)}: latest stance"
page.chart(position_map(shown, shapes=world_shapes(), region=region, title=map_title), key="positions.map",
           name=f"positions_{topic}", title=map_title, tables=tables, stretch=False)
st.markdown(prose.stance_summary(shown, topic))
off_map = shown[~shown["iso3"].isin(mapped_countries())]
if not off_map.empty:
    st.caption(f"Not drawn on the map (no outline): {', '.join(off_map['country'])}.")

st.subheader("Country by country")
page.evidence_table(
    page.linked_rows(shown, limit=len(shown))[[
        "country", "stance_word", "conditions", "attributed_to", "claimed_by", "outlet", "published", "evidence",
        "read", "conflict_note", "reports", "source_word", "note"]],
    key="positions.table", name=f"positions_{topic}",
    columns={"country": "Country", "stance_word": "Stance", "conditions": "Conditions",
             "attributed_to": "Attributed to", "claimed_by": "Claimed by", "outlet": "Source", "published": "Date",
             "evidence": TextColumn("Evidence", width="large"),
             "conflict_note": "Sources disagree", "reports": NumberColumn("Reports", format="%d"),
             "source_word": "Set by", "note": "Analyst note"})
if may_edit:
    editing.review_positions(tables.positions, topic)
else:
    editing.read_only_note()

st.subheader("One country's history")
country = urlstate.selectbox("Country", sorted(shown["country"]), key="positions.country")
history, total, article_count = country_history(tables.positions, country, limit=TABLE_ROWS)
history["set_by"] = editing.set_by(history)
page.evidence_table(
    page.linked_rows(history)[["published", "topic", "stance", "conditions", "attributed_to", "claimed_by", "outlet",
                                "evidence", "read", "set_by", "note", "document"]],
    key="positions.history", total=total,
    caption=f"{plural(total, 'report')} of {country}'s stance in {plural(article_count, 'article')}, newest first "
            "(rejected ones included; the map leaves them out)",
    columns={"published": "Date", "topic": "Topic", "stance": "Stance", "conditions": "Conditions",
             "attributed_to": "Attributed to", "claimed_by": "Claimed by", "outlet": "Source",
             "evidence": TextColumn("Evidence", width="large"), "set_by": "Set by", "note": "Analyst note",
             "document": "File"})

with st.expander("Topics"):
    editing.topics_section(full.topics, editable=may_edit)
