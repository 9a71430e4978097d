"""Download buttons: files are built only when clicked, from the same chart builders and filtered tables the page
shows."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from analysis.briefing import briefing_pack, chart_png, chart_svg, dated_name, source_line
from analysis.export import table_bytes
from analysis.tables import Tables
from dashboard.state import current


def _caption() -> str:
    return "Filters: " + current().describe()


def chart(chart_obj: alt.TopLevelMixin, *, name: str, title: str, tables: Tables, key: str) -> None:
    """PNG (200 ppi) and SVG of a chart, titled, with its source line and the filter state."""
    source = source_line(tables.documents)
    left, right, _ = st.columns([1, 1, 4])
    left.download_button("PNG", data=lambda: chart_png(chart_obj, title=title, source=source, caption=_caption()),
                         file_name=dated_name(name, "png"), mime="image/png", key=f"{key}.png", on_click="ignore",
                         icon=":material/image:")
    right.download_button("SVG", data=lambda: chart_svg(chart_obj, title=title, source=source, caption=_caption()),
                          file_name=dated_name(name, "svg"), mime="image/svg+xml", key=f"{key}.svg", on_click="ignore",
                          icon=":material/draw:")


def table(frame: pd.DataFrame | Callable[[], pd.DataFrame], *, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM) and XLSX (typed, frozen header) of a table as filtered on the page. frame may be a
    function that builds the table, called only when a button is clicked (for tables too big to keep per view)."""
    build = frame if callable(frame) else lambda: frame
    left, right, _ = st.columns([1, 1, 4])
    left.download_button("CSV", data=lambda: table_bytes(build(), "csv"), file_name=dated_name(name, "csv"),
                         mime="text/csv", key=f"{key}.csv", on_click="ignore", icon=":material/download:")
    right.download_button("XLSX", data=lambda: table_bytes(build(), "xlsx", sheet=name),
                          file_name=dated_name(name, "xlsx"),
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}.xlsx",
                          on_click="ignore", icon=":material/table:")


def pack(tables: Tables, *, key: str) -> None:
    """The one-click briefing pack of what the filters leave."""
    st.download_button(
        "Download the briefing pack (ZIP: summary PDF and HTML, charts, tables, citations)",
        data=lambda: briefing_pack(tables, caption=_caption()), file_name=dated_name("briefing", "zip"),
        mime="application/zip", key=key, on_click="ignore", type="primary", icon=":material/folder_zip:",
    )
