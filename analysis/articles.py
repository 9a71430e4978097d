"""The per-article analysis: everything that depends on one article alone, as `Parts` that merge across articles."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.actors import Links, links_in, words
from analysis.corpus import MAX_SENTENCE_CHARS, METADATA_FIELDS, Document
from analysis.coverage import events_table
from analysis.entities import mentions_frame, mentions_from_doc
from analysis.figures import figures_table
from analysis.nlp import load_pipeline, process, sentence_copies, sentence_spans
from analysis.numbers import might_have_figures
from analysis.positions import is_candidate, parse_candidates, positions_table
from analysis.tables import DOCUMENT_COLUMNS, LINE_COLUMNS, SENTENCE_COLUMNS, Parts, concat_parts


def analyse_documents(docs: list[Document], *, model: str | None = None, batch_size: int = 16) -> Parts:
    """Run the NLP pipeline over articles and extract everything that depends on one article alone."""
    pipeline = load_pipeline(model)
    # Strings spaCy interns while reading these articles are freed when the zone ends; everything kept below
    # is copied into plain Python values first. One chunk at a time per process: the zone is process-wide.
    with pipeline.lock, pipeline.nlp.memory_zone():
        return _analyse(docs, pipeline, batch_size)


def _analyse(docs: list[Document], pipeline, batch_size: int) -> Parts:
    read = _read(docs, pipeline.nlp, batch_size)
    documents = document_frame(docs, read.sentence_counts)
    sentence_frame = pd.DataFrame(read.sentence_rows, columns=SENTENCE_COLUMNS)
    parsed = list(parse_candidates(read.candidates, nlp=pipeline.nlp))
    stances = [item for item in parsed if (item[0], item[1]) in read.stance_sentences]
    return _extracted(documents, sentence_frame, mentions_frame(read.mentions), stances, line_frame(docs),
                      paragraphs=_paragraphs(docs, read.sentence_rows), links=read.links,
                      parses={(document, index): doc for document, index, doc in parsed})


@dataclass
class _Read:
    """What the pass over whole articles gives: sentence rows (document, index, start, end, text), each article's
    sentence count, raw mentions, people and offices linked to countries, and the sentences to parse."""

    sentence_rows: list[tuple] = field(default_factory=list)
    sentence_counts: list[int] = field(default_factory=list)
    mentions: list = field(default_factory=list)
    links: dict[str, Links] = field(default_factory=dict)
    candidates: list[tuple[str, int, object]] = field(default_factory=list)  # (document, index, sentence Doc)
    stance_sentences: set[tuple[str, int]] = field(default_factory=set)  # of the candidates, those for positions


def _read(docs: list[Document], nlp, batch_size: int) -> _Read:
    """Sentences, mentions and people of every article, and the sentences that may state a country's position."""
    read = _Read()
    # organisations acting on their own ("NATO rejected the plan") and groups of countries ("the G7 supports")
    acting = set(words().organisations) | words().country_groups
    for doc, processed in zip(docs, process((d.body for d in docs), nlp=nlp, batch_size=batch_size)):
        spans = sentence_spans(processed)
        read.sentence_counts.append(len(spans))
        mentions = list(mentions_from_doc(processed, document=doc.document, sentence_starts=[s[0] for s in spans]))
        read.mentions.extend(mentions)
        texts = [text for _, _, text in spans]
        # The headline often says whose a title is ("Secretary Blinken's Call with Polish Foreign Minister Rau").
        links = read.links[doc.document] = links_in([*texts, doc.metadata.get("title") or ""])
        # Only sentences with a stance cue and a country actor, an anaphor or a person the article links to a
        # country can state a country's position: parse just those.
        actor_sentences = {m.sentence for m in mentions if m.country_iso3 or m.entity_id in acting}
        chosen = []
        for index, (start, end, text) in enumerate(spans):
            read.sentence_rows.append((doc.document, index, start, end, text))
            stance = is_candidate(text, names_actor=index in actor_sentences, people=links.people)
            if stance:
                read.stance_sentences.add((doc.document, index))
            # A sentence with a number is parsed too: what a figure measures is read from the parse.
            if stance or (len(text) <= MAX_SENTENCE_CHARS and might_have_figures(text)):
                chosen.append(index)
        # Copies of the sentences keep their tokens and gazetteer entities: the parse need not redo them.
        copies = sentence_copies(processed, [spans[i][:2] for i in chosen])
        read.candidates.extend((doc.document, index, copy) for index, copy in zip(chosen, copies))
    return read


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


def _extracted(documents, sentences, raw_mentions, parsed, lines, paragraphs=None, links=None, parses=None) -> Parts:
    """Parts from the articles' rows, sentences, mentions and parsed stance sentences: figures, positions, events."""
    return Parts(
        documents=documents,
        sentences=sentences,
        raw_mentions=raw_mentions,
        figures=figures_table(sentences, documents, parses),
        positions=positions_table(parsed, sentences, documents, raw_mentions, paragraphs, links),
        events=events_table(sentences, documents),
        lines=lines,
    )


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
