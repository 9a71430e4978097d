"""The build: plan what changed, analyse it, commit the tables. The CLI, the dashboard and the benches call this."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from analysis.corpus import Corpus, read_corpus
from analysis.tables import Tables


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs; none of it changes the tables."""

    jobs: int = 1  # processes that read and analyse articles
    engine: str = "local"  # "local" processes or a "dask" cluster
    scheduler: str | None = None  # the Dask scheduler's address, for engine "dask"
    model: str | None = None  # spaCy model (default: BRIEFING_MODEL, then the installed English model)
    max_bytes: int | None = None  # files larger than this are skipped (default: BRIEFING_MAX_BYTES or 5 MB)
    full: bool = False  # analyse every article again, ignoring stored results
    chunk_size: int | None = None  # articles per unit of work (default: about four chunks per worker)


@dataclass
class BuildResult:
    """What a build made and how much of it was new."""

    tables: Tables
    analysed: int  # articles run through the NLP pipeline in this build
    reused: int  # articles whose stored results were kept
    removed: int  # articles in the previous build that are gone
    seconds: float


def build(folder: str | os.PathLike, *, store: str | os.PathLike | None = None,
          options: BuildOptions = BuildOptions(), progress=None) -> BuildResult:
    """Bring folder's store up to date (only new or changed articles are analysed) and return its tables."""
    from analysis.store import Store, default_store

    result = Store(Path(store) if store is not None else default_store(folder)).update(
        folder, jobs=options.jobs, engine=options.engine, scheduler=options.scheduler, model=options.model,
        max_bytes=options.max_bytes, progress=progress, full=options.full, chunk_size=options.chunk_size)
    return BuildResult(result.tables, result.analysed, result.reused, result.removed, result.seconds)


def build_tables(corpus: Corpus | str | os.PathLike, *, options: BuildOptions = BuildOptions(),
                 progress=None) -> Tables:
    """Every table of a corpus (or of the folder holding one), analysed in memory: no store is read or written."""
    from analysis.engine import analyse_all
    from analysis.tables import assemble

    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus, max_bytes=options.max_bytes)
    parts = analyse_all(corpus.documents, jobs=options.jobs, engine=options.engine, scheduler=options.scheduler,
                        model=options.model, progress=progress, chunk_size=options.chunk_size)
    return assemble(parts, skipped=corpus.skipped, warnings=corpus.warnings, overrides=corpus.overrides,
                    corpus_hash=corpus.content_hash, model=options.model)


def add_articles(base: Tables, corpus: Corpus, *, options: BuildOptions = BuildOptions()) -> Tables:
    """base's articles plus corpus's (same-named ones replaced), analysed in memory, corpus-level tables rebuilt."""
    from analysis.tables import analyse_documents, join_parts

    return join_parts(base, analyse_documents(corpus.documents, model=options.model), corpus, model=options.model)
