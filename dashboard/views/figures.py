"""Figures: every number the sources cite, grouped by what it measures, with where and why they disagree."""

import streamlit as st
from streamlit.column_config import NumberColumn, TextColumn

from analysis.charts import figure_timeline
from analysis.views import figure_evidence, measures, prepared_figures, same_measure
from dashboard import page, prose, urlstate
from dashboard.data import chart_outlets, computed

DISAGREEMENTS_SHOWN = 15

tables, full = page.start(
    "Figures",
    caption="Numbers cited in the article text, grouped by what they measure. Hover a point for its wording.",
    empty=lambda t: t.figures.empty,
    nothing="No figures in the articles the filters leave. Widen the filters in the sidebar.")


def _all_evidence(t, quantities, outlets, units):
    """The rows of the full table for these selections, with sentence and article title."""
    shown = computed("figures.prepared", t, prepared_figures)[0]
    return figure_evidence(shown, t.sentences, t.documents, quantities=quantities, outlets=outlets, units=units)


def _measures(t, search):
    """The measures of the view's figures that match search."""
    return measures(computed("figures.prepared", t, prepared_figures)[0], search=search)


def _evidence(t, quantities, outlets, units):
    """The rows the page shows, with links, and the selection's size: the downloads build all rows when clicked."""
    rows = _all_evidence(t, quantities, outlets, units)
    return page.linked_rows(rows), len(rows)


figures, labels, present, headlines = computed("figures.prepared", tables, prepared_figures)
all_outlets = chart_outlets(full)

st.subheader("Headline figures")
if headlines.empty:
    st.caption("No measure is reported about one thing by more than one independent text, and the corpus names no "
               "measures of its own (a figures.yaml beside the articles), so there is no headline figure. Every "
               "figure is listed below under what it measures.")
page.metrics(*map(prose.headline_card, headlines.itertuples(index=False)), per_row=3)

st.subheader("Measures")
search = urlstate.text_input("Find a measure", key="figures.search",
                             placeholder="a word of what is measured or of a figure: killed, aid, troops, $")
found = computed("figures.measures", tables, _measures, search)
catch_all = figures["quantity"].str.startswith("other_").mean() if len(figures) else 0.0
st.caption(f"{len(found):,} measure{'s' if len(found) != 1 else ''}"
           f"{' matching “' + search + '”' if search.strip() else ''}, read from how each sentence is built "
           f"(the counted thing, what happened to it, whose it is); {catch_all:.0%} of all {len(figures):,} figures "
           "have no measure and are grouped by unit.")
page.evidence_table(
    found[["label", "figures", "articles", "outlets", "values", "first", "last"]], key="figures.measure_table",
    columns={"label": TextColumn("Measure", width="medium"), "figures": NumberColumn("Figures", format="%d"),
             "articles": NumberColumn("Articles", format="%d"), "outlets": NumberColumn("Outlets", format="%d"),
             "values": TextColumn("Values reported", width="large"), "first": "First reported",
             "last": "Last reported"},
    download=lambda: found, name="measures")
if found.empty:
    st.info(f"No measure matches “{search}”. The timeline below shows every measure; clear the search to list them.")

st.subheader("One measure over time")
options = [q for q in found["quantity"]] or present
choice = urlstate.selectbox("Measure", options, key="figures.quantity", format_func=lambda k: labels.get(k, k))
related, family, unit = same_measure(figures, choice)
dated = related[related["published"] != ""]
if dated.empty:
    st.info("None of the reports of this quantity carry a publication date, so there is nothing to place on a time "
            "axis.")
else:
    title = f"{labels.get(choice, choice)}: every report by date"
    page.chart(figure_timeline(dated, all_outlets=all_outlets, title=title,
                               value_title=unit if unit not in ("year", "number") else "Value"),
               key="figures.chart", name=f"figure_{choice}", title=title, tables=tables)
st.markdown(prose.reports_summary(related, undated=len(related) - len(dated)))
disagreements = tables.discrepancies[tables.discrepancies["family"] == family]
if not disagreements.empty:
    st.markdown("**Why the sources differ**")
    if len(disagreements) > DISAGREEMENTS_SHOWN:
        st.caption(f"{DISAGREEMENTS_SHOWN} of {len(disagreements):,} differing pairs; the discrepancies table in the "
                   "briefing pack has all.")
    for row in disagreements.head(DISAGREEMENTS_SHOWN).itertuples(index=False):
        st.markdown(prose.disagreement(row))

st.subheader("All figures")
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    with c1:
        pick_quantities = urlstate.multiselect("What is measured", present, key="figures.quantities",
                                               format_func=lambda k: labels.get(k, k), placeholder="Everything")
    with c2:
        pick_outlets = urlstate.multiselect("Outlets", all_outlets, key="figures.outlets", placeholder="All outlets")
    with c3:
        pick_units = urlstate.multiselect("Units", sorted(set(figures["unit"])), key="figures.units",
                                          placeholder="All units")
selection = (tuple(pick_quantities), tuple(pick_outlets), tuple(pick_units))
evidence, selected = computed("figures.evidence", tables, _evidence, *selection)
page.evidence_table(
    evidence[["shown", "quantity_label", "text", "evidence", "read", "outlet", "published", "title", "value", "unit",
              "bound"]], key="figures.table", caption=f"{selected:,} of {len(figures):,} figures", total=selected,
    columns={"shown": "Figure", "quantity_label": "What it measures", "text": "As written", "outlet": "Outlet",
             "evidence": TextColumn("Sentence", width="large"), "published": "Published", "title": "Article",
             "value": NumberColumn("Value", format="%g"), "unit": "Unit", "bound": "Bound"},
    download=lambda: _all_evidence(tables, *selection).drop(columns=["shown"]), name="figures")
