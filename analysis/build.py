"""The build: plan what changed, analyse it, commit the tables. The CLI, the dashboard and the benches call this.

A build re-reads only files whose size or modification time changed, re-analyses only articles whose key (analysis
version, model, name, text, metadata) is new, and reuses every other article's rows (read from the current
generation's tables, which hold them all, rather than from hundreds of shards). The rewrite search compares only the
changed articles with the others, through the current generation's rewrite index. Storage is `analysis.store`'s.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import ANALYSIS_VERSION, CORPUS_VERSION
from analysis.articles import combined
from analysis.clean import Cleaned
from analysis.corpus import Corpus, Document, SourceFile, read_corpus
from analysis.registry import assemble
from analysis.rewrites import PreviousSearch, RewriteIndex
from analysis.runtime import Background
from analysis.store import FILE_COLUMNS, REWRITE_INDEX, Store, StoreError, default_store
from analysis.tables import Parts, Tables, splice_parts


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs. jobs, engine, scheduler and chunk_size never change the tables; model, max_bytes and full
    decide what is analysed."""

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


@dataclass
class Plan:
    """What a build found: the corpus as read, each article's key, and which articles need analysing."""

    folder: str | os.PathLike
    requested: str  # the model asked for ("" for the default)
    signature: str | None  # the folder's signature (None when it could not be taken)
    meta: dict | None  # the current generation's meta, or None to build from scratch
    previous: pd.DataFrame  # the current generation's files (FILE_COLUMNS)
    corpus: Corpus | None = None  # None: the folder did not change since the current generation
    keys: dict[str, str] = field(default_factory=dict)  # article -> key of its results
    remembered: dict[str, object] = field(default_factory=dict)  # unchanged file -> its files row
    todo: list[Document] = field(default_factory=list)  # articles to analyse
    model_name: str = ""
    model_warning: str | None = None
    state: str = ""  # what the corpus-level tables depend on besides the articles' own results

    @property
    def stands(self) -> bool:
        """Whether the current generation is up to date: nothing to analyse or assemble."""
        return self.meta is not None and (self.corpus is None
                                          or (not self.todo and self.meta.get("input_state") == self.state))

    @functools.cached_property
    def stored_keys(self) -> dict[str, str]:
        """Key -> shard of every article result the current generation holds."""
        return dict(zip(self.previous["key"], self.previous["shard"]))

    def unchanged(self) -> frozenset[str]:
        """Articles whose results are the current generation's (same key, same model): read from its tables."""
        if self.meta is None or self.meta.get("model") != self.model_name:
            return frozenset()
        before = dict(zip(self.previous["document"], self.previous["key"]))
        return frozenset(d for d, k in self.keys.items() if before.get(d) == k)


def build(folder: str | os.PathLike, *, store: str | os.PathLike | None = None,
          options: BuildOptions = BuildOptions(), progress=None) -> BuildResult:
    """Bring folder's store up to date (only new or changed articles are analysed) and return its tables."""
    started = time.perf_counter()
    store = Store(Path(store) if store is not None else default_store(folder))
    with store.locked():
        store.collect_garbage(keep_previous=True)
        plan = plan_build(store, folder, options)
        if plan.stands:
            if plan.corpus is not None:  # read and found unchanged: the next build need not read it again
                store.confirm_signature(plan.signature)
            tables = store.load_tables()
            return BuildResult(tables, analysed=0, reused=len(tables.documents), removed=0,
                               seconds=time.perf_counter() - started)
        files, tables = analyse(store, plan, options, progress=progress)
        commit(store, plan, files, tables)
    names = {doc.document for doc in plan.corpus.documents}
    stored = plan.stored_keys
    return BuildResult(tables, analysed=len(plan.todo), reused=sum(1 for d in names if plan.keys[d] in stored),
                       removed=len(set(plan.previous["document"]) - names), seconds=time.perf_counter() - started)


def plan_build(store: Store, folder: str | os.PathLike, options: BuildOptions) -> Plan:
    """Read what changed in folder against the store's current generation, and decide what to analyse."""
    from analysis.nlp import MODEL_ENV

    meta, previous = _current(store, full=options.full)
    requested = options.model or os.environ.get(MODEL_ENV) or ""
    try:
        signature = folder_signature(folder, requested_model=requested, max_bytes=options.max_bytes)
    except OSError:
        signature = None
    plan = Plan(folder, requested, signature, meta, previous)
    if meta is not None and signature is not None and store.confirmed_signature() == signature:
        return plan  # not one file changed since the last build, which read them all: it stands as it is
    _read(plan, options)
    _choose_model(plan, options)
    _decide(plan)
    if any(not doc.text for doc in plan.todo):
        # A remembered article needs analysing again (new model or version): read everything afresh.
        _read(plan, options, remember=False)
        _decide(plan)
    plan.state = _input_state(plan.corpus, plan.keys)
    return plan


