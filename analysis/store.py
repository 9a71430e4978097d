"""The analysis store: per-article results in Parquet, keyed by content and analysis version, plus the
corpus-level tables of the last build, swapped in atomically.

Layout of a store folder::

    CURRENT                 name of the generation readers use (replaced atomically, last step of a build)
    SIGNATURE.json          names, sizes and times of the folder's files when that generation was last up to date
    gen-<id>/files.parquet  one row per article file: signature (size, mtime), key, the shard holding its results
    gen-<id>/tables/*.parquet   every table of `Tables` (what the dashboard and the CLI read)
    gen-<id>/meta.json      model, corpus hash, build time, warnings, overrides
    gen-<id>/rewrite-index/ vectors and candidate lists of the rewrite search (`analysis.rewrites.RewriteIndex`)
    shards/<id>/*.parquet   per-article results (`Parts`) of one batch of articles; never changed once written

A build re-reads only files whose size or modification time changed, re-analyses only articles whose key
(analysis version, model, name, text, metadata) is new, and reuses every other article's rows (read from the
current generation's tables, which hold them all, rather than from hundreds of shards). The rewrite search
compares only the changed articles with the others, through the current generation's rewrite index. Nothing
a reader can see is modified in place: a new generation is written beside the old one and CURRENT is
switched with one rename, so a build killed at any point leaves the previous generation complete.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import ANALYSIS_VERSION, CORPUS_VERSION
from analysis.clean import Cleaned
from analysis.corpus import Corpus, Document, SourceFile, read_corpus
from analysis.rewrites import PASSAGE_COLUMNS, PreviousSearch, RewriteIndex
from analysis.tables import PARTS_TABLES, Parts, Tables, assemble, concat_parts, splice_parts

STORE_FORMAT = 1
STORE_DIRNAME = ".briefing-store"
CURRENT = "CURRENT"
REWRITE_INDEX = "rewrite-index"
SIGNATURE = "SIGNATURE.json"  # the folder signature CURRENT's generation was last found up to date with
FILE_COLUMNS = ["document", "signature", "manifest_key", "key", "shard", "content_hash", "metadata",
                "metadata_source", "format", "encoding", "size_bytes", "read_warnings"]


class StoreError(RuntimeError):
    """A store that cannot be used: unreadable, written by an incompatible version, or not a store."""


@dataclass
class UpdateResult:
    tables: Tables
    analysed: int  # articles run through the NLP pipeline in this build
    reused: int  # articles whose stored results were kept
    removed: int  # articles in the previous build that are gone
    seconds: float


def default_store(folder: str | os.PathLike) -> Path:
    """Where a corpus's store lives: a hidden folder inside it when writable, else a per-user cache folder."""
    folder = Path(folder).expanduser().resolve()
    inside = folder / STORE_DIRNAME
    if inside.exists() or os.access(folder, os.W_OK):
        return inside
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "briefing-desk" / "stores" / hashlib.sha256(str(folder).encode()).hexdigest()[:16]


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
    return digest.hexdigest()[:24]


def folder_signature(folder: str | os.PathLike, *, requested_model: str, max_bytes: int | None) -> str:
    """Names, sizes, modification times and link targets of every file below folder that a build would look at,
    with what else decides a build (analysis version, model asked for, size limit). Equal signatures mean a build
    would read exactly what the last one read, so it can stand without reading the folder again."""
    from analysis.corpus import max_bytes_default

    digest = hashlib.sha256()
    root = Path(folder).expanduser().resolve()
    limit = max_bytes if max_bytes is not None else max_bytes_default()
    digest.update(f"{root}\0{ANALYSIS_VERSION}\0{CORPUS_VERSION}\0{requested_model}\0{limit}\n".encode("utf-8", "surrogateescape"))
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda exc: digest.update(f"!{exc}".encode())):
        dirnames.sort()
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                digest.update(f"L{dirpath}/{name}\n".encode("utf-8", "surrogateescape"))
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            try:
                target = os.readlink(path) if os.path.islink(path) else ""
                info = os.stat(path)
                entry = f"{path}\0{target}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}"
            except OSError as exc:
                entry = f"{path}\0!{exc.errno}"
            digest.update(entry.encode("utf-8", "surrogateescape") + b"\n")
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


