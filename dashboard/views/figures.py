"""Figures: every number the sources cite, grouped by what it measures, with where and why they disagree."""

import streamlit as st
from streamlit.column_config import NumberColumn, TextColumn

from analysis.charts import figure_timeline
from analysis.views import figure_evidence, prepared_figures, same_measure
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


def _evidence(t, quantities, outlets, units):
    """The rows the page shows, with links, and the selection's size: the downloads build all rows when clicked."""
    rows = _all_evidence(t, quantities, outlets, units)
    return page.linked_rows(rows), len(rows)


figures, labels, present, headlines = computed("figures.prepared", tables, prepared_figures)
all_outlets = chart_outlets(full)

st.subheader("Headline figures")
page.metrics(*map(prose.headline_card, headlines.itertuples(index=False)), per_row=3)

st.subheader("One quantity over time")
choice = urlstate.selectbox("Quantity", present, key="figures.quantity", format_func=lambda k: labels.get(k, k))
related, family, unit = same_measure(figures, choice)
dated = related[related["published"] != ""]
if dated.empty:
    st.info("None of the reports of this quantity carry a publication date, so there is nothing to place on a time "
            "axis.")
else:
    title = f"{labels[choice]}: every report by date"
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
        pick_quantities = urlstate.multiselect("What is counted", present, key="figures.quantities",
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
              "approximate"]], key="figures.table", caption=f"{selected:,} of {len(figures):,} figures", total=selected,
    columns={"shown": "Figure", "quantity_label": "What it counts", "text": "As written", "outlet": "Outlet",
             "evidence": TextColumn("Sentence", width="large"), "published": "Published", "title": "Article",
             "value": NumberColumn("Value", format="%g"), "unit": "Unit", "approximate": "Approximate"},
    download=lambda: _all_evidence(tables, *selection).drop(columns=["shown"]), name="figures")
