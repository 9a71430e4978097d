"""The tables of an analysed corpus (`Tables`) and the per-article results they are made from (`Parts`)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.coverage import passage_texts
from analysis.frames import interleave, positions_in
from analysis.rewrites import RewriteIndex

DOCUMENT_COLUMNS = [
    "document", "title", "outlet", "author", "published", "url", "words", "chrome_lines", "content_hash",
    "sentences", "format", "encoding", "size_bytes", "original",
    "title_source", "outlet_source", "author_source", "published_source", "url_source",
]
SENTENCE_COLUMNS = ["document", "sentence", "start", "end", "text"]
LINE_COLUMNS = ["document", "line", "kind", "reason", "text", "body_start", "body_text"]
SKIPPED_COLUMNS = ["document", "reason"]


_REQUIRED = object()


class Deferred:
    """A table that is read or computed when first used: a store's big, rarely viewed tables (page lines, shared
    passages, raw mentions) cost neither load time nor memory until a view or an export asks for them.

    As a dataclass field's default, it lets the field be given either a DataFrame or a function returning one; the
    function runs once, on first access, and its result replaces it."""

    def __set_name__(self, owner, name: str) -> None:
        self.slot = f"_deferred_{name}"

    def __init__(self, default=_REQUIRED):
        self.default = default
        self.lock = threading.RLock()  # sessions share tables: each deferred field is produced once

    def __get__(self, instance, owner=None):
        if instance is None:
            if self.default is _REQUIRED:
                raise AttributeError(self.slot)  # no class-level default: the field stays required
            return self.default
        value = instance.__dict__[self.slot]
        if callable(value):
            with self.lock:
                value = instance.__dict__[self.slot]
                if callable(value):
                    value = instance.__dict__[self.slot] = value()
        return value

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.slot] = value

    @staticmethod
    def pending(instance, name: str):
        """The function that will produce a deferred field, or None once it holds its table."""
        value = instance.__dict__.get(f"_deferred_{name}")
        return value if callable(value) else None


@dataclass
class Tables:
    """Every table of one analysed corpus, plus what was skipped and why. `duplicate_passages` and `lines` may be
    given as functions that produce them on first use (see `Deferred`)."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    figures: pd.DataFrame
    discrepancies: pd.DataFrame
    positions: pd.DataFrame
    position_summary: pd.DataFrame
    duplicates: pd.DataFrame
    duplicate_passages: pd.DataFrame = Deferred()
    coverage: pd.DataFrame
    support: pd.DataFrame
    events: pd.DataFrame
    entities: pd.DataFrame
    cooccurrence: pd.DataFrame
    lines: pd.DataFrame = Deferred()
    skipped: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    corpus_hash: str = ""
    model: str = ""
    model_warning: str | None = None
    built_at: str = ""
    overrides: bytes | None = None  # positions_overrides.csv as read, so merged corpora keep it
    topics: bytes | None = None  # the corpus's topics.yaml as read, likewise
    figures_file: bytes | None = None  # the corpus's figures.yaml as read, likewise
    parts: Parts | None = None  # per-article results, for merging new articles in without re-analysing these
    view: str = ""  # the filters that narrowed these tables from the whole build ("" for all of it)
    # Every sentence of the build when a view narrowed `sentences` (a search keeps only matching ones): where the
    # texts of shared passages are looked up.
    all_sentences: pd.DataFrame | None = None
    # Vectors and candidate lists of the rewrite search, so the next build (or upload) compares changed articles only.
    rewrite_index: RewriteIndex | None = Deferred(default=None)
    # positions_overrides.csv's rows as `positions.read_overrides` reads them (the position summary's input).
    override_rows: pd.DataFrame | None = None
    # Tables declared in `analysis.registry` that have no field of their own, by name: exported and stored too.
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    # Tables written by `python -m analysis export`, in order.
    EXPORTED = ("documents", "sentences", "mentions", "entities", "cooccurrence", "figures", "discrepancies",
                "positions", "position_summary", "coverage", "support", "duplicates", "duplicate_passages", "events",
                "lines", "skipped")

    def names(self) -> tuple[str, ...]:
        """The names of every exported table: the fixed ones, then the registry's extra ones."""
        return self.EXPORTED + tuple(self.extra)

    def table(self, name: str) -> pd.DataFrame:
        """One table by name, a field or an extra one (as held: shared passages without their texts)."""
        return self.extra[name] if name in self.extra else getattr(self, name)

    def exported(self) -> dict[str, pd.DataFrame]:
        """The tables as exported: shared passages with the texts of both sentences."""
        tables = {name: self.table(name) for name in self.names()}
        tables["duplicate_passages"] = self.passages_with_text(self.duplicate_passages)
        return tables

    def lines_of(self, document: str) -> pd.DataFrame:
        """One article's page lines, in order. From a store whose lines were not needed yet, only its rows are read."""
        pending = Deferred.pending(self, "lines")
        if pending is not None and hasattr(pending, "rows_of"):
            return pending.rows_of(document)
        lines = self.lines
        return lines[lines["document"] == document].reset_index(drop=True)

    def passages_of(self, original: str, rewrite: str) -> pd.DataFrame:
        """The sentences one pair of articles shares, with both texts. From a store whose shared passages were not
        needed yet (millions of rows in a large corpus), only that pair's rows are read."""
        pending = Deferred.pending(self, "duplicate_passages")
        if pending is not None and hasattr(pending, "rows_where"):
            found = pending.rows_where({"original": original, "rewrite": rewrite})
        else:
            passages = self.duplicate_passages
            found = passages[(passages["original"] == original) & (passages["rewrite"] == rewrite)]
        return self.passages_with_text(found.reset_index(drop=True))

    def passages_with_text(self, passages: pd.DataFrame) -> pd.DataFrame:
        """Rows of duplicate_passages with text_original and text_rewrite added."""
        return passage_texts(passages, self.sentences if self.all_sentences is None else self.all_sentences)


