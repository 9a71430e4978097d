"""build_tables: the one function that turns a corpus into every table the CLI and the dashboard show."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pandas as pd

from analysis import ANALYSIS_VERSION
from analysis.corpus import METADATA_FIELDS, Corpus, read_corpus
from analysis.coverage import coverage_table, duplicates_table, events_table, independent_texts, support_table
from analysis.entities import cooccurrence_table, entity_table, mentions_frame, mentions_from_doc, resolve
from analysis.figures import discrepancies_table, figures_table
from analysis.nlp import load_pipeline, process, sentence_spans
from analysis.positions import parse_candidates, positions_table, read_overrides, summarise

DOCUMENT_COLUMNS = [
    "document", "title", "outlet", "author", "published", "url", "words", "chrome_lines", "content_hash",
    "sentences", "format", "encoding", "size_bytes", "original",
    "title_source", "outlet_source", "author_source", "published_source", "url_source",
]
SENTENCE_COLUMNS = ["document", "sentence", "start", "end", "text"]
LINE_COLUMNS = ["document", "line", "kind", "reason", "text"]
SKIPPED_COLUMNS = ["document", "reason"]


@dataclass
class Tables:
    """Every table of one analysed corpus, plus what was skipped and why."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    figures: pd.DataFrame
    discrepancies: pd.DataFrame
    positions: pd.DataFrame
    position_summary: pd.DataFrame
    duplicates: pd.DataFrame
    duplicate_passages: pd.DataFrame
    coverage: pd.DataFrame
    support: pd.DataFrame
    events: pd.DataFrame
    entities: pd.DataFrame
    cooccurrence: pd.DataFrame
    lines: pd.DataFrame
    skipped: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    corpus_hash: str = ""
    model: str = ""
    model_warning: str | None = None
    built_at: str = ""

    # Tables written by `python -m analysis export`, in order.
    EXPORTED = ("documents", "sentences", "mentions", "entities", "cooccurrence", "figures", "discrepancies", "positions",
                "position_summary", "coverage", "support", "duplicates", "duplicate_passages", "events", "lines", "skipped")

    def exported(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in self.EXPORTED}


def build_tables(corpus: Corpus | str | os.PathLike, *, model: str | None = None, batch_size: int = 32) -> Tables:
    """Analyse a corpus (or the folder holding one) into every table: documents, sentences, mentions, entities, ..."""
    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus)
    pipeline = load_pipeline(model)
    docs = corpus.documents
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
    line_rows = [
        (doc.document, line.number, line.kind, line.reason, line.text)
        for doc in docs
        for line in doc.cleaned.lines
        if line.kind != "blank"
    ]
    documents = pd.DataFrame(document_rows, columns=DOCUMENT_COLUMNS)
    documents["words"] = documents["words"].astype("int64")
    documents["chrome_lines"] = documents["chrome_lines"].astype("int64")
    mention_frame = mentions_frame(resolve(mentions))
    sentence_frame = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    figure_frame = figures_table(sentence_frame, documents)
    # Only sentences naming a country actor can state a country's position: parse just those.
    actor_sentences = set(zip(mention_frame.loc[mention_frame["country_iso3"] != "", "document"],
                              mention_frame.loc[mention_frame["country_iso3"] != "", "sentence"]))
    candidates = ((d, i, t) for d, i, _, _, t in sentence_rows if (d, i) in actor_sentences)
    position_frame = positions_table(parse_candidates(candidates, nlp=pipeline.nlp), sentence_frame, documents)
    overrides, override_warnings = read_overrides(corpus.overrides)
    duplicate_frame, passage_frame = duplicates_table(documents, sentence_frame)
    roots = independent_texts(documents, duplicate_frame)
    documents["original"] = documents["document"].map(roots)
    return Tables(
        documents=documents,
        sentences=sentence_frame,
        mentions=mention_frame,
        figures=figure_frame,
        discrepancies=discrepancies_table(figure_frame),
        positions=position_frame,
        position_summary=summarise(position_frame, overrides),
        duplicates=duplicate_frame,
        duplicate_passages=passage_frame,
        coverage=coverage_table(documents, mention_frame, figure_frame, position_frame),
        support=support_table(documents, figure_frame, position_frame, roots),
        events=events_table(sentence_frame, documents),
        entities=entity_table(mention_frame, documents),
        cooccurrence=cooccurrence_table(mention_frame, sentences_total=len(sentence_rows)),
        lines=pd.DataFrame(line_rows, columns=LINE_COLUMNS),
        skipped=pd.DataFrame([(s.document, s.reason) for s in corpus.skipped], columns=SKIPPED_COLUMNS),
        warnings=list(corpus.warnings) + override_warnings,
        corpus_hash=corpus.content_hash,
        model=pipeline.model,
        model_warning=pipeline.warning,
        built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


__all__ = ["ANALYSIS_VERSION", "Tables", "build_tables"]
