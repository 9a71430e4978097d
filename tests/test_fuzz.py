"""Property tests on random and hostile input: nothing raises, and all evidence is text of its article.

Each `check_*` function states the properties of one target for one input; the tests below run them on a few
hundred inputs, and `bench/fuzz.py` runs the same checks on many more (and on long inputs, timed).
"""

from __future__ import annotations

import math
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.clean import clean_text
from analysis.corpus import SourceFile, read_sources
from analysis.figures import sentence_figures
from analysis.nlp import load_pipeline
from analysis.positions import STANCES, parse_candidates, stances_in

# Pieces of the text a news page holds, hostile and broken ones included: names, stance cues, numbers,
# dates, bylines, chrome, markup, quotes, brackets, control characters, odd spaces, letters changing length.
FRAGMENTS = [
    "France", "Britain", "the UK", "Germany", "Poland", "Kyiv", "Paris", "Macron", "Starmer", "French",
    "British", "pledged to send", "ruled out", "would only send troops if", "is ready to", "did not rule out",
    "rejected", "said", "told reporters", "-led", "Franco-British", "coalition", "troops", "soldiers", "plan",
    "which", "those that", "26", "600,000", "€210bn", "$1.5 billion", "12.5%", "about", "two dozen",
    "several thousand", "up to", "2030", "1,000,000", "Nov. 25", "2025-11-26", "on Monday", "By Olga Winter",
    "Copyright WTX News 2025", "Menu", "Share", "Read more", "---", "title: x", "# ",
    "[x](javascript:alert(1))", "![i](http://evil/x.png)", "<script>alert(1)</script>", "<p onclick='x'>",
    "</p>", "&amp;", "\n", "\n\n", ". ", ", ", "; ", ": ", "“", "”", "'", "(", ")", "[", "]", "*", "_", "-",
    "—", "\t", "\r", "\r\n", "\x00", "\x0b", "\x1b", "\u2028", "\ufeff", "\u200b", "é", "ß", "İ", "ﬁ",
    "🙂", " ",
]
fragment_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=400), fragment_text)
_SPACE = re.compile(r"\s+")
FILE_NAMES = ["a.txt", "b.md", "c.html"]


def _one_line(message: str) -> bool:
    return bool(message) and "\n" not in message and "\r" not in message


def check_cleaner(text: str) -> None:
    """Body paragraphs come from the text, and each paragraph start points at its own source line."""
    cleaned = clean_text(text)
    normal_text = _SPACE.sub(" ", text)
    paragraphs = cleaned.body.split("\n\n") if cleaned.body else []
    assert len(paragraphs) == len(cleaned.paragraph_starts)
    for paragraph, (number, start) in zip(paragraphs, cleaned.paragraph_starts, strict=True):
        assert paragraph and paragraph in normal_text
        assert cleaned.body[start : start + len(paragraph)] == paragraph
        assert paragraph in _SPACE.sub(" ", cleaned.lines[number - 1].text)


def check_read(name: str, data: bytes) -> None:
    """One file gives one article or one skip; each message is one line naming it; the body is its text."""
    corpus = read_sources([SourceFile(name, len(data), lambda: data)])
    assert len(corpus.documents) + len(corpus.skipped) == 1
    for skipped in corpus.skipped:
        assert skipped.document == name and _one_line(str(skipped))
    for warning in corpus.warnings:
        assert warning.startswith(name) and _one_line(warning)
    for doc in corpus.documents:
        normal_text = _SPACE.sub(" ", doc.text)
        for paragraph in doc.body.split("\n\n"):
            assert paragraph in normal_text
        assert all(value is None or isinstance(value, str) for value in doc.metadata.values())


def check_figures(text: str) -> None:
    """Each figure has a finite value and bounds in order; its wording is in the text."""
    for figure, _ in sentence_figures(text):
        assert text[figure.start : figure.end] == figure.text and figure.text
        assert math.isfinite(figure.value)
        if figure.low is not None and figure.high is not None:
            assert figure.low <= figure.high


def check_positions(text: str) -> None:
    """Each stance names a known country and stance, and its cue and conditions are words of the sentence."""
    nlp = load_pipeline().nlp
    from analysis.actors import actor_codes

    names = actor_codes()
    for _, _, doc in parse_candidates([("a.txt", 0, text)], nlp=nlp):
        assert doc.text == text
        for found in stances_in(doc):
            assert found.code in names and found.stance in STANCES
            assert text[found.cue_start : found.cue_end] == found.cue
            assert found.conditions in text


def check_build(files: dict[str, bytes]) -> None:
    """The whole build on a few files: no exception; all offsets and evidence point into their article."""
    from analysis.build import build_tables

    corpus = read_sources([SourceFile(n, len(d), (lambda d=d: d)) for n, d in files.items()])
    tables = build_tables(corpus)
    bodies = {doc.document: doc.body for doc in corpus.documents}
    assert set(tables.documents["document"]) == set(bodies)
    assert all(_one_line(str(s)) for s in corpus.skipped) and all(_one_line(w) for w in tables.warnings)
    sentences = {}
    for row in tables.sentences.itertuples(index=False):
        assert bodies[row.document][row.start : row.end] == row.text
        sentences[(row.document, row.sentence)] = row.text
    for frame in (tables.mentions, tables.figures):
        for row in frame.itertuples(index=False):
            assert bodies[row.document][row.start : row.end] == row.text
    for row in tables.figures.itertuples(index=False):
        assert row.text in sentences[(row.document, row.sentence)] and math.isfinite(row.value)
    for row in tables.positions.itertuples(index=False):
        assert row.evidence == sentences[(row.document, row.sentence)]
    for row in tables.events.itertuples(index=False):
        assert row.evidence == sentences[(row.document, row.sentence)] and row.date_text in row.evidence
    for row in tables.exported()["duplicate_passages"].itertuples(index=False):
        assert row.text_original in bodies[row.original] and row.text_rewrite in bodies[row.rewrite]


encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
file_bytes = st.one_of(
    st.binary(max_size=300),
    st.tuples(fragment_text, encodings).map(lambda pair: pair[0].encode(pair[1], errors="replace")),
)
corpora = st.dictionaries(st.sampled_from(FILE_NAMES), file_bytes, min_size=1, max_size=3)
# A sentence dense in country names, cues, numbers and punctuation, the words the extractors look for.
sentence_fragments = [f for f in FRAGMENTS if f.strip() and "\n" not in f]
sentences = st.lists(st.sampled_from(sentence_fragments), min_size=1, max_size=25).map(" ".join)


@settings(max_examples=80, deadline=None)
@given(any_text)
@example("Menu\n\n\x1b The ministers met in Paris on Thursday to agree the plan, officials said.\n")
def test_cleaner(text):
    check_cleaner(text)


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(FILE_NAMES), file_bytes)
def test_reading_any_bytes(name, data):
    check_read(name, data)


@settings(max_examples=150, deadline=None)
@given(st.one_of(any_text, sentences))
@example("The fund holds " + "9" * 400 + " euros.")  # a 400-digit number once became an infinite value
def test_figure_parser(text):
    check_figures(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sentences)
def test_position_extractor(text):
    check_positions(text)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(corpora)
def test_whole_build(files):
    check_build(files)
