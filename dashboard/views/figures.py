"""Figures: every number the sources cite, grouped by what it measures, with where and why they disagree."""

import streamlit as st

from analysis.entities import UNKNOWN_OUTLET, outlet_labels
from analysis.figures import format_value, headline_figures, lexicon
from dashboard import downloads, urlstate
from analysis.charts import figure_timeline
from dashboard.render import md, plural, reader_link
from dashboard.data import filter_caption, view_tables

tables, full = view_tables()
docs = tables.documents
figures = tables.figures.copy()
st.title("Figures")
filter_caption(tables, full)
st.caption("Numbers cited in the article text, grouped by what they measure. Hover a point for its wording.")
if figures.empty:
    st.info("No figures in the articles the filters leave. Widen the filters in the sidebar.")
    st.stop()

figures["outlet"] = outlet_labels(figures["outlet"])
figures["shown"] = [format_value(v, u, approximate=a) for v, u, a in zip(figures["value"], figures["unit"], figures["approximate"])]
all_outlets = sorted(set(outlet_labels(full.documents["outlet"])))
defined = [q["key"] for q in lexicon().quantities]
labels = dict(zip(figures["quantity"], figures["quantity_label"]))
present = [k for k in defined if k in labels] + sorted((k for k in labels if k not in defined), key=lambda k: -int((figures["quantity"] == k).sum()))


st.subheader("Headline figures")
headlines = headline_figures(tables.figures, originals=dict(zip(docs['document'], docs['original'])))
rows = list(headlines.itertuples(index=False))
for start in range(0, len(rows), 3):
    columns = st.columns(3)
    for column, row in zip(columns, rows[start : start + 3]):
        number = format_value(row.value, row.unit, with_unit=False, approximate=row.approximate)
        column.metric(row.quantity_label, number, help=f"As written: “{row.phrase}”")
        source = f"{row.outlet or UNKNOWN_OUTLET}, {row.published or 'undated'}"
        column.caption(f"{source} · {row.reports} report{'s' if row.reports != 1 else ''} in {row.articles} "
                       f"article{'s' if row.articles != 1 else ''}" + (f" · also reported: {row.other_values}" if row.other_values else ""))

st.subheader("One quantity over time")
choice = urlstate.selectbox("Quantity", present, key="figures.quantity", format_func=lambda k: labels.get(k, k))
family = figures.loc[figures["quantity"] == choice, "family"].iloc[0]
unit = figures.loc[figures["quantity"] == choice, "unit"].iloc[0]
related = figures[(figures["family"] == family) & (figures["unit"] == unit)]
dated = related[related["published"] != ""]
if dated.empty:
    st.info("None of the reports of this quantity carry a publication date, so there is nothing to place on a time axis.")
else:
    timeline_chart = figure_timeline(dated, all_outlets=all_outlets, title=f"{labels[choice]}: every report by date",
                                     value_title=unit if unit not in ("year", "number") else "Value")
    st.altair_chart(timeline_chart, width="stretch", key="figures.chart")
    downloads.chart(timeline_chart, name=f"figure_{choice}", title=f"{labels[choice]}: every report by date",
                    tables=tables, key="figures.chart_files")
values = sorted({r for r in related["shown"]})
undated = len(related) - len(dated)
st.markdown(
    f"{plural(len(related), 'report')} in {plural(related['document'].nunique(), 'article')} from "
    f"{plural(related['outlet'].nunique(), 'outlet')} give {plural(len(set(related['value'])), 'distinct value')} "
    f"({md(', '.join(values))})"
    + (f"; {plural(undated, 'undated report')} not on the chart." if undated else ".")
)
disagreements = tables.discrepancies[tables.discrepancies["family"] == family]
if not disagreements.empty:
    st.markdown("**Why the sources differ**")
    for row in disagreements.itertuples(index=False):
        st.markdown(
            f"- **{md(format_value(row.value_a, row.unit))}** ({md(row.outlet_a or UNKNOWN_OUTLET)}, {row.published_a or 'undated'}) "
            f"versus **{md(format_value(row.value_b, row.unit))}** ({md(row.outlet_b or UNKNOWN_OUTLET)}, "
            f"{row.published_b or 'undated'}): {md(row.explanation)}."
        )

st.subheader("All figures")
with st.container(border=True):
    c1, c2, c3 = st.columns(3)
    with c1:
        pick_quantities = urlstate.multiselect("What is counted", present, key="figures.quantities",
                                               format_func=lambda k: labels.get(k, k), placeholder="Everything")
    with c2:
        pick_outlets = urlstate.multiselect("Outlets", all_outlets, key="figures.outlets", placeholder="All outlets")
    with c3:
        pick_units = urlstate.multiselect("Units", sorted(set(figures["unit"])), key="figures.units", placeholder="All units")
view = figures
if pick_quantities:
    view = view[view["quantity"].isin(pick_quantities)]
if pick_outlets:
    view = view[view["outlet"].isin(pick_outlets)]
if pick_units:
    view = view[view["unit"].isin(pick_units)]
evidence = view.merge(tables.sentences[["document", "sentence", "text"]].rename(columns={"text": "evidence"}),
                      on=["document", "sentence"], how="left")
evidence = evidence.merge(docs[["document", "title"]], on="document", how="left")
evidence["title"] = evidence["title"].where(evidence["title"] != "", evidence["document"])
evidence["read"] = [reader_link(d, s) for d, s in zip(evidence["document"], evidence["sentence"])]
shown = evidence[["shown", "quantity_label", "text", "evidence", "read", "outlet", "published", "title", "value", "unit",
                  "approximate"]]
st.caption(f"{len(shown)} of {len(figures)} figures.")
st.dataframe(
    shown, hide_index=True, width="stretch", key="figures.table",
    column_config={
        "shown": "Figure", "quantity_label": "What it counts", "text": "As written",
        "evidence": st.column_config.TextColumn("Sentence", width="large"), "outlet": "Outlet", "published": "Published",
        "title": "Article", "value": st.column_config.NumberColumn("Value", format="%g"), "unit": "Unit",
        "approximate": "Approximate", "read": st.column_config.LinkColumn("Read", display_text="Open in Reader", help="The article, with this sentence outlined"),
    },
)
export = evidence.drop(columns=["shown", "read"])
downloads.table(export, name="figures", key="figures.table_files")
