"""The sidebar filters every view shares; their values live in the URL."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.entities import LABEL_NAMES, country_names, outlet_labels
from analysis.positions import topic_label, topic_order
from analysis.query import Filters
from analysis.tables import Tables
from dashboard import state, urlstate
from dashboard.data import computed

EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def render(tables: Tables) -> Filters:
    """Draw the filters in the sidebar and return what they select (also kept in the session for the views)."""
    outlets, labels, countries, topics = computed("filters.options", tables, _options)
    names = country_names()
    with st.sidebar:
        st.markdown("**Filters**")
        chosen_outlets = urlstate.multiselect("Outlets", outlets, key="f.outlets", placeholder="All outlets")
        # Any date is a valid bound (a link from a larger corpus may carry one far from these articles).
        date_from = urlstate.date_input("Published from", key="f.from", min_value=EARLIEST, max_value=LATEST)
        date_to = urlstate.date_input("Published until", key="f.to", min_value=EARLIEST, max_value=LATEST)
        chosen_labels = urlstate.multiselect("Entity types", labels, key="f.types", format_func=LABEL_NAMES.get,
                                             placeholder="All types")
        chosen_countries = urlstate.multiselect("Countries", countries, key="f.countries",
                                                format_func=lambda c: names.get(c, c), placeholder="All countries")
        chosen_topics = urlstate.multiselect("Topics", topics, key="f.topics", format_func=topic_label,
                                             placeholder="All topics")
        search = urlstate.text_input("Sentences containing", key="f.q", placeholder="e.g. ceasefire")
    filters = Filters(
        outlets=tuple(chosen_outlets), date_from=date_from, date_to=date_to, labels=tuple(chosen_labels),
        countries=tuple(chosen_countries), topics=tuple(chosen_topics), search=search,
    )
    state.remember(filters)
    return filters


def _options(tables: Tables) -> tuple[list[str], list[str], list[str], list[str]]:
    """What each filter offers: outlets, entity types, countries and topics present in the tables."""
    outlets = sorted(set(outlet_labels(tables.documents["outlet"])))
    present = set(tables.mentions["label"].unique())
    labels = [label for label in LABEL_NAMES if label in present]
    names = country_names()
    countries = sorted((c for c in tables.mentions["country_iso3"].unique() if c), key=lambda c: names.get(c, c))
    topics = topic_order(tables.positions["topic"])
    return outlets, labels, countries, topics


def share_link() -> None:
    """A copyable link that reopens exactly this view: page, filters and the view's own selections."""
    from urllib.parse import urlencode

    base = st.context.url or ""
    query = urlencode(st.query_params.to_dict())
    with st.sidebar:
        st.markdown("**Share this view**")
        st.code(f"{base}?{query}" if query else base or "(open in a browser to get a link)", language=None,
                wrap_lines=True)
        st.caption("Copy the link (button at the right of the box): it opens this page with these filters and "
                   "selections.")
