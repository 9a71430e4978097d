"""Reader: an article's cleaned text with entities, figures and stance sentences highlighted, and removed chrome on request."""

import streamlit as st

from dashboard import urlstate
from dashboard.data import computed, filter_caption, view_tables
from dashboard.render import document_label, highlighted_article_html, legend_html, md

PICKER_CHOICES = 500

tables, full = view_tables()
docs = tables.documents

st.title("Reader")
filter_caption(tables, full)
wanted = st.query_params.get("reader.document")
if wanted and wanted not in set(docs["document"]) and wanted in set(full.documents["document"]):
    # A link to a sentence must open even when the filters hide its article.
    tables, docs = full, full.documents
    st.caption("This article is outside the current filters; showing it anyway because a link pointed here.")
if docs.empty:
    st.info("No article to read: none matches the filters, or the corpus has no usable files.")
    st.stop()



def _labels(t):
    return {row["document"]: document_label(row) for row in t.documents[["document", "title", "outlet", "published"]].to_dict("records")}


labels = computed("reader.labels", tables, _labels)
names = list(labels)
if len(names) > PICKER_CHOICES:
    # A picker of thousands of articles is unusable and heavy: offer the first ones plus the one linked to.
    current_choice = wanted or st.session_state.get("reader.document")
    names = names[:PICKER_CHOICES] + ([current_choice] if current_choice in labels and current_choice not in names[:PICKER_CHOICES] else [])
    st.caption(f"The picker offers {PICKER_CHOICES:,} of {len(labels):,} articles; narrow them with the filters in the "
               "sidebar, or follow an “Open in Reader” link from any evidence table.")
choice = urlstate.selectbox("Article", names, format_func=labels.get, key="reader.document")
show_chrome = urlstate.toggle("Show removed page chrome", key="reader.show_chrome")
focus_text = st.query_params.get("reader.sentence", "")
focus = int(focus_text) if focus_text.isdigit() else None

meta = docs.set_index("document").loc[choice]
details = [f"**{k.title()}:** {md(meta[k])}" + (" *(inferred)*" if meta[f"{k}_source"] == "inferred" else "")
           for k in ("outlet", "author", "published") if meta[k]]
st.markdown(" · ".join(details) if details else "*No outlet, author or date known for this article.*")


def _rows_of(t, name):
    """Row positions of each article in one table: one lookup per article instead of a scan of the whole table."""
    return getattr(t, name).groupby("document", sort=False).indices


def rows(name: str):
    found = computed("reader.rows", full, _rows_of, name).get(choice)
    frame = getattr(full, name)
    return frame.iloc[found] if found is not None else frame.iloc[0:0]


lines = full.lines_of(choice)  # one article's lines: the whole table is the biggest a store has
sentences = rows("sentences")
removed = int((lines["kind"] == "chrome").sum())
st.caption(
    f"{int(meta['words']):,} words in {int(meta['sentences']):,} sentences · {removed:,} line{'s' if removed != 1 else ''} of page chrome removed · "
    f"file {md(choice)} ({meta['encoding']})"
)
if focus is not None and focus in set(sentences["sentence"]):
    quoted = sentences.loc[sentences["sentence"] == focus, "text"].iloc[0]
    st.info(f"Sentence {focus + 1} of {len(sentences)}, outlined in the text below: “{md(quoted)}”")
st.markdown(legend_html(), unsafe_allow_html=True)
st.markdown(
    highlighted_article_html(
        lines,
        mentions=rows("mentions"),
        figures=rows("figures"),
        stances=rows("positions"),
        sentences=sentences,
        show_chrome=show_chrome,
        focus=focus,
    ),
    unsafe_allow_html=True,
)
