"""Reader: an article's cleaned text, with the removed page chrome shown greyed on request."""

import streamlit as st

from dashboard import urlstate
from dashboard.data import filter_caption, view_tables
from dashboard.render import md, article_html, document_label

tables, full = view_tables()
docs = tables.documents

st.title("Reader")
filter_caption(tables, full)
if docs.empty:
    st.info("No article to read: none matches the filters, or the corpus has no usable files.")
    st.stop()

labels = {row["document"]: document_label(row) for _, row in docs.iterrows()}
choice = urlstate.selectbox("Article", list(labels), format_func=labels.get, key="reader.document")
show_chrome = urlstate.toggle("Show removed page chrome", key="reader.show_chrome")

meta = docs.set_index("document").loc[choice]
details = [f"**{k.title()}:** {md(meta[k])}" + (" *(inferred)*" if meta[f"{k}_source"] == "inferred" else "")
           for k in ("outlet", "author", "published") if meta[k]]
st.markdown(" · ".join(details) if details else "*No outlet, author or date known for this article.*")
lines = tables.lines[tables.lines["document"] == choice]
removed = int((lines["kind"] == "chrome").sum())
st.caption(
    f"{int(meta['words']):,} words in {int(meta['sentences'])} sentences · {removed} lines of page chrome removed · "
    f"file `{choice}` ({meta['encoding']})"
)
st.markdown(article_html(lines, show_chrome=show_chrome), unsafe_allow_html=True)
