"""Filter a whole set of tables at once (outlets, dates, entity types, countries, topics, text) for every view."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis import registry
from analysis.entities import document_mask
from analysis.positions import read_overrides
from analysis.registry import CorpusTable
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


def _view_tables() -> tuple[CorpusTable, ...]:
    """The declared tables a view makes again from its rows (the others it narrows)."""
    return tuple(table for table in registry.TABLES if table.in_views)


def _subset(tables: Tables, filters: Filters, *, view: str) -> Tables:
    given, events, kept_docs = _narrowed(tables, filters)
    made = registry.run(given, tables=_view_tables(), same_as=_as_built(tables))
    fields, extra = registry.into_tables(made, _view_tables())
    total = tables.documents["document"].nunique()
    duplicates = tables.duplicates
    if len(kept_docs) < total:
        duplicates = duplicates[duplicates["original"].isin(kept_docs) & duplicates["rewrite"].isin(kept_docs)]

    def passages() -> pd.DataFrame:
        # Computed when first used: views and exports of a pair read them, other views do not.
        frame = tables.duplicate_passages
        return frame[frame["original"].isin(kept_docs) & frame["rewrite"].isin(kept_docs)]

    return replace(
        tables,
        **{name: made[name]
           for name in ("documents", "sentences", "mentions", "figures", "positions", "override_rows")},
        **fields,
        extra={**{name: _by_documents(frame, kept_docs, total) if "document" in frame else frame
                  for name, frame in tables.extra.items()}, **extra},
        events=events,
        duplicates=duplicates,
        duplicate_passages=passages,
        lines=lambda: _by_documents(tables.lines, kept_docs, total),  # computed when first used
        parts=None,
        rewrite_index=None,  # a view is never built upon (and replace() would otherwise read the build's index)
        view=view,
        all_sentences=tables.sentences if tables.all_sentences is None else tables.all_sentences,
    )


def _as_built(tables: Tables) -> dict:
    """The build's own inputs and tables, by the names the registry gives them: what a view may reuse."""
    built = {name: getattr(tables, name) for name in ("documents", "sentences", "mentions", "figures", "positions",
                                                      "override_rows")}
    built.update({name: tables.table(name) for table in _view_tables() for name in table.makes
                  if name in tables.extra or hasattr(tables, name)})
    if tables.parts is not None:  # the articles the corpus-level tables were made from
        built["articles"] = tables.parts.documents
    return built


def _narrowed(tables: Tables, filters: Filters) -> tuple[dict, pd.DataFrame, set[str]]:
    """The inputs of a view's tables (rows the filters keep; a table they leave whole is the build's own object),
    its events and the articles kept."""
    docs = tables.documents
    total = docs["document"].nunique()
    in_range = set(docs.loc[document_mask(docs, outlets=filters.outlets, date_from=filters.date_from,
                                          date_to=filters.date_to), "document"])
    sentences = _by_documents(tables.sentences, in_range, total)
    mentions = _by_documents(tables.mentions, in_range, total)
    by_sentence = bool(filters.search or filters.countries)
    if filters.search:
        sentences = sentences[sentences["text"].str.contains(filters.search, case=False, regex=False)]
    if filters.countries:
        named = mentions[mentions["country_iso3"].isin(filters.countries)]
        sentences = sentences.merge(named[["document", "sentence"]].drop_duplicates(), on=["document", "sentence"])
    kept_docs = set(sentences["document"]) if by_sentence else in_range
    keys = pd.MultiIndex.from_frame(sentences[["document", "sentence"]])

    def in_sentences(frame: pd.DataFrame) -> pd.DataFrame:
        frame = _by_documents(frame, kept_docs, total)
        return frame[pd.MultiIndex.from_frame(frame[["document", "sentence"]]).isin(keys)] if by_sentence else frame

    mentions = in_sentences(mentions)
    if filters.labels:
        mentions = mentions[mentions["label"].isin(filters.labels)]
    positions = in_sentences(tables.positions)
    overrides = tables.override_rows if tables.override_rows is not None else read_overrides(tables.overrides)[0]
    for column, values in (("iso3", filters.countries), ("topic", filters.topics)):
        if values:
            positions, overrides = positions[positions[column].isin(values)], overrides[overrides[column].isin(values)]
    documents = _by_documents(docs, kept_docs, total)
    given = {"documents": documents, "articles": _articles(tables, documents), "mentions": mentions,
             "positions": positions, "figures": in_sentences(tables.figures), "override_rows": overrides,
             "sentences": sentences if by_sentence else _by_documents(tables.sentences, kept_docs, total)}
    return given, in_sentences(tables.events), kept_docs


def _articles(tables: Tables, documents: pd.DataFrame) -> pd.DataFrame:
    """The view's articles as per-article results hold them (each its own original); the build's own frame when
    the view keeps every article."""
    if documents is tables.documents and tables.parts is not None:
        return tables.parts.documents
    return documents.assign(original=documents["document"])