DEFERRED = ("duplicate_passages", "lines", "raw_mentions")
# Rows per Parquet row group of the tables a view reads a few rows of (one article's lines, one pair's shared
# passages; both are stored sorted by article): small enough that those rows are read without decoding the whole
# table (`Tables.lines_of`, `Tables.passages_of`).
ROW_GROUP_ROWS = 8192
READ_IN_PARTS = ("lines", "duplicate_passages")


class _ReadLater:
    """Reads a Parquet file when called (once, shared by every table set handed it). The file is opened now, so the
    read still works after a later build has removed this generation (the data stays on disk while a handle is
    open). Until then, `rows_of` reads one article's rows only."""

    def __init__(self, path: Path, columns: list[str] | None = None):
        self.handle = open(path, "rb")
        self.columns = columns
        self.frame: pd.DataFrame | None = None
        self.lock = threading.Lock()  # one reader of the handle at a time

    def __call__(self) -> pd.DataFrame:
        with self.lock:
            if self.frame is None:
                self.handle.seek(0)
                self.frame = pd.read_parquet(self.handle, columns=self.columns)
                self.handle.close()
            return self.frame

    def rows_of(self, document: str) -> pd.DataFrame:
        return self.rows_where({"document": document})

    def rows_where(self, equal: dict[str, str]) -> pd.DataFrame:
        """The rows whose columns hold the given values; before the whole file is read, only the row groups that
        can hold them are decoded."""
        with self.lock:
            if self.frame is None:
                self.handle.seek(0)
                return pd.read_parquet(self.handle, columns=self.columns,
                                       filters=[(column, "==", value) for column, value in equal.items()])
        mask = np.ones(len(self.frame), dtype=bool)
        for column, value in equal.items():
            mask &= (self.frame[column] == value).to_numpy(dtype=bool)
        return self.frame[mask].reset_index(drop=True)


