"""What every view's page is made of: its opening (title, filter caption, empty state), charts with their
download buttons, and evidence tables linked to the Reader with theirs."""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

from analysis.tables import Tables
from dashboard import downloads
from dashboard.data import filter_caption, view_tables
from dashboard.render import TABLE_ROWS, reader_link, shown_rows_note

READ_COLUMN = st.column_config.LinkColumn("Read", display_text="Open in Reader",
                                          help="The article, with this sentence outlined")


def start(title: str, *, caption: str | None = None, empty: Callable[[Tables], bool] | None = None,
          nothing: str = "", link: dict | None = None) -> tuple[Tables, Tables]:
    """Open a view: its title, what the filters leave and an optional caption; stop with the message nothing
    (and link, st.page_link's arguments) when empty(tables) holds. Returns (filtered tables, all tables)."""
    tables, full = view_tables()
    st.title(title)
    filter_caption(tables, full)
    if caption:
        st.caption(caption)
    if empty is not None:
        stop_if(empty(tables), nothing, link=link)
    return tables, full


def stop_if(empty: bool, message: str, *, link: dict | None = None) -> None:
    """When empty: say why there is nothing to show (and where to look instead), and end the page there."""
    if empty:
        st.info(message)
        if link:
            st.page_link(**link)
        st.stop()


def metrics(*cards: tuple, per_row: int | None = None) -> None:
    """Metric cards, per_row to a row (default: all in one), each (label, value), (label, value, help) or
    (label, value, help, caption under the card)."""
    per_row = per_row or len(cards)
    for start in range(0, len(cards), per_row):
        for column, (label, value, *more) in zip(st.columns(per_row), cards[start : start + per_row], strict=False):
            column.metric(label, value, help=more[0] if more else None)
            if len(more) > 1:
                column.caption(more[1])


def chart(chart_obj: alt.TopLevelMixin, *, key: str, name: str, title: str, tables: Tables,
          stretch: bool = True) -> None:
    """A chart and its PNG/SVG download buttons (keys key and key_files; files named name_DATE)."""
    if stretch:
        st.altair_chart(chart_obj, width="stretch", key=key)
    else:
        st.altair_chart(chart_obj, key=key)
    downloads.chart(chart_obj, name=name, title=title, tables=tables, key=f"{key}_files")


def linked_rows(rows: pd.DataFrame, *, limit: int = TABLE_ROWS) -> pd.DataFrame:
    """The first limit rows, as a copy with a "read" link to each row's sentence in the Reader (none where a row
    has no article or sentence)."""
    shown = rows.take(range(min(len(rows), limit)))  # new buffers: a slice would keep every row alive
    shown["read"] = [reader_link(d, s) if d and s >= 0 else None
                     for d, s in zip(shown["document"], shown["sentence"], strict=True)]
    return shown


def evidence_table(rows: pd.DataFrame, *, key: str, columns: dict, caption: str | None = None,
                   total: int | None = None, download: pd.DataFrame | Callable[[], pd.DataFrame] | None = None,
                   name: str | None = None, footnote: str | None = None) -> None:
    """A table of at most TABLE_ROWS rows: caption (ending with the shown-rows note for total rows), the rows with
    their "read" column as "Open in Reader" links, footnote, then CSV/XLSX of download (default: the rows without
    their links) named name, under the key key_files. No download buttons without a name."""
    if caption is not None:
        st.caption(caption + shown_rows_note(len(rows) if total is None else total))
    config = {**columns, "read": READ_COLUMN} if "read" in rows.columns else columns
    st.dataframe(rows.head(TABLE_ROWS), hide_index=True, width="stretch", key=key, column_config=config)
    if footnote:
        st.caption(footnote)
    if name is not None:
        frame = download if download is not None else rows.drop(columns=["read"], errors="ignore")
        downloads.table(frame, name=name, key=f"{key}_files")


def skipped_and_warnings(full: Tables) -> None:
    """Every file that was not analysed, with why, and the warnings of reading the corpus."""
    st.subheader("Skipped files")
    if full.skipped.empty:
        st.write("Every file in the folder was analysed.")
    else:
        st.dataframe(full.skipped.rename(columns={"document": "File", "reason": "Why it was skipped"}),
                     hide_index=True, width="stretch", key="sources.skipped")
    if full.warnings:
        st.subheader("Warnings")
        for warning in full.warnings:
            st.write(f"- {warning}")