def _current(store: Store, *, full: bool) -> tuple[dict | None, pd.DataFrame]:
    """The current generation's meta and files, or (None, no files) when there is none to build on."""
    nothing = (None, pd.DataFrame(columns=FILE_COLUMNS))
    if full:
        return nothing
    try:
        meta = store.meta()
        previous = store.files() if meta is not None else nothing[1]
    except (StoreError, OSError, ValueError):
        return nothing  # unusable: rebuild from scratch
    if meta is None or meta.get("analysis_version") != ANALYSIS_VERSION:
        return nothing
    return meta, previous


def _read(plan: Plan, options: BuildOptions, *, remember: bool = True) -> None:
    """Read the corpus; an unchanged file (same signature and sources.csv row) keeps its stored reading."""
    from analysis.engine import parallel_map

    by_name = {row.document: row for row in plan.previous.itertuples(index=False)} if remember else {}
    plan.remembered = {}

    def reuse(item: SourceFile, manifest_row: dict) -> Document | None:
        row = by_name.get(item.name)
        if row is None or not item.signature or row.signature != item.signature:
            return None
        if row.manifest_key != _manifest_key(manifest_row):
            return None
        plan.remembered[item.name] = row
        return _remembered(row)

    read_jobs = options.jobs if options.engine == "local" else (os.cpu_count() or 1)
    plan.corpus = read_corpus(plan.folder, max_bytes=options.max_bytes, reuse=reuse if remember else None,
                              mapper=functools.partial(parallel_map, jobs=read_jobs))


def _choose_model(plan: Plan, options: BuildOptions) -> None:
    """The model the articles are analysed with: the stored one when the same was asked for (no load)."""
    from analysis.nlp import model_identity

    if plan.meta is not None and plan.meta.get("requested_model") == plan.requested:
        plan.model_name, plan.model_warning = plan.meta["model"], plan.meta.get("model_warning")
    else:
        plan.model_name, plan.model_warning = model_identity(options.model)


def _decide(plan: Plan) -> None:
    """Each article's key, and the articles whose key the store does not hold (to analyse)."""
    same_model = plan.meta is not None and plan.meta.get("model") == plan.model_name
    # An unchanged file's key is its stored one when it was made by this analysis version (checked) and model.
    stored = plan.remembered if same_model else {}
    plan.keys = {doc.document: stored[doc.document].key if doc.document in stored else
                 article_key(doc, plan.model_name) for doc in plan.corpus.documents}
    held = plan.stored_keys
    plan.todo = [doc for doc in plan.corpus.documents if plan.keys[doc.document] not in held]


def analyse(store: Store, plan: Plan, options: BuildOptions, *, progress=None) -> tuple[pd.DataFrame, Tables]:
    """Analyse the plan's new articles into shards and assemble every table; returns the files frame and tables."""
    from analysis.engine import run_chunks

    held = plan.stored_keys
    shard_of = {d: held[k] for d, k in plan.keys.items() if k in held}
    (store.root / "shards").mkdir(parents=True, exist_ok=True)
    unchanged = plan.unchanged()
    generation = store.generation() if unchanged else None
    # The unchanged articles' rows and rewrite results are read from the current generation in a thread while the
    # new articles are analysed (Parquet reads release the interpreter lock).
    early = Background(lambda: _previous_build(store, generation, unchanged)) if generation is not None else None
    try:
        for chunk, parts in run_chunks(plan.todo, jobs=options.jobs, engine=options.engine,
                                       scheduler=options.scheduler, model=options.model, progress=progress,
                                       chunk_size=options.chunk_size):
            shard = store.write_shard(parts)
            shard_of.update({doc.document: shard for doc in chunk})
    except BaseException:
        if early is not None:
            early.settle()  # the read of the current generation ends while the store is still locked
        raise
    files = _files_frame(plan, shard_of)
    parts, previous_rewrites = _gather(store, files, [doc.document for doc in plan.corpus.documents],
                                       unchanged=unchanged, early=early)
    corpus = plan.corpus
    tables = assemble(parts, skipped=corpus.skipped, warnings=corpus.warnings, overrides=corpus.overrides,
                    topics=corpus.topics, figures_file=corpus.figures,
                      corpus_hash=corpus.content_hash, model_name=plan.model_name, model_warning=plan.model_warning,
                      previous_rewrites=previous_rewrites)
    return files, tables


