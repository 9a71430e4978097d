"""Add articles: upload files or paste text; they are analysed now and join the corpus for this browser session only."""

import streamlit as st

from analysis.corpus import MANIFEST_NAME, SourceFile, prefix_manifest, read_sources, safe_name
from analysis.tables import analyse_documents, join_parts
from dashboard.data import SESSION_TABLES, corpus_tables, load_tables
from dashboard.render import md

UPLOADS = "uploads.files"  # name -> bytes, this session only

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
    files: dict[str, bytes] = dict(st.session_state.get(UPLOADS, {}))
    manifest = None
    rejected: list[str] = []
    for item in uploaded or []:
        name = safe_name(item.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
        if name is None:
            rejected.append(f"{item.name}: not a usable file name")
            continue
        data = item.getvalue()
        if name == MANIFEST_NAME:
            manifest = data
        elif name.endswith(".csv"):
            rejected.append(f"{name}: only a manifest named sources.csv is accepted as CSV")
        else:
            files[f"uploads/{name}"] = data
    if pasted.strip():
        front = "---\n" + "".join(
            f"{key}: \"{value.strip().replace(chr(34), '')}\"\n"
            for key, value in (("title", pasted_title), ("outlet", pasted_outlet), ("date", pasted_date)) if value.strip()
        ) + "---\n"
        files[f"uploads/pasted_{len(files) + 1:03d}.md"] = (front + pasted).encode("utf-8")
    if not files:
        st.warning("Nothing to add: choose files or paste some text first.")
    else:
        with st.status(f"Analysing {len(files)} file{'s' if len(files) != 1 else ''}…", expanded=True) as status:
            if manifest is not None:
                manifest = prefix_manifest(manifest, "uploads/")
            corpus = read_sources(
                [SourceFile(name, len(data), (lambda d=data: d)) for name, data in files.items()], manifest=manifest,
                root="uploads",
            )
            st.write(f"Read {len(corpus.documents)} article(s); {len(corpus.skipped) + len(rejected)} rejected.")
            base = corpus_tables()
            parts = analyse_documents(corpus.documents)
            st.write("Analysed the new articles; joining them to the corpus…")
            st.session_state[SESSION_TABLES] = join_parts(base, parts, corpus)
            st.session_state[UPLOADS] = files
            st.session_state["add.rejected"] = rejected + [str(s) for s in corpus.skipped]
            status.update(label=f"Added {len(corpus.documents)} article(s) for this session", state="complete")

session = st.session_state.get(UPLOADS, {})
if session:
    tables = load_tables()
    added = tables.documents[tables.documents["document"].str.startswith("uploads/")]
    st.subheader("Added in this session")
    st.dataframe(added[["document", "title", "outlet", "published", "words", "sentences"]], hide_index=True,
                 width="stretch", key="add.table")
    if st.button("Remove my articles", key="add.clear"):
        for key in (SESSION_TABLES, UPLOADS, "add.rejected"):
            st.session_state.pop(key, None)
        st.rerun()
rejected = st.session_state.get("add.rejected", [])
if rejected:
    st.subheader("Not added")
    st.markdown("\n".join(f"- {md(line)}" for line in rejected))
