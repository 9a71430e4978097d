"""The per-article analysis: everything that depends on one article alone, as `Parts` that merge across articles."""

from __future__ import annotations

import pandas as pd

from analysis.corpus import METADATA_FIELDS, Document
from analysis.coverage import events_table
from analysis.entities import mentions_frame, mentions_from_doc
from analysis.figures import figures_table
from analysis.nlp import load_pipeline, process, sentence_spans
from analysis.positions import is_candidate, parse_candidates, people_in, positions_table
from analysis.tables import DOCUMENT_COLUMNS, LINE_COLUMNS, SENTENCE_COLUMNS, Parts, concat_parts


def analyse_documents(docs: list[Document], *, model: str | None = None, batch_size: int = 16) -> Parts:
    """Run the NLP pipeline over articles and extract everything that depends on one article alone."""
    pipeline = load_pipeline(model)
    # Strings spaCy interns while reading these articles are freed when the zone ends; everything kept below
    # is copied into plain Python values first. One chunk at a time per process: the zone is process-wide.
    with pipeline.lock, pipeline.nlp.memory_zone():
        return _analyse(docs, pipeline, batch_size)


def _analyse(docs: list[Document], pipeline, batch_size: int) -> Parts:
    sentence_rows, sentence_counts, mentions = _sentences_and_mentions(docs, pipeline.nlp, batch_size)
    documents = document_frame(docs, sentence_counts)
    sentence_frame = pd.DataFrame(sentence_rows, columns=SENTENCE_COLUMNS)
    raw_mentions = mentions_frame(mentions)
    # Only sentences with a stance cue and a country actor, an anaphor or a person the article links to a country
    # can state a country's position: parse just those.
    actors = raw_mentions[raw_mentions["country_iso3"] != ""]
    actor_sentences = set(zip(actors["document"], actors["sentence"]))
    texts: dict[str, list[str]] = {}
    for d, _, _, _, t in sentence_rows:
        texts.setdefault(d, []).append(t)
    # The headline often says whose a title is ("Secretary Blinken's Call with Polish Foreign Minister Rau").
    headlines = {doc.document: [doc.metadata.get("title") or ""] for doc in docs}
    people = {d: people_in(found + headlines.get(d, [])) for d, found in texts.items()}
    candidates = ((d, i, t) for d, i, _, _, t in sentence_rows
                  if is_candidate(t, names_actor=(d, i) in actor_sentences, people=people.get(d, ())))
    return _extracted(documents, sentence_frame, raw_mentions, parse_candidates(candidates, nlp=pipeline.nlp),
                      line_frame(docs), paragraphs=_paragraphs(docs, sentence_rows), people=people)


def _paragraphs(docs: list[Document], sentence_rows: list[tuple]) -> dict[str, list[int]]:
    """Each article's paragraph number of each sentence (paragraphs are separated by a blank line in the body)."""
    bodies = {doc.document: doc.body for doc in docs}
    found: dict[str, list[int]] = {}
    counted: dict[str, tuple[int, int]] = {}  # document -> (offset counted up to, breaks before it)
    for document, _, start, _, _ in sentence_rows:
        # Sentences come in order: count only the breaks since the previous one (not the whole body each time).
        offset, breaks = counted.get(document, (0, 0))
        breaks += bodies[document].count("\n\n", offset, start)
        counted[document] = (start, breaks)
        found.setdefault(document, []).append(breaks)
    return found


def combined(pieces: list[Parts]) -> Parts:
    """Parts of several disjoint sets of articles, in the order given; of no article when there are none."""
    return concat_parts(pieces) if pieces else empty_parts()


def empty_parts() -> Parts:
    """Parts of no article, with every table's columns (no model is loaded)."""
    sentences = pd.DataFrame([], columns=SENTENCE_COLUMNS)
    return _extracted(document_frame([], []), sentences, mentions_frame([]), (), line_frame([]))


def _extracted(documents, sentences, raw_mentions, parsed, lines, paragraphs=None, people=None) -> Parts:
    """Parts from the articles' rows, sentences, mentions and parsed stance sentences: figures, positions, events."""
    return Parts(
        documents=documents,
        sentences=sentences,
        raw_mentions=raw_mentions,
        figures=figures_table(sentences, documents),
        positions=positions_table(parsed, sentences, documents, raw_mentions, paragraphs, people),
        events=events_table(sentences, documents),
        lines=lines,
    )


def _sentences_and_mentions(docs: list[Document], nlp, batch_size: int) -> tuple[list[tuple], list[int], list]:
    """Sentence rows (document, index, start, end, text), each article's sentence count, and its raw mentions."""
    sentence_rows, sentence_counts, mentions = [], [], []
    for doc, processed in zip(docs, process((d.body for d in docs), nlp=nlp, batch_size=batch_size)):
        spans = sentence_spans(processed)
        sentence_counts.append(len(spans))
        for index, (start, end, text) in enumerate(spans):
            sentence_rows.append((doc.document, index, start, end, text))
        mentions.extend(mentions_from_doc(processed, document=doc.document, sentence_starts=[s[0] for s in spans]))
    return sentence_rows, sentence_counts, mentions


def document_frame(docs: list[Document], sentence_counts: list[int]) -> pd.DataFrame:
    """One row per article: its metadata, where each value came from, and its size."""
    rows = []
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
        rows.append(row)
    return pd.DataFrame(rows, columns=DOCUMENT_COLUMNS).astype({"words": "int64", "chrome_lines": "int64"})


def line_frame(docs: list[Document]) -> pd.DataFrame:
    """Every non-blank source line of every article, with the cleaner's verdict and the body paragraph it starts."""
    rows = []
    for doc in docs:
        # Body paragraphs are joined by blank lines, in line order: the i-th paragraph belongs to the i-th start.
        paragraphs = dict(zip((number for number, _ in doc.cleaned.paragraph_starts), doc.body.split("\n\n")))
        starts = dict(doc.cleaned.paragraph_starts)
        for line in doc.cleaned.lines:
            if line.kind == "blank":
                continue
            rows.append((doc.document, line.number, line.kind, line.reason, line.text,
                         starts.get(line.number, -1), paragraphs.get(line.number, "")))
    return pd.DataFrame(rows, columns=LINE_COLUMNS)