def _previous_build(store: Store, generation: Path, unchanged: frozenset[str]) -> tuple[Parts, PreviousSearch | None]:
    """The current generation's per-article tables, and its rewrite search (vouching for the unchanged articles)."""
    parts = store.generation_parts(generation)
    found = store.rewrite_results(generation)
    if found is None:
        return parts, None
    index, duplicates, passages = found
    return parts, PreviousSearch(index, duplicates, passages, unchanged=unchanged)


def _gather(store: Store, files: pd.DataFrame, order: list[str], *, unchanged: frozenset[str],
            early: Background | None) -> tuple[Parts, PreviousSearch | None]:
    """Per-article results of every article in files, in corpus order, and the current generation's rewrite search.
    The unchanged articles' rows come from the current generation (early); the others from their shards."""
    base, search = None, None
    try:
        if early is not None:
            base, search = early.result()
    except (OSError, ValueError, KeyError):  # unreadable: fall back on the shards
        base, search = None, None
    if base is None:
        unchanged = frozenset()
    pieces = [store.read_shard(shard, set(group["document"]))
              for shard, group in files[~files["document"].isin(unchanged)].groupby("shard", sort=True)]
    if base is None:
        return combined(pieces).in_order(order), search
    return splice_parts(base, unchanged, combined(pieces), order), search


def commit(store: Store, plan: Plan, files: pd.DataFrame, tables: Tables) -> None:
    """Make the build's tables the store's current generation, and record the folder it is up to date with."""
    generation = store.commit(files, tables, analysis_version=ANALYSIS_VERSION, requested_model=plan.requested,
                              input_state=plan.state)
    index_folder = generation / REWRITE_INDEX  # stored with the generation: read again if needed
    tables.rewrite_index = lambda: RewriteIndex.load(index_folder)
    store.confirm_signature(plan.signature)
    store.collect_garbage(keep_previous=True)


def _files_frame(plan: Plan, shard_of: dict[str, str]) -> pd.DataFrame:
    """One row per article; an unchanged file keeps its stored row."""
    rows = []
    for doc in plan.corpus.documents:
        key, shard, row = plan.keys[doc.document], shard_of[doc.document], plan.remembered.get(doc.document)
        if row is not None:
            rows.append({**{column: getattr(row, column, None) for column in FILE_COLUMNS}, "key": key, "shard": shard,
                         "read_warnings": getattr(row, "read_warnings", None) or "[]"})
            continue
        signature, manifest_row = plan.corpus.provenance.get(doc.document, ("", {}))
        rows.append({
            "document": doc.document, "signature": signature, "manifest_key": _manifest_key(manifest_row),
            "key": key, "shard": shard, "content_hash": doc.content_hash,
            "metadata": json.dumps(doc.metadata, sort_keys=True),
            "metadata_source": json.dumps(doc.metadata_source, sort_keys=True), "format": doc.format,
            "encoding": doc.encoding, "size_bytes": int(doc.size_bytes),
            "read_warnings": json.dumps(list(doc.read_warnings)),
        })
    return pd.DataFrame(rows, columns=FILE_COLUMNS).astype({"size_bytes": "int64"})


def article_key(doc: Document, model_name: str) -> str:
    """What an article's results depend on: analysis version, model, its name, text and metadata."""
    digest = hashlib.sha256()
    for part in (ANALYSIS_VERSION, model_name, doc.document, doc.content_hash, doc.format, doc.encoding,
                 str(doc.size_bytes), json.dumps(doc.metadata, sort_keys=True),
                 json.dumps(doc.metadata_source, sort_keys=True)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _manifest_key(row: dict) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _input_state(corpus: Corpus, keys: dict[str, str]) -> str:
    """Everything the corpus-level tables depend on besides the articles' own results."""
    digest = hashlib.sha256(f"{CORPUS_VERSION}\n".encode())
    for name in sorted(keys):
        digest.update(f"{name}\0{keys[name]}\n".encode("utf-8", "surrogatepass"))
    digest.update(repr(sorted((s.document, s.reason) for s in corpus.skipped)).encode("utf-8", "surrogatepass"))
    digest.update(repr(corpus.warnings).encode("utf-8", "surrogatepass"))
    digest.update(corpus.overrides or b"")
    digest.update(b"\x1ftopics\x1f" + (corpus.topics or b""))
    digest.update(b"\x1ffigures\x1f" + (corpus.figures or b""))
    return digest.hexdigest()[:24]


_EMPTY = Cleaned(lines=(), body="", paragraph_starts=())


def _remembered(row) -> Document:
    """A stored reading of an unchanged file: everything but its text, which its stored results already cover."""
    return Document(
        document=row.document, format=row.format, encoding=row.encoding, text="", content_hash=row.content_hash,
        metadata=json.loads(row.metadata), metadata_source=json.loads(row.metadata_source), cleaned=_EMPTY,
        size_bytes=int(row.size_bytes),
        read_warnings=tuple(json.loads(getattr(row, "read_warnings", None) or "[]")),  # absent in older stores
    )


def folder_signature(folder: str | os.PathLike, *, requested_model: str, max_bytes: int | None) -> str:
    """Names, sizes, modification times and link targets of every file below folder that a build would look at, with
    what else decides a build (analysis version, model asked for, size limit). Equal signatures mean a build would read
    exactly what the last one read, so it can stand without reading the folder again."""
    from analysis.corpus import max_bytes_default

    digest = hashlib.sha256()
    root = Path(folder).expanduser().resolve()
    limit = max_bytes if max_bytes is not None else max_bytes_default()
    digest.update(f"{root}\0{ANALYSIS_VERSION}\0{CORPUS_VERSION}\0{requested_model}\0{limit}\n"
                  .encode("utf-8", "surrogateescape"))
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda exc: digest.update(f"!{exc}".encode())):
        dirnames.sort()
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                digest.update(f"L{dirpath}/{name}\n".encode("utf-8", "surrogateescape"))
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames):
            if not name.startswith("."):
                digest.update(_file_entry(os.path.join(dirpath, name)).encode("utf-8", "surrogateescape") + b"\n")
    return digest.hexdigest()[:24]