PARTS_TABLES = ("documents", "sentences", "raw_mentions", "figures", "positions", "events", "lines")


@dataclass
class Parts:
    """Per-article analysis results: each row depends on its own article only, so parts can be merged. raw_mentions
    and lines may be given as functions that produce them on first use (see `Deferred`)."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    raw_mentions: pd.DataFrame = Deferred()  # before corpus-level resolution of names
    figures: pd.DataFrame
    positions: pd.DataFrame
    events: pd.DataFrame
    lines: pd.DataFrame = Deferred()

    def merged(self, other: Parts) -> Parts:
        """These parts plus other's; other's articles replace same-named ones here."""
        replaced = set(other.documents["document"])
        kept = Parts(**{name: getattr(self, name)[~getattr(self, name)["document"].isin(replaced)]
                        for name in PARTS_TABLES})
        return concat_parts([kept, other])

    def in_order(self, order: list[str]) -> Parts:
        """Rows of every table in this document order, each article's rows in their own order (chunks and
        stores hand parts back in any order; tables must not depend on it)."""
        tables = {}
        for name in PARTS_TABLES:
            frame = getattr(self, name)
            if not frame.empty:
                rank = positions_in(frame["document"], order)
                if (rank[1:] < rank[:-1]).any():  # a store's rows are mostly in order already
                    frame = frame.iloc[np.argsort(rank, kind="stable")]
                frame = frame.reset_index(drop=True)
            tables[name] = frame
        return Parts(**tables)


def splice_parts(base: Parts, keep: frozenset[str], extra: Parts, order: list[str]) -> Parts:
    """base's rows of the articles in keep and extra's rows, in the article order of order: as `concat_parts` then
    `Parts.in_order`, but by cutting base (in order already: a generation's tables) into slices around what
    changed, so the millions of unchanged rows are neither filtered nor sorted again."""
    tables = {}
    for name in PARTS_TABLES:
        spliced = _splice(getattr(base, name), keep, getattr(extra, name), order)
        if spliced is None:  # base not in order: the general way
            return concat_parts([Parts(**{n: getattr(base, n)[getattr(base, n)["document"].isin(keep)]
                                          for n in PARTS_TABLES}), extra]).in_order(order)
        tables[name] = spliced
    return Parts(**tables)


def _splice(base: pd.DataFrame, keep: frozenset[str], extra: pd.DataFrame, order: list[str]) -> pd.DataFrame | None:
    kept = list(keep)
    rank = positions_in(base["document"], order)
    kept_rows = (positions_in(base["document"], kept) < len(kept)) & (rank < len(order))
    extra_rank = positions_in(extra["document"], order)
    listed = extra_rank < len(order)
    extra, extra_rank = extra[listed], extra_rank[listed]
    arranged = np.argsort(extra_rank, kind="stable")
    return interleave(base, rank, extra.iloc[arranged].reset_index(drop=True), extra_rank[arranged], keep=kept_rows)


def concat_parts(pieces: list[Parts]) -> Parts:
    """Parts of several disjoint sets of articles (at least one), in the order given."""
    if not pieces:
        raise ValueError("concat_parts needs at least one Parts (analysis.articles.combined takes none)")
    merged = {}
    for name in PARTS_TABLES:
        frames = [getattr(p, name) for p in pieces]
        non_empty = [f for f in frames if not f.empty]
        merged[name] = pd.concat(non_empty, ignore_index=True) if non_empty else frames[0]
    return Parts(**merged)
