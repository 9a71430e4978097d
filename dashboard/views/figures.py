"""Figures: every number the sources cite, grouped by what it measures, with where and why they disagree."""

import streamlit as st

from analysis.entities import UNKNOWN_OUTLET, outlet_labels
from analysis.figures import format_value, headline_figures, lexicon
from dashboard import downloads, urlstate
from analysis.charts import figure_timeline
from dashboard.render import md, plural, reader_link
from dashboard.data import chart_outlets, computed, filter_caption, view_tables
from dashboard.render import TABLE_ROWS, shown_rows_note

tables, full = view_tables()
docs = tables.documents
st.title("Figures")
filter_caption(tables, full)
st.caption("Numbers cited in the article text, grouped by what they measure. Hover a point for its wording.")
if tables.figures.empty:
    st.info("No figures in the articles the filters leave. Widen the filters in the sidebar.")
    st.stop()


def _prepared(t):
    """The figures as this page shows them, with their quantities in display order (computed once per tables)."""
    frame = t.figures.copy()
    frame["outlet"] = outlet_labels(frame["outlet"])
    frame["shown"] = [format_value(v, u, approximate=a) for v, u, a in zip(frame["value"], frame["unit"], frame["approximate"])]
    defined = [q["key"] for q in lexicon().quantities]
    names = dict(zip(frame["quantity"], frame["quantity_label"]))
    counts = frame["quantity"].value_counts()
    order = [k for k in defined if k in names] + sorted((k for k in names if k not in defined), key=lambda k: -counts[k])
    headline = headline_figures(t.figures, originals=dict(zip(t.documents["document"], t.documents["original"])))
    return frame, names, order, headline


def _all_evidence(t, quantities, outlets, units):
    """The rows of the full table for these selections, with sentence and article title."""
    frame = computed("figures.prepared", t, _prepared)[0]
    if quantities:
        frame = frame[frame["quantity"].isin(quantities)]
    if outlets:
        frame = frame[frame["outlet"].isin(outlets)]
    if units:
        frame = frame[frame["unit"].isin(units)]
    rows = frame.merge(t.sentences[["document", "sentence", "text"]].rename(columns={"text": "evidence"}),
                       on=["document", "sentence"], how="left")
    rows = rows.merge(t.documents[["document", "title"]], on="document", how="left")
    rows["title"] = rows["title"].where(rows["title"] != "", rows["document"])
    return rows


def _evidence(t, quantities, outlets, units):
    """The rows the page shows, with reader links, and how many rows the selection has: a view keeps only these
    (tens of thousands of figures with their sentences, per cached view, would not fit). Downloads build the rest."""
    rows = _all_evidence(t, quantities, outlets, units)
    shown = rows.take(range(min(len(rows), TABLE_ROWS)))  # new buffers: a slice would keep every row alive
    shown["read"] = [reader_link(d, s) for d, s in zip(shown["document"], shown["sentence"])]
    return shown, len(rows)


figures, labels, present, headlines = computed("figures.prepared", tables, _prepared)
all_outlets = chart_outlets(full)


st.subheader("Headline figures")
rows = list(headlines.itertuples(index=False))
for start in range(0, len(rows), 3):
    columns = st.columns(3)
    for column, row in zip(columns, rows[start : start + 3]):
        number = format_value(row.value, row.unit, with_unit=False, approximate=row.approximate)
        column.metric(row.quantity_label, number, help=f"As written: “{row.phrase}”")
        source = f"{row.outlet or UNKNOWN_OUTLET}, {row.published or 'undated'}"
        column.caption(f"{source} · {row.reports:,} report{'s' if row.reports != 1 else ''} in {row.articles:,} "
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
values = sorted(set(related["shown"]))
if len(values) > 12:
    values = values[:12] + [f"and {len(values) - 12:,} more"]
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
    if len(disagreements) > 15:
        st.caption(f"15 of {len(disagreements):,} differing pairs; the discrepancies table in the briefing pack has all.")
    for row in disagreements.head(15).itertuples(index=False):
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
selection = (tuple(pick_quantities), tuple(pick_outlets), tuple(pick_units))
evidence, selected = computed("figures.evidence", tables, _evidence, *selection)
shown = evidence[["shown", "quantity_label", "text", "evidence", "read", "outlet", "published", "title", "value", "unit",
                  "approximate"]]
st.caption(f"{selected:,} of {len(figures):,} figures" + shown_rows_note(selected))
st.dataframe(
    shown, hide_index=True, width="stretch", key="figures.table",
    column_config={
        "shown": "Figure", "quantity_label": "What it counts", "text": "As written",
        "evidence": st.column_config.TextColumn("Sentence", width="large"), "outlet": "Outlet", "published": "Published",
        "title": "Article", "value": st.column_config.NumberColumn("Value", format="%g"), "unit": "Unit",
        "approximate": "Approximate", "read": st.column_config.LinkColumn("Read", display_text="Open in Reader", help="The article, with this sentence outlined"),
    },
)
downloads.table(lambda: _all_evidence(tables, *selection).drop(columns=["shown"]), name="figures", key="figures.table_files")
