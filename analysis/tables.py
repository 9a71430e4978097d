"""build_tables: the one function that turns a corpus into every table the CLI and the dashboard show."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import pandas as pd

from analysis import ANALYSIS_VERSION
from analysis.corpus import METADATA_FIELDS, Corpus, Document, read_corpus
from analysis.coverage import (
    coverage_table,
    events_table,
    independent_texts,
    passage_texts,
    support_table,
)
from analysis.entities import (
    cooccurrence_table,
    entity_table,
    mentions_frame,
    mentions_from_doc,
    resolve_frame,
)
from analysis.figures import discrepancies_table, figures_table
from analysis.frames import interleave, positions_in
from analysis.nlp import load_pipeline, process, sentence_spans
from analysis.positions import parse_candidates, positions_table, read_overrides, summarise
from analysis.rewrites import PreviousSearch, RewriteIndex, find_rewrites

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
    parts: Parts | None = None  # per-article results, for merging new articles in without re-analysing these
    view: str = ""  # the filters that narrowed these tables from the whole build ("" for all of it)
    # Every sentence of the build when a view narrowed `sentences` (a search keeps only matching ones): where the
    # texts of shared passages are looked up.
    all_sentences: pd.DataFrame | None = None
    # Vectors and candidate lists of the rewrite search, so the next build (or upload) compares changed articles only.
    rewrite_index: RewriteIndex | None = Deferred(default=None)

    # Tables written by `python -m analysis export`, in order.
    EXPORTED = ("documents", "sentences", "mentions", "entities", "cooccurrence", "figures", "discrepancies", "positions",
                "position_summary", "coverage", "support", "duplicates", "duplicate_passages", "events", "lines", "skipped")

    def exported(self) -> dict[str, pd.DataFrame]:
        """The tables as exported: shared passages with the texts of both sentences."""
        tables = {name: getattr(self, name) for name in self.EXPORTED}
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
        needed yet (1.8 million rows at 10,000 articles), only that pair's rows are read."""
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
    """Parts of several disjoint sets of articles, in the order given."""
    if not pieces:
        return analyse_documents([])
    merged = {}
    for name in PARTS_TABLES:
        frames = [getattr(p, name) for p in pieces]
        non_empty = [f for f in frames if not f.empty]
        merged[name] = pd.concat(non_empty, ignore_index=True) if non_empty else frames[0]
    return Parts(**merged)


def analyse_documents(docs: list[Document], *, model: str | None = None, batch_size: int = 16) -> Parts:
    """Run the NLP pipeline over articles and extract everything that depends on one article alone."""
    pipeline = load_pipeline(model)
    # Strings spaCy interns while reading these articles are freed when the zone ends; everything kept below
    # is copied into plain Python values first. One chunk at a time per process: the zone is process-wide.
    with pipeline.lock, pipeline.nlp.memory_zone():
        return _analyse(docs, pipeline, batch_size)


def _analyse(docs: list[Document], pipeline, batch_size: int) -> Parts:
    sentence_rows = []
    sentence_counts = []
    mentions = []
    for doc, processed in zip(docs, process((d.body for d in docs), nlp=pipeline.nlp, batch_size=batch_size)):
        spans = sentence_spans(processed)
        sentence_counts.append(len(spans))
        for index, (start, end, text) in enumerate(spans):
            sentence_rows.append((doc.document, index, start, end, text))
        mentions.extend(mentions_from_doc(processed, document=doc.document, sentence_starts=[s[0] for s in spans]))
    document_rows = []
    for doc, count in zip(docs, sentence_counts):
        row = {
            "document": doc.document,
            **{key: doc.metadata.get(key) or "" for key in METADATA_FIELDS},
            "words": doc.words,
            "chrome_lines": doc.cleaned.chrome_lines,
            "content_hash": doc.content_hash,
            "sentences": count,
            "format": doc.format,
            "encoding": doc.encoding,
            "size_bytes": doc.size_bytes,
            "original": doc.document,
        }
        for key in METADATA_FIELDS:
            row[f"{key}_source"] = doc.metadata_source.get(key, "")
        document_rows.append(row)
    line_rows = []
    for doc in docs:
        # Body paragraphs are joined by blank lines, in line order: the i-th paragraph belongs to the i-th start.
        paragraphs = dict(zip((number for number, _ in doc.cleaned.paragraph_starts), doc.body.split("\n\n")))
        starts = dict(doc.cleaned.paragraph_starts)
        for line in doc.cleaned.lines:
            if line.kind == "blank":
                continue
            line_rows.append((doc.document, line.number, line.kind, line.reason, line.text,
                              starts.get(line.number, -1), paragraphs.get(line.number, "")))
    documents = pd.DataFrame(document_rows, columns=DOCUMENT_COLUMNS).astype({"words": "int64", "chrome_lines": "int64"})
    sentence_frame = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    raw_mentions = mentions_frame(mentions)
    # Only sentences naming a country actor can state a country's position: parse just those.
    actors = raw_mentions[raw_mentions["country_iso3"] != ""]
    actor_sentences = set(zip(actors["document"], actors["sentence"]))
    candidates = ((d, i, t) for d, i, _, _, t in sentence_rows if (d, i) in actor_sentences)
    return Parts(
        documents=documents,
        sentences=sentence_frame,
        raw_mentions=raw_mentions,
        figures=figures_table(sentence_frame, documents),
        positions=positions_table(parse_candidates(candidates, nlp=pipeline.nlp), sentence_frame, documents),
        events=events_table(sentence_frame, documents),
        lines=pd.DataFrame(line_rows, columns=LINE_COLUMNS),
    )


