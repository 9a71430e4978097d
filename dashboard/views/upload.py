"""Add articles: upload files or paste text; they are analysed now and join the corpus for this browser session only."""

import streamlit as st

from analysis.build import add_articles
from analysis.corpus import read_uploads
from dashboard.data import SESSION_TABLES, corpus_tables, load_tables
from dashboard.render import md

UPLOADS = "uploads.files"  # name -> bytes, this session only
REJECTED = "add.rejected"

st.title("Add articles")
st.caption("Files you add here are analysed on the spot and join every chart and table for you only: they are kept "
           "in this browser session, never written to the server's disk, and never shown to anyone else.")

tab_files, tab_paste = st.tabs(["Upload files", "Paste text"])
with tab_files:
    uploaded = st.file_uploader(
        "Articles (.txt, .md, .html) and optionally a sources.csv with columns file,outlet,url,published,title,author",
        type=["txt", "md", "markdown", "html", "htm", "csv"], accept_multiple_files=True, key="add.files",
    )
with tab_paste:
    pasted = st.text_area("Article text", height=220, key="add.text", placeholder="Paste the article here…")
    c1, c2, c3 = st.columns(3)
    pasted_title = c1.text_input("Title", key="add.title")
    pasted_outlet = c2.text_input("Outlet", key="add.outlet")
    pasted_date = c3.text_input("Published (YYYY-MM-DD)", key="add.date")

if st.button("Analyse and add", type="primary", key="add.go"):
    corpus, files, rejected = read_uploads(
        [(item.name, item.getvalue()) for item in uploaded or []], pasted=pasted, title=pasted_title,
        outlet=pasted_outlet, published=pasted_date, existing=st.session_state.get(UPLOADS, {}))
    if not files:
        st.warning("Nothing to add: choose files or paste some text first.")
    else:
        with st.status(f"Analysing {len(files)} file{'s' if len(files) != 1 else ''}…", expanded=True) as status:
            st.write(f"Read {len(corpus.documents)} article(s); {len(rejected)} rejected.")
            st.session_state[SESSION_TABLES] = add_articles(corpus_tables(), corpus)
            st.write("Analysed the new articles and joined them to the corpus.")
            st.session_state[UPLOADS] = files
            st.session_state[REJECTED] = rejected
            status.update(label=f"Added {len(corpus.documents)} article(s) for this session", state="complete")

if st.session_state.get(UPLOADS):
    tables = load_tables()
    added = tables.documents[tables.documents["document"].str.startswith("uploads/")]
    st.subheader("Added in this session")
    st.dataframe(added[["document", "title", "outlet", "published", "words", "sentences"]], hide_index=True,
                 width="stretch", key="add.table")
    if st.button("Remove my articles", key="add.clear"):
        for key in (SESSION_TABLES, UPLOADS, REJECTED):
            st.session_state.pop(key, None)
        st.rerun()
if st.session_state.get(REJECTED):
    st.subheader("Not added")
    st.markdown("\n".join(f"- {md(line)}" for line in st.session_state[REJECTED]))
