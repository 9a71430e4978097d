"""Entities: who and what dominates coverage, by outlet, with every sentence behind each count."""

import streamlit as st
from streamlit.column_config import TextColumn

from analysis.charts import cooccurrence_heatmap, entity_bars
from analysis.entities import evidence_for, filter_mentions, top_entities
from analysis.views import named_together
from dashboard import downloads, page, prose, urlstate
from dashboard.data import chart_outlets, computed
from dashboard.render import md

tables, full = page.start(
    "Entities", caption="People, countries, organisations and places named in the article text (page chrome excluded).",
    empty=lambda t: t.mentions.empty,
    nothing="No entity mention in the articles the filters leave. Widen the filters in the sidebar.")

with st.container(border=True):
    left, middle, right = st.columns([2, 2, 2])
    with left:
        actor = urlstate.radio("Count by", ["entity", "country"], key="entities.actor", horizontal=True,
                               format_func={"entity": "Entity as named", "country": "Country actor"}.get,
                               help="Country actor adds up a country's name, capital, government seat, demonym and "
                                    "leaders.")
    with middle:
        unit = urlstate.radio("Measure", ["mentions", "per1000"], key="entities.unit", horizontal=True,
                              format_func={"mentions": "Mentions", "per1000": "Per 1,000 words"}.get)
    with right:
        top_n = urlstate.slider("How many", key="entities.n", min_value=5, max_value=40, value=15)
per_1000 = unit == "per1000"


def _mentions(t):
    """(mentions with outlet and date, their articles), once per set of tables."""
    return computed("entities.mentions", t, lambda u: filter_mentions(u.mentions, u.documents))


def _all_evidence(t, name, by):
    filtered, kept = _mentions(t)
    return evidence_for(filtered, t.sentences, kept, entity=name, actor=by)


def _evidence(t, name, by):
    """The rows the page shows, with links, and the whole table's size: the download builds all rows when clicked."""
    rows = _all_evidence(t, name, by)
    return page.linked_rows(rows), len(rows), rows["document"].nunique()


data = computed("entities.top", tables, lambda t, n, by, rate: top_entities(
    *_mentions(t), n=n, actor=by, per_1000_words=rate), top_n, actor, per_1000)
page.stop_if(data.empty, "Nothing to show: no entity mention matches these filters. Widen the filters in the sidebar.")

value_title = "Mentions per 1,000 words" if per_1000 else "Mentions"
subject = "Country" if actor == "country" else "Entity"
title = f"Most mentioned {'country actors' if actor == 'country' else 'entities'} ({value_title.lower()})"
page.chart(entity_bars(data, all_outlets=chart_outlets(full), value_title=value_title, title=title, subject=subject),
           key="entities.chart", name="entities", title=title, tables=tables)
st.markdown(prose.entity_summary(data, per_1000=per_1000, actor=actor))

st.subheader("Named together")
order = list(data.drop_duplicates("entity")["entity"])
pairs = computed("entities.pairs", tables, lambda t, by, names: named_together(
    *_mentions(t), t.sentences, actor=by, names=names), actor, tuple(order))
if pairs.empty:
    st.write("None of the entities above are named in the same sentence.")
else:
    page.chart(cooccurrence_heatmap(pairs, order=order, title="Sentences that name both"), key="entities.heatmap",
               name="cooccurrence", title="Entities named in the same sentence", tables=tables, stretch=False)
    st.markdown(prose.strongest_pair(pairs.iloc[0]))

st.subheader("Read the evidence")
chosen = urlstate.selectbox(f"{subject} to read about", order, key="entities.entity")
evidence, sentence_count, article_count = computed("entities.evidence", tables, _evidence, chosen, actor)
page.evidence_table(
    evidence.drop(columns=["sentence"]), key="entities.evidence", total=sentence_count,
    caption=f"{sentence_count:,} sentences in {article_count:,} articles name {md(chosen)}",
    columns={"text": TextColumn("Sentence", width="large"), "as_written": "As written", "outlet": "Outlet",
             "published": "Published", "title": TextColumn("Article", width="medium"), "document": "File"},
    download=lambda: _all_evidence(tables, chosen, actor), name="entity_evidence")
st.caption("The counts behind the chart:")
downloads.table(data, name="entity_counts", key="entities.count_files")