def assemble(
    parts: Parts,
    *,
    skipped: list | None = None,
    warnings: list[str] | None = None,
    overrides: bytes | None = None,
    corpus_hash: str = "",
    model: str | None = None,
    model_name: str | None = None,
    model_warning: str | None = None,
    previous_rewrites: PreviousSearch | None = None,
) -> Tables:
    """Corpus-level tables from per-article parts: resolved names, entity and pair tables, discrepancies,
    position summary, rewrites, coverage and support. model_name (as recorded by a store) spares loading spaCy.

    previous_rewrites, an earlier build's rewrite search (same model and analysis version), lets the search compare
    only the articles that changed since; the tables are the same without it."""
    if model_name is None:
        pipeline = load_pipeline(model)
        model_name, model_warning = pipeline.model, pipeline.warning
    documents = parts.documents.copy()
    override_frame, override_warnings = read_overrides(overrides)

    def rewrites_and_support():
        duplicate_frame, passage_frame, rewrite_index = find_rewrites(documents, parts.sentences,
                                                                      previous=previous_rewrites)
        roots = independent_texts(documents, duplicate_frame)
        support = support_table(documents, parts.figures, parts.positions, roots)
        return duplicate_frame, passage_frame, rewrite_index, roots, support

    # Two independent halves, side by side when the rewrite search only compares changed articles: much of their
    # work (Arrow, numpy, sparse products) runs outside the interpreter lock. A search from scratch holds the whole
    # corpus's similarities, and the other half's temporaries on top would raise a full build's peak memory, so it
    # runs first. Neither half changes what it is given.
    with ThreadPoolExecutor(max_workers=2 if previous_rewrites is not None else 1) as pool:
        rewritten = pool.submit(rewrites_and_support)
        if previous_rewrites is None:
            rewritten.result()
        mention_frame = resolve_frame(parts.raw_mentions)
        entities = entity_table(mention_frame, documents)
        cooccurrence = cooccurrence_table(mention_frame, sentences_total=len(parts.sentences))
        coverage = coverage_table(documents, mention_frame, parts.figures, parts.positions)
        discrepancies = discrepancies_table(parts.figures)
        duplicate_frame, passage_frame, rewrite_index, roots, support = rewritten.result()
    documents["original"] = documents["document"].map(roots)
    return Tables(
        documents=documents,
        sentences=parts.sentences,
        mentions=mention_frame,
        figures=parts.figures,
        discrepancies=discrepancies,
        positions=parts.positions,
        position_summary=summarise(parts.positions, override_frame),
        duplicates=duplicate_frame,
        duplicate_passages=passage_frame,
        coverage=coverage,
        support=support,
        # Per-article parts arrive in any order (chunks, stores): corpus-level order is decided here.
        events=parts.events.sort_values(["date", "document", "sentence"], ignore_index=True, kind="stable"),
        entities=entities,
        cooccurrence=cooccurrence,
        lines=parts.lines,
        skipped=pd.DataFrame([(s.document, s.reason) for s in skipped or []], columns=SKIPPED_COLUMNS),
        warnings=list(warnings or []) + override_warnings,
        corpus_hash=corpus_hash,
        model=model_name,
        model_warning=model_warning,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        overrides=overrides,
        parts=parts,
        rewrite_index=rewrite_index,
    )


def join_parts(base: Tables, parts: Parts, corpus: Corpus, *, model: str | None = None) -> Tables:
    """base's articles plus newly analysed ones (parts of corpus's articles; same-named articles are replaced), with
    the corpus-level tables rebuilt. The rewrite search starts from base's when it has one for the same model."""
    from analysis.corpus import Skipped

    pipeline = load_pipeline(model)
    previous = None
    if base.parts is not None and base.model == pipeline.model and base.rewrite_index is not None:
        previous = PreviousSearch(base.rewrite_index, base.duplicates, base.duplicate_passages)
    combined = assemble(
        base.parts.merged(parts) if base.parts is not None else parts,
        skipped=[*(Skipped(r.document, r.reason) for r in base.skipped.itertuples()), *corpus.skipped],
        warnings=base.warnings + corpus.warnings, overrides=base.overrides,
        corpus_hash=f"{base.corpus_hash}+{corpus.content_hash}", model_name=pipeline.model,
        model_warning=pipeline.warning, previous_rewrites=previous,
    )
    combined.rewrite_index = None  # a session's tables are not stored: nothing builds on it
    return combined


def build_tables(corpus: Corpus | str | os.PathLike, *, model: str | None = None, batch_size: int = 16) -> Tables:
    """Analyse a corpus (or the folder holding one) into every table: documents, sentences, mentions, entities, ..."""
    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus)
    parts = analyse_documents(corpus.documents, model=model, batch_size=batch_size)
    return assemble(parts, skipped=corpus.skipped, warnings=corpus.warnings, overrides=corpus.overrides,
                    corpus_hash=corpus.content_hash, model=model)


__all__ = ["ANALYSIS_VERSION", "PARTS_TABLES", "Parts", "Tables", "analyse_documents", "assemble", "build_tables", "concat_parts",
           "join_parts", "splice_parts"]
