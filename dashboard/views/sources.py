"""Sources: one row per article with its metadata and cleaning figures, plus the files that were skipped."""

import streamlit as st

from analysis.entities import outlet_labels
from dashboard import downloads, urlstate
from analysis.charts import coverage_heatmap
from dashboard.render import TABLE_ROWS, inert_html, md, shown_rows_note
from dashboard.data import computed, corpus_folder, filter_caption, view_tables

PAIR_CHOICES = 200


def _pair_passages(tables, original: str, rewrite: str):
    """The sentences one pair of articles shares, with both texts (a corpus of rewrites has millions of rows)."""
    return tables.passages_of(original, rewrite)


tables, full = view_tables()
docs = tables.documents

st.title("Sources")
filter_caption(tables, full)
st.caption(f"Corpus `{corpus_folder()}` · fingerprint {tables.corpus_hash} · analysed with {tables.model}")
if tables.model_warning:
    st.warning(tables.model_warning)

dates = sorted(d for d in docs["published"] if d)
outlets = sorted({o for o in docs["outlet"] if o})
kpis = st.columns(4)
kpis[0].metric("Articles", f"{len(docs):,}")
kpis[1].metric("Outlets named", len(outlets), help=", ".join(outlets) or None)
kpis[2].metric("Words of article text", f"{int(docs['words'].sum()):,}")
kpis[3].metric("Files skipped", f"{len(full.skipped):,}")
undated = int((docs["published"] == "").sum())
st.caption((f"Published {dates[0]} to {dates[-1]}" if dates else "No publication dates known")
           + (f"; {undated:,} of {len(docs):,} articles have no known date." if undated else "."))

if docs.empty:
    st.info("No article matches the filters, or none could be read: the skipped files below say why.")
