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

This module only stores: what to analyse and what to reuse is decided by `analysis.build`. Nothing a reader can
see is modified in place: a new generation is written beside the old one and CURRENT is switched with one rename,
so a build killed at any point leaves the previous generation complete.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.positions import read_overrides
from analysis.rewrites import PASSAGE_COLUMNS, RewriteIndex
from analysis.runtime import thread_map
from analysis.tables import PARTS_TABLES, Parts, Tables

STORE_FORMAT = 1
STORE_DIRNAME = ".briefing-store"
CURRENT = "CURRENT"
REWRITE_INDEX = "rewrite-index"
SIGNATURE = "SIGNATURE.json"  # the folder signature CURRENT's generation was last found up to date with
FILE_COLUMNS = ["document", "signature", "manifest_key", "key", "shard", "content_hash", "metadata",
                "metadata_source", "format", "encoding", "size_bytes", "read_warnings"]


class StoreError(RuntimeError):
    """A store that cannot be used: unreadable, written by an incompatible version, or not a store."""


def default_store(folder: str | os.PathLike) -> Path:
    """Where a corpus's store lives: a hidden folder inside it when writable, else a per-user cache folder."""
    folder = Path(folder).expanduser().resolve()
    inside = folder / STORE_DIRNAME
    if inside.exists() or os.access(folder, os.W_OK):
        return inside
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "briefing-desk" / "stores" / hashlib.sha256(str(folder).encode()).hexdigest()[:16]


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
        topics = base64.b64decode(meta["topics"]) if meta.get("topics") else None
        figures_file = base64.b64decode(meta["figures_file"]) if meta.get("figures_file") else None
        # Per-article results name each article its own original; the corpus-level documents table names the root.
        articles = frames["documents"].assign(original=frames["documents"]["document"])
        parts = Parts(documents=articles, sentences=frames["sentences"], raw_mentions=raw_mentions,
                      figures=frames["figures"], positions=frames["positions"], events=frames["events"],
                      lines=frames["lines"])
        index_folder = generation / REWRITE_INDEX
        return Tables(**frames, rewrite_index=lambda: RewriteIndex.load(index_folder),  # for uploads; None if gone
                      warnings=meta["warnings"], corpus_hash=meta["corpus_hash"], model=meta["model"],
                      model_warning=meta.get("model_warning"), built_at=meta["built_at"], overrides=overrides,
                      topics=topics, figures_file=figures_file,
                      parts=parts, override_rows=read_overrides(overrides)[0],
                      extra={name: pd.read_parquet(folder / f"{name}.parquet")
                             for name in meta.get("extra_tables", [])})

    def read_shard(self, shard: str, documents: set[str]) -> Parts:
        """The stored per-article results of these documents, from one shard."""
        folder = self.root / "shards" / shard
        tables = {}
        for name in PARTS_TABLES:
            frame = pd.read_parquet(folder / f"{name}.parquet")
            tables[name] = frame[frame["document"].isin(documents)]
        return Parts(**tables)

    @staticmethod
    def generation_parts(generation: Path) -> Parts:
        """A generation's per-article tables, whole and in its article order (each holds every article's rows)."""
        folder = generation / "tables"
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in PARTS_TABLES}
        # The generation's documents name each article's original text; per-article results name the article itself.
        tables["documents"] = tables["documents"].assign(original=tables["documents"]["document"])
        return Parts(**tables)

    @staticmethod
    def rewrite_results(generation: Path) -> tuple[RewriteIndex, pd.DataFrame, pd.DataFrame] | None:
        """A generation's rewrite index, pairs and shared passages (without texts), or None without a usable index."""
        index = RewriteIndex.load(generation / REWRITE_INDEX)
        if index is None:
            return None
        folder = generation / "tables"
        return (index, pd.read_parquet(folder / "duplicates.parquet"),
                pd.read_parquet(folder / "duplicate_passages.parquet", columns=PASSAGE_COLUMNS))

    # ---- writing -------------------------------------------------------------------------------------------

    @contextmanager
    def locked(self):
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

    def write_shard(self, parts: Parts) -> str:
        """Store one batch of per-article results; returns the shard's id."""
        shard = uuid.uuid4().hex[:16]
        staging = self.root / "shards" / f".tmp-{shard}"
        staging.mkdir(parents=True)
        for name in PARTS_TABLES:
            _write_parquet(getattr(parts, name), staging / f"{name}.parquet")
        os.replace(staging, self.root / "shards" / shard)
        return shard

    def confirmed_signature(self) -> str | None:
        """The folder signature the current generation was last confirmed against, if any."""
        try:
            record = json.loads((self.root / SIGNATURE).read_text("utf-8"))
            current = self.generation()
        except (OSError, ValueError, StoreError):
            return None
        return record.get("signature") if current is not None and record.get("generation") == current.name else None

    def confirm_signature(self, signature: str | None) -> None:
        """Record that the current generation is up to date with a folder of this signature (atomically)."""
        current = self.generation()
        if signature is None or current is None:
            return
        temporary = self.root / f".tmp-{SIGNATURE}-{uuid.uuid4().hex[:6]}"
        temporary.write_text(json.dumps({"generation": current.name, "signature": signature}), "utf-8")
        os.replace(temporary, self.root / SIGNATURE)

    def commit(self, files: pd.DataFrame, tables: Tables, **meta) -> Path:
        """Write files and tables as a new generation and make it the current one; meta joins its meta.json."""
        name = f"gen-{time.time_ns():020d}-{uuid.uuid4().hex[:6]}"
        staging = self.root / f".tmp-{name}"
        (staging / "tables").mkdir(parents=True)
        self._write_tables(files, tables, staging)
        meta = {
            "format": STORE_FORMAT, **meta, "model": tables.model, "model_warning": tables.model_warning,
            "corpus_hash": tables.corpus_hash, "built_at": tables.built_at, "warnings": tables.warnings,
            "articles": len(tables.documents), "extra_tables": list(tables.extra),
            "overrides": base64.b64encode(tables.overrides).decode() if tables.overrides else None,
            "topics": base64.b64encode(tables.topics).decode() if tables.topics else None,
            "figures_file": base64.b64encode(tables.figures_file).decode() if tables.figures_file else None,
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
        return self.root / name

    def _write_tables(self, files: pd.DataFrame, tables: Tables, staging: Path) -> None:
        """Every file of a generation, two at a time (Arrow encodes and compresses outside the interpreter lock)."""
        writes = [lambda: _write_parquet(files, staging / "files.parquet")]
        for table in tables.names():  # as held in memory (shared passages without their texts), not as exported
            writes.append(lambda table=table: _write_parquet(
                tables.table(table), staging / "tables" / f"{table}.parquet",
                row_group_rows=ROW_GROUP_ROWS if table in READ_IN_PARTS else None))
        writes.append(lambda: _write_parquet(tables.parts.raw_mentions, staging / "tables" / "raw_mentions.parquet"))
        if tables.rewrite_index is not None:
            writes.append(lambda: self._write_index(tables.rewrite_index, staging / REWRITE_INDEX))
        thread_map(lambda write: write(), writes, workers=2)

    @staticmethod
    def _write_index(index: RewriteIndex, folder: Path) -> None:
        index.save(folder)
        for path in folder.iterdir():
            _fsync_file(path)
        _fsync_dir(folder)

    def collect_garbage(self, *, keep_previous: bool) -> None:
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