def _file_entry(path: str) -> str:
    try:
        target = os.readlink(path) if os.path.islink(path) else ""
        info = os.stat(path)
        return f"{path}\0{target}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}"
    except OSError as exc:
        return f"{path}\0!{exc.errno}"


def build_tables(corpus: Corpus | str | os.PathLike, *, options: BuildOptions = BuildOptions(),
                 progress=None) -> Tables:
    """Every table of a corpus (or of the folder holding one), analysed in memory: no store is read or written."""
    from analysis.engine import analyse_all
    from analysis.nlp import load_pipeline

    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus, max_bytes=options.max_bytes)
    pipeline = load_pipeline(options.model)
    parts = analyse_all(corpus.documents, jobs=options.jobs, engine=options.engine, scheduler=options.scheduler,
                        model=options.model, progress=progress, chunk_size=options.chunk_size)
    return assemble(parts, skipped=corpus.skipped, warnings=corpus.warnings, overrides=corpus.overrides,
                    topics=corpus.topics, figures_file=corpus.figures,
                    corpus_hash=corpus.content_hash, model_name=pipeline.model, model_warning=pipeline.warning)


def add_articles(base: Tables, corpus: Corpus, *, options: BuildOptions = BuildOptions()) -> Tables:
    """base's articles plus corpus's (same-named ones replaced), analysed in memory, with the corpus-level tables
    rebuilt. The rewrite search starts from base's when it has one for the same model."""
    from analysis.articles import analyse_documents
    from analysis.corpus import Skipped
    from analysis.nlp import load_pipeline

    pipeline = load_pipeline(options.model)
    parts = analyse_documents(corpus.documents, model=options.model)
    previous = None
    if base.parts is not None and base.model == pipeline.model and base.rewrite_index is not None:
        previous = PreviousSearch(base.rewrite_index, base.duplicates, base.duplicate_passages)
    combined = assemble(
        base.parts.merged(parts) if base.parts is not None else parts,
        skipped=[*(Skipped(r.document, r.reason) for r in base.skipped.itertuples()), *corpus.skipped],
        warnings=base.warnings + corpus.warnings, overrides=base.overrides, topics=base.topics,
        figures_file=base.figures_file, corpus_hash=f"{base.corpus_hash}+{corpus.content_hash}",
        model_name=pipeline.model,
        model_warning=pipeline.warning, previous_rewrites=previous,
    )
    combined.rewrite_index = None  # a session's tables are not stored: nothing builds on it
    return combined


def reviewed(base: Tables, *, overrides: bytes | None, topics: bytes | None) -> Tables:
    """base's tables with other review files (an analyst's decisions and topics kept for one session): the
    corpus-level tables made again from the same per-article results, no article analysed again."""
    from analysis.corpus import Skipped

    if base.parts is None:
        raise ValueError("these tables are a filtered view; review the corpus's own tables")
    previous = None
    if base.rewrite_index is not None:
        previous = PreviousSearch(base.rewrite_index, base.duplicates, base.duplicate_passages)
    review_files = ("positions_overrides.csv", "topics.yaml", "figures.yaml")
    warnings = [w for w in base.warnings if not w.startswith(review_files)]
    return assemble(base.parts, skipped=[Skipped(r.document, r.reason) for r in base.skipped.itertuples()],
                    warnings=warnings, overrides=overrides, topics=topics, figures_file=base.figures_file,
                    corpus_hash=base.corpus_hash,
                    model_name=base.model, model_warning=base.model_warning, previous_rewrites=previous)