def _write_parquet(frame: pd.DataFrame, path: Path, *, row_group_rows: int | None = None) -> None:
    frame.to_parquet(path, index=False, row_group_size=row_group_rows)
    _fsync_file(path)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Store:
    """One corpus's analysis store (see the module docstring for the layout)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    # ---- reading -------------------------------------------------------------------------------------------

    def generation(self) -> Path | None:
        """The folder of the generation readers should use, or None when nothing was built yet."""
        try:
            name = (self.root / CURRENT).read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.root}: cannot read the store: {exc.strerror or exc}") from exc
        path = self.root / name
        if not name.startswith("gen-") or not path.is_dir():
            raise StoreError(f"{self.root}: CURRENT names {name!r}, which is not a complete build")
        return path

    def meta(self) -> dict | None:
        generation = self.generation()
        if generation is None:
            return None
        meta = json.loads((generation / "meta.json").read_text("utf-8"))
        if meta.get("format") != STORE_FORMAT:
            raise StoreError(f"{self.root}: store format {meta.get('format')} is not {STORE_FORMAT}; rebuild it")
        return meta

    def files(self) -> pd.DataFrame:
        generation = self.generation()
        if generation is None:
            return pd.DataFrame(columns=FILE_COLUMNS)
        return pd.read_parquet(generation / "files.parquet")

    def load_tables(self) -> Tables:
        """Every table of the current build, read from Parquet (no NLP); shared passages, page lines and raw
        mentions are read when first used."""
        generation = self.generation()
        if generation is None:
            raise StoreError(f"{self.root}: nothing has been built into this store yet")
        meta = self.meta()
        folder = generation / "tables"
        # The big tables few views use are read when first used (see `tables.Deferred`).
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in Tables.EXPORTED if name not in DEFERRED}
        # Shared passages without their texts (stores written before 2026-11-29 hold them too; they are not read).
        frames["duplicate_passages"] = _ReadLater(folder / "duplicate_passages.parquet", columns=PASSAGE_COLUMNS)
        frames["lines"] = _ReadLater(folder / "lines.parquet")
        raw_mentions = _ReadLater(folder / "raw_mentions.parquet")
        overrides = base64.b64decode(meta["overrides"]) if meta.get("overrides") else None
        parts = Parts(documents=frames["documents"], sentences=frames["sentences"], raw_mentions=raw_mentions,
                      figures=frames["figures"], positions=frames["positions"], events=frames["events"],
                      lines=frames["lines"])
        index_folder = generation / REWRITE_INDEX
        return Tables(**frames, rewrite_index=lambda: RewriteIndex.load(index_folder),  # for uploads; None if gone
                      warnings=meta["warnings"], corpus_hash=meta["corpus_hash"], model=meta["model"],
                      model_warning=meta.get("model_warning"), built_at=meta["built_at"], overrides=overrides,
                      parts=parts)

    # ---- writing -------------------------------------------------------------------------------------------

    @contextmanager
    def _locked(self):
        """One writer at a time (readers never wait: they follow CURRENT)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "LOCK", "a+") as handle:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - not POSIX
                yield
                return
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def update(
        self,
        folder: str | os.PathLike,
        *,
        jobs: int = 1,
        engine: str = "local",
        scheduler: str | None = None,
        model: str | None = None,
        max_bytes: int | None = None,
        progress=None,
        full: bool = False,
        chunk_size: int | None = None,
    ) -> UpdateResult:
        """Bring the store up to date with folder, analysing only what is new or changed, and return the tables."""
        from analysis.engine import parallel_map, run_chunks
        from analysis.nlp import MODEL_ENV, load_pipeline

        started = time.perf_counter()
        with self._locked():
            self._collect_garbage(keep_previous=True)
            try:
                meta = None if full else self.meta()
                previous = self.files() if meta is not None else pd.DataFrame(columns=FILE_COLUMNS)
            except (StoreError, OSError, ValueError):
                meta, previous = None, pd.DataFrame(columns=FILE_COLUMNS)  # unusable: rebuild from scratch
            if meta is not None and meta.get("analysis_version") != ANALYSIS_VERSION:
                meta, previous = None, pd.DataFrame(columns=FILE_COLUMNS)
            requested = model or os.environ.get(MODEL_ENV) or ""
            try:
                signature = folder_signature(folder, requested_model=requested, max_bytes=max_bytes)
            except OSError:
                signature = None
            if meta is not None and signature is not None and self._confirmed_signature() == signature:
                # Not one file changed since the last build, which read them all: it stands as it is.
                tables = self.load_tables()
                return UpdateResult(tables, analysed=0, reused=len(tables.documents), removed=0,
                                    seconds=time.perf_counter() - started)
            by_name = {row.document: row for row in previous.itertuples(index=False)}
            remembered: dict[str, object] = {}  # files row of each unchanged file, whose reading is reused

            def reuse(item: SourceFile, manifest_row: dict) -> Document | None:
                row = by_name.get(item.name)
                if row is None or not item.signature or row.signature != item.signature:
                    return None
                if row.manifest_key != _manifest_key(manifest_row):
                    return None
                remembered[item.name] = row
                return _remembered(row)

            read_jobs = jobs if engine == "local" else (os.cpu_count() or 1)
            corpus: Corpus = read_corpus(folder, max_bytes=max_bytes, reuse=reuse,
                                         mapper=functools.partial(parallel_map, jobs=read_jobs))
            keys_before = dict(zip(previous["key"], previous["shard"]))
            if meta is not None and meta.get("requested_model") == requested:
                model_name, model_warning = meta["model"], meta.get("model_warning")
            else:
                pipeline = load_pipeline(model)
                model_name, model_warning = pipeline.model, pipeline.warning
            same_model = meta is not None and meta.get("model") == model_name
            # An unchanged file's key is its stored one when it was made by this analysis version (checked above)
            # and model.
            stored = remembered if same_model else {}
            keys = {doc.document: stored[doc.document].key if doc.document in stored else article_key(doc, model_name)
                    for doc in corpus.documents}
            todo = [doc for doc in corpus.documents if keys[doc.document] not in keys_before]
            if any(not doc.text for doc in todo):
                # A remembered article needs analysing again (new model or version): read everything afresh.
                corpus = read_corpus(folder, max_bytes=max_bytes,
                                     mapper=functools.partial(parallel_map, jobs=read_jobs))
                keys = {doc.document: article_key(doc, model_name) for doc in corpus.documents}
                todo = [doc for doc in corpus.documents if keys[doc.document] not in keys_before]
                remembered.clear()

            state = _input_state(corpus, keys)
            if meta is not None and not todo and meta.get("input_state") == state:
                # Nothing an article or the corpus-level tables depend on has changed: the current build stands.
                self._confirm_signature(signature)
                return UpdateResult(self.load_tables(), analysed=0, reused=len(corpus.documents), removed=0,
                                    seconds=time.perf_counter() - started)
            shard_of = {doc.document: keys_before[keys[doc.document]] for doc in corpus.documents
                        if keys[doc.document] in keys_before}
            (self.root / "shards").mkdir(exist_ok=True)
            # Articles whose key is the one the current generation holds: their rows and rewrite results are read
            # from that generation, in a thread, while the new articles are analysed (Parquet reads release the GIL).
            key_before = dict(zip(previous["document"], previous["key"])) if same_model else {}
            unchanged = frozenset(d for d, k in keys.items() if key_before.get(d) == k)
            generation = self.generation() if unchanged else None
            with ThreadPoolExecutor(max_workers=1) as pool:
                early = pool.submit(self._generation_parts, generation, unchanged) if generation is not None else None
                for chunk, parts in run_chunks(todo, jobs=jobs, engine=engine, scheduler=scheduler, model=model,
                                               progress=progress, chunk_size=chunk_size):
                    shard = self._write_shard(parts)
                    shard_of.update({doc.document: shard for doc in chunk})
                files = self._files_frame(corpus, keys, shard_of, remembered)
                parts, previous_rewrites = self._read_parts(files, [doc.document for doc in corpus.documents],
                                                            unchanged=unchanged, early=early)
            tables = assemble(parts, skipped=corpus.skipped, warnings=corpus.warnings, overrides=corpus.overrides,
                              corpus_hash=corpus.content_hash, model_name=model_name, model_warning=model_warning,
                              previous_rewrites=previous_rewrites)
            self._commit(files, tables, requested_model=requested, input_state=state)
            index_folder = self.generation() / REWRITE_INDEX  # stored with the generation: read again if needed
            tables.rewrite_index = lambda: RewriteIndex.load(index_folder)
            self._confirm_signature(signature)
            self._collect_garbage(keep_previous=True)
        reused = sum(1 for doc in corpus.documents if keys[doc.document] in keys_before)
        removed = len(set(previous["document"]) - {doc.document for doc in corpus.documents})
        return UpdateResult(tables, analysed=len(todo), reused=reused, removed=removed,
                            seconds=time.perf_counter() - started)

    def _files_frame(self, corpus: Corpus, keys: dict[str, str], shard_of: dict[str, str],
                     remembered: dict[str, object]) -> pd.DataFrame:
        """One row per article; an unchanged file (remembered: its current row) keeps its row."""
        rows = []
        for doc in corpus.documents:
            row = remembered.get(doc.document)
            if row is not None:
                rows.append({**{column: getattr(row, column, None) for column in FILE_COLUMNS},
                             "key": keys[doc.document], "shard": shard_of[doc.document],
                             "read_warnings": getattr(row, "read_warnings", None) or "[]"})
                continue
            signature, manifest_row = corpus.provenance.get(doc.document, ("", {}))
            rows.append({
                "document": doc.document, "signature": signature,
                "manifest_key": _manifest_key(manifest_row), "key": keys[doc.document], "shard": shard_of[doc.document],
                "content_hash": doc.content_hash, "metadata": json.dumps(doc.metadata, sort_keys=True),
                "metadata_source": json.dumps(doc.metadata_source, sort_keys=True), "format": doc.format,
                "encoding": doc.encoding, "size_bytes": int(doc.size_bytes),
                "read_warnings": json.dumps(list(doc.read_warnings)),
            })
        return pd.DataFrame(rows, columns=FILE_COLUMNS).astype({"size_bytes": "int64"})

    def _write_shard(self, parts: Parts) -> str:
        shard = uuid.uuid4().hex[:16]
        staging = self.root / "shards" / f".tmp-{shard}"
        staging.mkdir(parents=True)
        for name in PARTS_TABLES:
            _write_parquet(getattr(parts, name), staging / f"{name}.parquet")
        os.replace(staging, self.root / "shards" / shard)
        return shard

    def _read_parts(self, files: pd.DataFrame, order: list[str], *, unchanged: frozenset[str],
                    early: Future | None) -> tuple[Parts, PreviousSearch | None]:
        """Per-article results of every article in files, and the current generation's rewrite search.

        early, the current generation's tables (`_generation_parts`), gives the unchanged articles' rows; the others
        are read from their shards."""
        pieces, search, base = [], None, None
        try:
            if early is not None:
                base, search = early.result()
        except (OSError, ValueError, KeyError):  # unreadable: fall back on the shards
            base, search = None, None
        if base is None:
            unchanged = frozenset()
        for shard, group in files[~files["document"].isin(unchanged)].groupby("shard", sort=True):
            wanted = set(group["document"])
            folder = self.root / "shards" / shard
            tables = {}
            for name in PARTS_TABLES:
                frame = pd.read_parquet(folder / f"{name}.parquet")
                tables[name] = frame[frame["document"].isin(wanted)]
            pieces.append(Parts(**tables))
        if base is None:
            return concat_parts(pieces).in_order(order), search
        return splice_parts(base, unchanged, concat_parts(pieces), order), search

    @staticmethod
    def _generation_parts(generation: Path, wanted: frozenset[str]) -> tuple[Parts, PreviousSearch | None]:
        """A generation's per-article tables (each built from its articles' shard rows; `splice_parts` keeps the rows
        of the wanted ones), and its rewrite search, which may take the wanted articles' sentences as unchanged."""
        folder = generation / "tables"
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in PARTS_TABLES}
        # The generation's documents name each article's original text; per-article results name the article itself.
        tables["documents"] = tables["documents"].assign(original=tables["documents"]["document"])
        index = RewriteIndex.load(generation / REWRITE_INDEX)
        if index is None:
            return Parts(**tables), None
        search = PreviousSearch(index, pd.read_parquet(folder / "duplicates.parquet"),
                                pd.read_parquet(folder / "duplicate_passages.parquet", columns=PASSAGE_COLUMNS),
                                unchanged=wanted)
        return Parts(**tables), search

    def _confirmed_signature(self) -> str | None:
        """The folder signature the current generation was last confirmed against, if any."""
        try:
            record = json.loads((self.root / SIGNATURE).read_text("utf-8"))
            current = self.generation()
        except (OSError, ValueError, StoreError):
            return None
        return record.get("signature") if current is not None and record.get("generation") == current.name else None

    def _confirm_signature(self, signature: str | None) -> None:
        """Record that the current generation is up to date with a folder of this signature (atomically)."""
        current = self.generation()
        if signature is None or current is None:
            return
        temporary = self.root / f".tmp-{SIGNATURE}-{uuid.uuid4().hex[:6]}"
        temporary.write_text(json.dumps({"generation": current.name, "signature": signature}), "utf-8")
        os.replace(temporary, self.root / SIGNATURE)

    def _commit(self, files: pd.DataFrame, tables: Tables, *, requested_model: str, input_state: str) -> None:
        name = f"gen-{time.time_ns():020d}-{uuid.uuid4().hex[:6]}"
        staging = self.root / f".tmp-{name}"
        (staging / "tables").mkdir(parents=True)
        # Two writers: Arrow encodes and compresses outside the interpreter lock, so files are written side by side.
        with ThreadPoolExecutor(max_workers=2) as pool:
            writes = [pool.submit(_write_parquet, files, staging / "files.parquet")]
            for table in Tables.EXPORTED:  # as held in memory (shared passages without their texts), not as exported
                writes.append(pool.submit(_write_parquet, getattr(tables, table), staging / "tables" / f"{table}.parquet",
                                          row_group_rows=ROW_GROUP_ROWS if table in READ_IN_PARTS else None))
            writes.append(pool.submit(_write_parquet, tables.parts.raw_mentions, staging / "tables" / "raw_mentions.parquet"))
            if tables.rewrite_index is not None:
                writes.append(pool.submit(self._write_index, tables.rewrite_index, staging / REWRITE_INDEX))
            for write in writes:
                write.result()
        meta = {
            "format": STORE_FORMAT, "analysis_version": ANALYSIS_VERSION, "model": tables.model,
            "model_warning": tables.model_warning, "requested_model": requested_model,
            "corpus_hash": tables.corpus_hash, "built_at": tables.built_at, "warnings": tables.warnings,
            "articles": len(tables.documents), "input_state": input_state,
            "overrides": base64.b64encode(tables.overrides).decode() if tables.overrides else None,
        }
        with open(staging / "meta.json", "w", encoding="utf-8") as handle:
            json.dump(meta, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(staging / "tables")
        _fsync_dir(staging)
        os.replace(staging, self.root / name)
        pointer = self.root / f".tmp-{CURRENT}-{uuid.uuid4().hex[:6]}"
        with open(pointer, "w", encoding="utf-8") as handle:
            handle.write(name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(pointer, self.root / CURRENT)  # the switch: atomic on POSIX
        _fsync_dir(self.root)

    @staticmethod
    def _write_index(index: RewriteIndex, folder: Path) -> None:
        index.save(folder)
        for path in folder.iterdir():
            _fsync_file(path)
        _fsync_dir(folder)

    def _collect_garbage(self, *, keep_previous: bool) -> None:
        """Remove what no reader can reach: unfinished writes, old generations, unreferenced shards."""
        if not self.root.is_dir():
            return
        generations = sorted(p for p in self.root.iterdir() if p.name.startswith("gen-") and p.is_dir())
        try:
            current = self.generation()
        except StoreError:
            current = generations[-1] if generations else None  # broken pointer: keep the newest build
        keep = {current} if current else set()
        if keep_previous and current:
            older = [g for g in generations if g.name < current.name]
            keep.update(older[-1:])
        for path in self.root.iterdir():
            if path.name.startswith(".tmp-"):
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        for generation in generations:
            if generation not in keep:
                shutil.rmtree(generation, ignore_errors=True)
        shards = self.root / "shards"
        if not shards.is_dir():
            return
        used = set()
        for generation in keep:
            try:
                used.update(pd.read_parquet(generation / "files.parquet", columns=["shard"])["shard"])
            except (OSError, ValueError):
                return  # cannot tell what is used: remove nothing
        for path in shards.iterdir():
            if path.name not in used:
                shutil.rmtree(path, ignore_errors=True)

