"""Entities: who and what dominates coverage, by outlet, with every sentence behind each count."""

import streamlit as st

from analysis.entities import cooccurrence_table, evidence_for, filter_mentions, outlet_labels, top_entities
from dashboard import downloads, urlstate
from analysis.charts import cooccurrence_heatmap, entity_bars
from dashboard.render import md, reader_link
from dashboard.data import filter_caption, view_tables

tables, full = view_tables()
docs = tables.documents
st.title("Entities")
filter_caption(tables, full)
st.caption("People, countries, organisations and places named in the article text (page chrome excluded).")
if tables.mentions.empty:
    st.info("No entity mention in the articles the filters leave. Widen the filters in the sidebar.")
    st.stop()

all_outlets = sorted(set(outlet_labels(full.documents["outlet"])))

with st.container(border=True):
    left, middle, right = st.columns([2, 2, 2])
    with left:
        actor = urlstate.radio("Count by", ["entity", "country"], key="entities.actor", horizontal=True,
                               format_func={"entity": "Entity as named", "country": "Country actor"}.get,
                               help="Country actor adds up a country's name, capital, government seat, demonym and leaders.")
    with middle:
        unit = urlstate.radio("Measure", ["mentions", "per1000"], key="entities.unit", horizontal=True,
                              format_func={"mentions": "Mentions", "per1000": "Per 1,000 words"}.get)
    with right:
        top_n = urlstate.slider("How many", key="entities.n", min_value=5, max_value=40, value=15)

filtered, kept_docs = filter_mentions(tables.mentions, docs)
per_1000 = unit == "per1000"
data = top_entities(filtered, kept_docs, n=top_n, actor=actor, per_1000_words=per_1000)
if data.empty:
    st.info("Nothing to show: no entity mention matches these filters. Widen the filters in the sidebar.")
    st.stop()

value_title = "Mentions per 1,000 words" if per_1000 else "Mentions"
subject = "Country" if actor == "country" else "Entity"
title = f"Most mentioned {'country actors' if actor == 'country' else 'entities'} ({value_title.lower()})"
bars = entity_bars(data, all_outlets=all_outlets, value_title=value_title, title=title, subject=subject)
st.altair_chart(bars, width="stretch", key="entities.chart")
downloads.chart(bars, name="entities", title=title, tables=tables, key="entities.chart_files")
totals = data.drop_duplicates("entity")
leader = totals.iloc[0]
runner = totals.iloc[1] if len(totals) > 1 else None
unit_text = "mentions per 1,000 words" if per_1000 else "mentions"
summary = f"{md(leader['entity'])} leads with {leader['total']:,.{2 if per_1000 else 0}f} {unit_text}"
if runner is not None:
    summary += f", ahead of {md(runner['entity'])} ({runner['total']:,.{2 if per_1000 else 0}f})"
plural = "country actors" if actor == "country" else "entities"
summary += f"; {len(totals)} {plural} shown across {data['outlet'].nunique()} outlets."
st.markdown(summary)

st.subheader("Named together")
order = list(totals["entity"])
key = "entity"
pair_source = filtered
if actor == "country":
    from analysis.entities import country_names

    names = country_names()
    pair_source = filtered[filtered["country_iso3"] != ""].assign(entity=lambda f: f["country_iso3"].map(lambda c: names.get(c, c)))
pairs = cooccurrence_table(pair_source, sentences_total=int(tables.sentences["document"].isin(kept_docs["document"]).sum()), key=key)
pairs = pairs[pairs["entity_a"].isin(order) & pairs["entity_b"].isin(order)]
if pairs.empty:
    st.write("None of the entities above are named in the same sentence.")
else:
    heat = cooccurrence_heatmap(pairs, order=order, title="Sentences that name both")
    st.altair_chart(heat, key="entities.heatmap")
    downloads.chart(heat, name="cooccurrence", title="Entities named in the same sentence", tables=tables,
                    key="entities.heatmap_files")
    strongest = pairs.iloc[0]
    st.markdown(f"Most often together: {md(strongest['entity_a'])} and {md(strongest['entity_b'])}, "
                f"in {int(strongest['sentences'])} sentences from {int(strongest['documents'])} articles.")

st.subheader("Read the evidence")
chosen = urlstate.selectbox(f"{subject} to read about", order, key="entities.entity")
evidence = evidence_for(filtered, tables.sentences, kept_docs, entity=chosen, actor=actor)
st.caption(f"{len(evidence)} sentences in {evidence['document'].nunique()} articles name {chosen}.")
evidence["read"] = [reader_link(d, s) for d, s in zip(evidence["document"], evidence["sentence"])]
st.dataframe(
    evidence.drop(columns=["sentence"]),
    hide_index=True,
    width="stretch",
    column_config={
        "text": st.column_config.TextColumn("Sentence", width="large"), "as_written": "As written",
        "outlet": "Outlet", "published": "Published", "title": st.column_config.TextColumn("Article", width="medium"),
        "document": "File", "read": st.column_config.LinkColumn("Read", display_text="Open in Reader", help="The article, with this sentence outlined"),
    },
    key="entities.evidence",
)
downloads.table(evidence.drop(columns=["read"]), name="entity_evidence", key="entities.evidence_files")
st.caption("The counts behind the chart:")
downloads.table(data, name="entity_counts", key="entities.count_files")
