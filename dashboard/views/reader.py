"""Reader: an article's cleaned text with entities, figures and stance sentences highlighted, and removed page
chrome on request."""

import streamlit as st

from analysis.views import rows_by_document
from dashboard import page, prose, urlstate
from dashboard.data import computed
from dashboard.render import document_label, highlighted_article_html, legend_html, md

PICKER_CHOICES = 500
LABELLED_BY = ["document", "title", "outlet", "published"]

tables, full = page.start("Reader")
docs = tables.documents
wanted = st.query_params.get("reader.document")
if wanted and wanted not in set(docs["document"]) and wanted in set(full.documents["document"]):
    # A link to a sentence must open even when the filters hide its article.
    tables, docs = full, full.documents
    st.caption("This article is outside the current filters; showing it anyway because a link pointed here.")
page.stop_if(docs.empty, "No article to read: none matches the filters, or the corpus has no usable files.")

labels = computed("reader.labels", tables, lambda t: {
    row["document"]: document_label(row) for row in t.documents[LABELLED_BY].to_dict("records")})
names = list(labels)
if len(names) > PICKER_CHOICES:
    # A picker of thousands of articles is unusable and heavy: offer the first ones plus the one linked to.
    current_choice = wanted or st.session_state.get("reader.document")
    offered = names[:PICKER_CHOICES]
    names = offered + ([current_choice] if current_choice in labels and current_choice not in offered else [])
    st.caption(f"The picker offers {PICKER_CHOICES:,} of {len(labels):,} articles; narrow them with the filters in the "
               "sidebar, or follow an “Open in Reader” link from any evidence table.")
choice = urlstate.selectbox("Article", names, format_func=labels.get, key="reader.document")
show_chrome = urlstate.toggle("Show removed page chrome", key="reader.show_chrome")
focus_text = st.query_params.get("reader.sentence", "")
focus = int(focus_text) if focus_text.isdigit() else None

meta = docs.set_index("document").loc[choice]
st.markdown(prose.article_details(meta))


def rows(name: str):
    """The article's rows of one table, found by one lookup per article instead of a scan of the whole table."""
    found = computed("reader.rows", full, rows_by_document, name).get(choice)
    frame = getattr(full, name)
    return frame.iloc[found] if found is not None else frame.iloc[0:0]


lines = full.lines_of(choice)  # one article's lines: the whole table is the biggest a store has
sentences = rows("sentences")
st.caption(prose.article_caption(meta, removed=int((lines["kind"] == "chrome").sum()), document=choice))
if focus is not None and focus in set(sentences["sentence"]):
    quoted = sentences.loc[sentences["sentence"] == focus, "text"].iloc[0]
    st.info(f"Sentence {focus + 1} of {len(sentences)}, outlined in the text below: “{md(quoted)}”")
st.markdown(legend_html(), unsafe_allow_html=True)
article = highlighted_article_html(lines, mentions=rows("mentions"), figures=rows("figures"), stances=rows("positions"),
                                   sentences=sentences, show_chrome=show_chrome, focus=focus)
st.markdown(article, unsafe_allow_html=True)