else:
    view = docs[["title", "outlet", "author", "published", "words", "sentences", "chrome_lines", "document"]].copy()
    # Say where each metadata value came from: an inferred value is a guess the analyst should check.
    for key in ("title", "outlet", "author", "published"):
        inferred = docs[f"{key}_source"] == "inferred"
        view.loc[inferred & (view[key] != ""), key] = view[key] + " (inferred)"
    if len(view) > TABLE_ROWS:
        st.caption(f"{len(view):,} articles" + shown_rows_note(len(view)))
    st.dataframe(
        view.head(TABLE_ROWS),
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
    downloads.table(docs, name="documents", key="sources.table_files")

if not docs.empty:
    st.subheader("Who reports what")
    kinds = {"entity": "Entities", "figure quantity": "Figures", "country": "Countries", "topic": "Topics"}
    present = [k for k in kinds if k in set(tables.coverage["kind"])]
    kind = urlstate.radio("Show", present, key="sources.kind", horizontal=True, format_func=kinds.get)
    coverage = tables.coverage[tables.coverage["kind"] == kind]
    if coverage.empty:
        st.write("Nothing named or counted yet to compare across outlets.")
    else:
        top = list(coverage.groupby("item")["mentions"].sum().sort_values(ascending=False).index[:20])
        heat_title = f"{kinds[kind]}: mentions by outlet (top {len(top)})"
        heat = coverage_heatmap(coverage, items=top, title=heat_title)
        st.altair_chart(heat, key="sources.heatmap")
        downloads.chart(heat, name=f"coverage_{kind.replace(' ', '_')}", title=heat_title, tables=tables,
                        key="sources.heatmap_files")
        outlets_covering = coverage[coverage["item"].isin(top)].groupby("item")["outlet"].nunique()
        one = [i for i in top if outlets_covering.get(i, 0) == 1]
        st.markdown(f"{len(top) - len(one)} of the {len(top)} most mentioned {kinds[kind].lower()} appear in more than one "
                    f"outlet's articles" + (f"; only one outlet mentions {md(', '.join(one[:6]))}." if one else "."))

    st.subheader("Claims resting on one text")
    support = tables.support
    single = support[support["single_source"] & ~support["key"].str.startswith("other_")]
    st.caption("Figures and stances carried by a single independent text: articles that rewrite another count once. "
               f"{len(single):,} of {len(support):,} claims rest on one text" + shown_rows_note(len(single)))
    st.dataframe(
        single[["kind", "item", "documents", "independent_texts", "outlet_list", "document_list"]].head(TABLE_ROWS),
        hide_index=True,
        width="stretch", key="sources.single",
        column_config={"kind": "Kind", "item": st.column_config.TextColumn("Claim", width="large"),
                       "documents": st.column_config.NumberColumn("Articles", format="%d"),
                       "independent_texts": st.column_config.NumberColumn("Independent texts", format="%d"),
                       "outlet_list": "Outlets", "document_list": "Files"},
    )

    st.subheader("Rewrites of one text")
    if tables.duplicates.empty:
        st.write("No article rewrites another: every article counts as an independent text.")
    else:
        # The closest pairs first; a picker of thousands of pairs is unusable, so it offers the first ones.
        pairs = tables.duplicates.head(PAIR_CHOICES)
        labels = {f"{r.rewrite} ← {r.original}": i for i, r in enumerate(pairs.itertuples(index=False))}
        if len(tables.duplicates) > len(pairs):
            st.caption(f"The {len(pairs)} closest of {len(tables.duplicates):,} rewrite pairs; the duplicates table "
                       "in the briefing pack lists them all.")
        chosen = urlstate.selectbox("Pair", list(labels), key="sources.pair")
        pair = tables.duplicates.iloc[labels[chosen]]
        st.markdown(f"**{md(pair['rewrite'])}** rewrites **{md(pair['original'])}**: {int(pair['shared_sentences'])} sentences say the "
                    f"same thing ({pair['score']:.0%} of the shorter text); the original is decided {pair['direction']}.")
        # Looked up among all passages: a pair the filters keep has every one of its passages there too, and the
        # filtered view's own passages table is then never built.
        passages = computed("pair_passages", full, _pair_passages, pair["original"], pair["rewrite"])
        rows = "".join(
            f"<tr><td style='vertical-align:top;padding:6px;border-top:1px solid rgba(128,128,128,.3)'>{inert_html(a)}</td>"
            f"<td style='vertical-align:top;padding:6px;border-top:1px solid rgba(128,128,128,.3)'>{inert_html(b)}</td>"
            f"<td style='vertical-align:top;padding:6px;border-top:1px solid rgba(128,128,128,.3)'>{sim:.2f}</td></tr>"
            for a, b, sim in zip(passages["text_original"], passages["text_rewrite"], passages["similarity"])
        )
        st.markdown(
            "<table style='width:100%;border-collapse:collapse;font-size:0.9em'><tr>"
            f"<th style='text-align:left'>Original ({inert_html(pair['original'])})</th>"
            f"<th style='text-align:left'>Rewrite ({inert_html(pair['rewrite'])})</th><th>Similarity</th></tr>"
            f"{rows}</table>",
            unsafe_allow_html=True,
        )

    st.subheader("Outlet profile")
    outlet_names = sorted(set(outlet_labels(docs["outlet"])))
    outlet = urlstate.selectbox("Outlet", outlet_names, key="sources.outlet")
    mine = docs[outlet_labels(docs["outlet"]) == outlet]
    mine_cov = tables.coverage[tables.coverage["outlet"] == outlet]
    def top_items(kind: str, n: int = 6) -> str:
        items = mine_cov[mine_cov["kind"] == kind].nlargest(n, "mentions")
        return ", ".join(f"{md(i)} ({int(m):,})" for i, m in zip(items["item"], items["mentions"])) or "none"
    st.markdown(
        f"**{md(outlet)}**: {len(mine):,} article{'s' if len(mine) != 1 else ''}, {int(mine['words'].sum()):,} words"
        + (f", {mine['published'].replace('', None).dropna().min()} to {mine['published'].replace('', None).dropna().max()}"
           if (mine["published"] != "").any() else "") + ".  \n"
        f"Countries it names most: {top_items('country')}.  \nFigures it reports: {top_items('figure quantity')}.  \n"
        f"Topics of the stances it reports: {top_items('topic')}."
    )

st.subheader("Skipped files")
if full.skipped.empty:
    st.write("Every file in the folder was analysed.")
else:
    st.dataframe(
        full.skipped.rename(columns={"document": "File", "reason": "Why it was skipped"}),
        hide_index=True,
        width="stretch",
        key="sources.skipped",
    )
if full.warnings:
    st.subheader("Warnings")
    for warning in full.warnings:
        st.write(f"- {warning}")
