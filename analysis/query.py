"""Filter a whole set of tables at once (outlets, dates, entity types, countries, topics, text) for every view."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis.coverage import coverage_table, support_table
from analysis.entities import cooccurrence_table, document_mask, entity_table
from analysis.figures import discrepancies_table
from analysis.positions import read_overrides, summarise
from analysis.tables import Tables


@dataclass(frozen=True)
class Filters:
    """What the analyst asked to see; empty means no restriction."""

    outlets: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    labels: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO3 codes
    topics: tuple[str, ...] = ()
    search: str = ""

    @property
    def active(self) -> bool:
        return self != Filters()

    def describe(self) -> str:
        """The filters in words, for captions and exported files."""
        parts = []
        if self.outlets:
            parts.append("outlets: " + ", ".join(self.outlets))
        if self.date_from or self.date_to:
            parts.append(f"published {self.date_from or '…'} to {self.date_to or '…'}")
        if self.labels:
            parts.append("entity types: " + ", ".join(self.labels))
        if self.countries:
            parts.append("countries: " + ", ".join(self.countries))
        if self.topics:
            parts.append("topics: " + ", ".join(self.topics))
        if self.search:
            parts.append(f"sentences containing “{self.search}”")
        return "; ".join(parts) if parts else "no filters"


def _by_documents(frame: pd.DataFrame, keep: set[str], documents: int) -> pd.DataFrame:
    """Rows of the kept documents; the frame itself (no copy) when every one of the build's documents is kept."""
    if len(keep) == documents:
        return frame
    return frame[frame["document"].isin(keep)]


def subset(tables: Tables, filters: Filters, *, within: Tables | None = None) -> Tables:
    """Tables restricted to what the filters keep, with corpus-level tables recomputed on that subset.

    within, these tables already narrowed by the filters' outlets and dates (`articles_only`), is narrowed by the
    rest of them instead: views that share outlets and dates then share those rows rather than each holding a copy.
    """
    if not filters.active:
        return tables
    if within is not None:
        if within.view != repr(articles_only(filters)):
            raise ValueError(f"within is the view {within.view!r}, not that of {articles_only(filters)!r}")
        rest = replace(filters, outlets=(), date_from="", date_to="")
        return _subset(within, rest, view=repr(filters)) if rest.active else within
    return _subset(tables, filters, view=repr(filters))


def articles_only(filters: Filters) -> Filters:
    """The part of filters that chooses whole articles (outlets and dates)."""
    return Filters(outlets=filters.outlets, date_from=filters.date_from, date_to=filters.date_to)


def _subset(tables: Tables, filters: Filters, *, view: str) -> Tables:
    docs = tables.documents
    total = docs["document"].nunique()
    in_range = set(docs.loc[document_mask(docs, outlets=filters.outlets, date_from=filters.date_from,
                                          date_to=filters.date_to), "document"])
    sentences = _by_documents(tables.sentences, in_range, total)
    mentions = _by_documents(tables.mentions, in_range, total)
    if filters.search:
        sentences = sentences[sentences["text"].str.contains(filters.search, case=False, regex=False)]
    if filters.countries:
        named = mentions[mentions["country_iso3"].isin(filters.countries)]
        sentences = sentences.merge(named[["document", "sentence"]].drop_duplicates(), on=["document", "sentence"])
    kept_docs = set(sentences["document"]) if (filters.search or filters.countries) else in_range
    keys = pd.MultiIndex.from_frame(sentences[["document", "sentence"]])

    def in_sentences(frame: pd.DataFrame) -> pd.DataFrame:
        frame = _by_documents(frame, kept_docs, total)
        if not (filters.search or filters.countries):
            return frame
        return frame[pd.MultiIndex.from_frame(frame[["document", "sentence"]]).isin(keys)]

    mentions = in_sentences(mentions)
    if filters.labels:
        mentions = mentions[mentions["label"].isin(filters.labels)]
    figures = in_sentences(tables.figures)
    positions = in_sentences(tables.positions)
    if filters.countries:
        positions = positions[positions["iso3"].isin(filters.countries)]
    if filters.topics:
        positions = positions[positions["topic"].isin(filters.topics)]
    events = in_sentences(tables.events)
    documents = _by_documents(docs, kept_docs, total)
    roots = dict(zip(documents["document"], documents["original"]))
    duplicates = tables.duplicates
    if len(kept_docs) < total:
        duplicates = duplicates[duplicates["original"].isin(kept_docs) & duplicates["rewrite"].isin(kept_docs)]

    def passages() -> pd.DataFrame:
        # Computed when first used: views and exports of a pair read them, other views do not.
        frame = tables.duplicate_passages
        return frame[frame["original"].isin(kept_docs) & frame["rewrite"].isin(kept_docs)]

    overrides, _ = read_overrides(tables.overrides)
    if filters.countries:
        overrides = overrides[overrides["iso3"].isin(filters.countries)]
    if filters.topics:
        overrides = overrides[overrides["topic"].isin(filters.topics)]
    # A corpus-level table whose inputs the filters left whole (an entity-type filter narrows mentions only) is the
    # build's own: recomputing it would cost time and memory for the same rows.
    same_positions = positions is tables.positions and not (filters.countries or filters.topics)
    return replace(
        tables,
        documents=documents,
        sentences=sentences if (filters.search or filters.countries) else _by_documents(tables.sentences, kept_docs, total),
        mentions=mentions,
        figures=figures,
        discrepancies=tables.discrepancies if figures is tables.figures else discrepancies_table(figures),
        positions=positions,
        position_summary=tables.position_summary if same_positions else summarise(positions, overrides),
        duplicates=duplicates,
        duplicate_passages=passages,
        coverage=coverage_table(documents, mentions, figures, positions),
        support=(tables.support if documents is docs and figures is tables.figures and positions is tables.positions
                 else support_table(documents, figures, positions, roots)),
        events=events,
        entities=entity_table(mentions, documents),
        cooccurrence=cooccurrence_table(mentions, sentences_total=len(sentences)),
        lines=lambda: _by_documents(tables.lines, kept_docs, total),  # computed when first used
        parts=None,
        rewrite_index=None,  # a view is never built upon (and replace() would otherwise read the build's index)
        view=view,
        all_sentences=tables.sentences if tables.all_sentences is None else tables.all_sentences,
    )
