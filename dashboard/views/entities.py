"""Entities: who and what dominates coverage, by outlet, with every sentence behind each count."""

import streamlit as st

from analysis.entities import cooccurrence_table, country_names, evidence_for, filter_mentions, top_entities
from dashboard import downloads, urlstate
from analysis.charts import cooccurrence_heatmap, entity_bars
from dashboard.render import TABLE_ROWS, md, reader_link, shown_rows_note
from dashboard.data import chart_outlets, computed, filter_caption, view_tables

tables, full = view_tables()
docs = tables.documents
st.title("Entities")
filter_caption(tables, full)
st.caption("People, countries, organisations and places named in the article text (page chrome excluded).")
if tables.mentions.empty:
    st.info("No entity mention in the articles the filters leave. Widen the filters in the sidebar.")
    st.stop()

all_outlets = chart_outlets(full)

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

per_1000 = unit == "per1000"


def _mentions(t):
    return filter_mentions(t.mentions, t.documents)


def _top(t, n, by, per_thousand):
    filtered, kept = computed("entities.mentions", t, _mentions)
    return top_entities(filtered, kept, n=n, actor=by, per_1000_words=per_thousand)


def _pairs(t, by, names_shown):
    filtered, kept = computed("entities.mentions", t, _mentions)
    source = filtered
    if by == "country":
        names = country_names()
        source = filtered[filtered["country_iso3"] != ""].assign(entity=lambda f: f["country_iso3"].map(lambda c: names.get(c, c)))
    source = source[source["entity"].isin(names_shown)]
    total = int(t.sentences["document"].isin(kept["document"]).sum())
    found = cooccurrence_table(source, sentences_total=total, key="entity")
    return found[found["entity_a"].isin(names_shown) & found["entity_b"].isin(names_shown)]


def _all_evidence(t, name, by):
    filtered, kept = computed("entities.mentions", t, _mentions)
    return evidence_for(filtered, t.sentences, kept, entity=name, actor=by)


def _evidence(t, name, by):
    """The rows the page shows, with links, and the whole table's size: a country named in tens of thousands of
    sentences would otherwise keep them all in memory per view. The download builds the whole table when clicked."""
    rows = _all_evidence(t, name, by)
    shown = rows.take(range(min(len(rows), TABLE_ROWS)))  # new buffers: a slice would keep every row alive
    shown["read"] = [reader_link(d, s) for d, s in zip(shown["document"], shown["sentence"])]
    return shown, len(rows), rows["document"].nunique()


data = computed("entities.top", tables, _top, top_n, actor, per_1000)
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
pairs = computed("entities.pairs", tables, _pairs, actor, tuple(order))
if pairs.empty:
    st.write("None of the entities above are named in the same sentence.")
else:
    heat = cooccurrence_heatmap(pairs, order=order, title="Sentences that name both")
    st.altair_chart(heat, key="entities.heatmap")
    downloads.chart(heat, name="cooccurrence", title="Entities named in the same sentence", tables=tables,
                    key="entities.heatmap_files")
    strongest = pairs.iloc[0]
    st.markdown(f"Most often together: {md(strongest['entity_a'])} and {md(strongest['entity_b'])}, "
                f"in {int(strongest['sentences']):,} sentences from {int(strongest['documents']):,} articles.")

st.subheader("Read the evidence")
chosen = urlstate.selectbox(f"{subject} to read about", order, key="entities.entity")
evidence, sentence_count, article_count = computed("entities.evidence", tables, _evidence, chosen, actor)
st.caption(f"{sentence_count:,} sentences in {article_count:,} articles name {md(chosen)}"
           + shown_rows_note(sentence_count))
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
downloads.table(lambda: _all_evidence(tables, chosen, actor), name="entity_evidence", key="entities.evidence_files")
st.caption("The counts behind the chart:")
downloads.table(data, name="entity_counts", key="entities.count_files")
