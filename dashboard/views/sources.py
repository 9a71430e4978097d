"""Sources: one row per article with its metadata and cleaning figures, plus the files that were skipped."""

import streamlit as st
from streamlit.column_config import NumberColumn, TextColumn

from analysis.charts import coverage_heatmap
from analysis.entities import outlet_labels
from analysis.views import documents_with_provenance, most_covered, outlet_profile, single_source_claims
from dashboard import page, prose, urlstate
from dashboard.data import computed, corpus_folder
from dashboard.render import TABLE_ROWS, passages_table_html

PAIR_CHOICES = 200
KINDS = {"entity": "Entities", "figure quantity": "Figures", "country": "Countries", "topic": "Topics"}
NUMBER = {"format": "%d"}
CHROME_HELP = "Menu, share-bar, related-link and bio lines left out of the analysis"

tables, full = page.start("Sources")
docs = tables.documents
st.caption(f"Corpus `{corpus_folder()}` · fingerprint {tables.corpus_hash} · analysed with {tables.model}")
if tables.model_warning:
    st.warning(tables.model_warning)
outlets = sorted({o for o in docs["outlet"] if o})
page.metrics(("Articles", f"{len(docs):,}"), ("Outlets named", len(outlets), ", ".join(outlets) or None),
             ("Words of article text", f"{int(docs['words'].sum()):,}"), ("Files skipped", f"{len(full.skipped):,}"))
st.caption(prose.publication_span(docs["published"]))

if docs.empty:
    st.info("No article matches the filters, or none could be read: the skipped files below say why.")
else:
    page.evidence_table(
        documents_with_provenance(docs), key="sources.table", download=docs, name="documents",
        caption=f"{len(docs):,} articles" if len(docs) > TABLE_ROWS else None,
        columns={"document": TextColumn("File"), "title": TextColumn("Title", width="medium"), "outlet": "Outlet",
                 "author": "Author", "published": "Published", "words": NumberColumn("Words", **NUMBER),
                 "sentences": NumberColumn("Sentences", **NUMBER),
                 "chrome_lines": NumberColumn("Chrome lines removed", **NUMBER, help=CHROME_HELP)},
        footnote="“(inferred)” marks a value read from the article text rather than from sources.csv or front "
                 "matter. Open the Reader to see each article's text and what was removed.")

    st.subheader("Who reports what")
    present = [k for k in KINDS if k in set(tables.coverage["kind"])]
    kind = urlstate.radio("Show", present, key="sources.kind", horizontal=True, format_func=KINDS.get)
    coverage = tables.coverage[tables.coverage["kind"] == kind]
    if coverage.empty:
        st.write("Nothing named or counted yet to compare across outlets.")
    else:
        top, single_outlet = most_covered(coverage)
        heat_title = f"{KINDS[kind]}: mentions by outlet (top {len(top)})"
        page.chart(coverage_heatmap(coverage, items=top, title=heat_title), key="sources.heatmap", stretch=False,
                   name=f"coverage_{kind.replace(' ', '_')}", title=heat_title, tables=tables)
        st.markdown(prose.coverage_sentence(top, single_outlet, KINDS[kind].lower()))

    st.subheader("Claims resting on one text")
    single = single_source_claims(tables.support)
    page.evidence_table(
        single[["kind", "item", "documents", "independent_texts", "outlet_list", "document_list"]],
        key="sources.single",
        caption="Figures and stances carried by a single independent text: articles that rewrite another count once. "
                f"{len(single):,} of {len(tables.support):,} claims rest on one text",
        columns={"kind": "Kind", "item": TextColumn("Claim", width="large"), "outlet_list": "Outlets",
                 "documents": NumberColumn("Articles", **NUMBER), "document_list": "Files",
                 "independent_texts": NumberColumn("Independent texts", **NUMBER)})

    st.subheader("Rewrites of one text")
    if tables.duplicates.empty:
        st.write("No article rewrites another: every article counts as an independent text.")
    else:
        pairs = tables.duplicates.head(PAIR_CHOICES)  # the closest first: a picker of thousands would be unusable
        if len(tables.duplicates) > len(pairs):
            st.caption(f"The {len(pairs)} closest of {len(tables.duplicates):,} rewrite pairs; the duplicates table "
                       "in the briefing pack lists them all.")
        labels = [f"{r.rewrite} ← {r.original}" for r in pairs.itertuples(index=False)]
        pair = pairs.iloc[labels.index(urlstate.selectbox("Pair", labels, key="sources.pair"))]
        st.markdown(prose.rewrite_sentence(pair))
        # Among all passages (a pair the filters keep has all its passages there): the view's own are never built.
        passages = computed("pair_passages", full, type(full).passages_of, pair["original"], pair["rewrite"])
        st.markdown(passages_table_html(passages, original=pair["original"], rewrite=pair["rewrite"]),
                    unsafe_allow_html=True)

    st.subheader("Outlet profile")
    outlet = urlstate.selectbox("Outlet", sorted(set(outlet_labels(docs["outlet"]))), key="sources.outlet")
    st.markdown(prose.outlet_profile(outlet, outlet_profile(docs, tables.coverage, outlet)))

page.skipped_and_warnings(full)
