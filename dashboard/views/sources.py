"""Sources: one row per article with its metadata and cleaning figures, plus the files that were skipped."""

import streamlit as st

from analysis.export import table_bytes
from dashboard.data import corpus_folder, load_tables

tables = load_tables()
docs = tables.documents

st.title("Sources")
st.caption(f"Corpus `{corpus_folder()}` · fingerprint {tables.corpus_hash} · analysed with {tables.model}")
if tables.model_warning:
    st.warning(tables.model_warning)

dates = sorted(d for d in docs["published"] if d)
outlets = sorted({o for o in docs["outlet"] if o})
kpis = st.columns(6)
kpis[0].metric("Articles", len(docs))
kpis[1].metric("Outlets named", len(outlets), help=", ".join(outlets) or None)
kpis[2].metric("Earliest article", dates[0] if dates else "—")
kpis[3].metric("Latest article", dates[-1] if dates else "—")
kpis[4].metric("Words of article text", f"{int(docs['words'].sum()):,}")
kpis[5].metric("Files skipped", len(tables.skipped))
undated = int((docs["published"] == "").sum())
if undated:
    st.caption(f"{undated} of {len(docs)} articles have no known publication date.")

if docs.empty:
    st.info("No article could be read from this corpus. The skipped files below say why.")
else:
    view = docs[["title", "outlet", "author", "published", "words", "sentences", "chrome_lines", "document"]].copy()
    # Say where each metadata value came from: an inferred value is a guess the analyst should check.
    for key in ("title", "outlet", "author", "published"):
        inferred = docs[f"{key}_source"] == "inferred"
        view.loc[inferred & (view[key] != ""), key] = view[key] + " (inferred)"
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        column_config={
            "document": st.column_config.TextColumn("File"),
            "title": st.column_config.TextColumn("Title", width="medium"),
            "outlet": "Outlet",
            "author": "Author",
            "published": "Published",
            "words": st.column_config.NumberColumn("Words", format="%d"),
            "sentences": st.column_config.NumberColumn("Sentences", format="%d"),
            "chrome_lines": st.column_config.NumberColumn(
                "Chrome lines removed", format="%d", help="Menu, share-bar, related-link and bio lines left out of the analysis"
            ),
        },
        key="sources.table",
    )
    st.caption(
        "“(inferred)” marks a value read from the article text rather than from sources.csv or front matter. "
        "Open the Reader to see each article's text and what was removed."
    )
    st.download_button(
        "Download this table (CSV)",
        data=lambda: table_bytes(docs, "csv"),
        file_name="documents.csv",
        mime="text/csv",
        key="sources.download",
    )

st.subheader("Skipped files")
if tables.skipped.empty:
    st.write("Every file in the folder was analysed.")
else:
    st.dataframe(
        tables.skipped.rename(columns={"document": "File", "reason": "Why it was skipped"}),
        hide_index=True,
        width="stretch",
        key="sources.skipped",
    )
if tables.warnings:
    st.subheader("Warnings")
    for warning in tables.warnings:
        st.write(f"- {warning}")
