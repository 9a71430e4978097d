"""Reader: an article's cleaned text with entities, figures and stance sentences highlighted, and removed chrome on request."""

import streamlit as st

from dashboard import urlstate
from dashboard.data import filter_caption, view_tables
from dashboard.render import document_label, highlighted_article_html, legend_html, md

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

labels = {row["document"]: document_label(row) for _, row in docs.iterrows()}
choice = urlstate.selectbox("Article", list(labels), format_func=labels.get, key="reader.document")
show_chrome = urlstate.toggle("Show removed page chrome", key="reader.show_chrome")
focus_text = st.query_params.get("reader.sentence", "")
focus = int(focus_text) if focus_text.isdigit() else None

meta = docs.set_index("document").loc[choice]
details = [f"**{k.title()}:** {md(meta[k])}" + (" *(inferred)*" if meta[f"{k}_source"] == "inferred" else "")
           for k in ("outlet", "author", "published") if meta[k]]
st.markdown(" · ".join(details) if details else "*No outlet, author or date known for this article.*")
lines = full.lines[full.lines["document"] == choice]
sentences = full.sentences[full.sentences["document"] == choice]
removed = int((lines["kind"] == "chrome").sum())
st.caption(
    f"{int(meta['words']):,} words in {int(meta['sentences'])} sentences · {removed} lines of page chrome removed · "
    f"file {md(choice)} ({meta['encoding']})"
)
if focus is not None and focus in set(sentences["sentence"]):
    quoted = sentences.loc[sentences["sentence"] == focus, "text"].iloc[0]
    st.info(f"Sentence {focus + 1} of {len(sentences)}, outlined in the text below: “{md(quoted)}”")
st.markdown(legend_html(), unsafe_allow_html=True)
st.markdown(
    highlighted_article_html(
        lines,
        mentions=full.mentions[full.mentions["document"] == choice],
        figures=full.figures[full.figures["document"] == choice],
        stances=full.positions[full.positions["document"] == choice],
        sentences=sentences,
        show_chrome=show_chrome,
        focus=focus,
    ),
    unsafe_allow_html=True,
)
