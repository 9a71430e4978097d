"""Snapshot every table of a corpus (whole build, incremental builds, filtered views) and compare two snapshots.

Usage:
  python bench/same_tables.py snapshot CORPUS OUT [--jobs N] [--views]
  python bench/same_tables.py compare A B

`snapshot` copies CORPUS and builds it into a fresh store with `python -m analysis build --full` (the CLI, so the
same command works on any version of the code), reads the store's tables and writes each as OUT/<name>.parquet. With
--views it also writes the tables of a few filtered views (OUT/view-<n>/...). Then it removes the last five articles
(at most half), builds again, puts them back and builds a third time: the incremental build's tables go to
OUT/incremental/. `compare` prints, for every table, whether the two snapshots hold the same rows; it exits 1 when
any differs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Filters of the views compared: articles only, entity types, countries and topics, text, and all at once.
VIEWS = (
    {"date_from": "2025-06-01"},
    {"labels": ("PERSON",)},
    {"countries": ("FRA", "GBR")},
    {"search": "troops"},
    {"date_from": "2025-03-01", "date_to": "2025-10-31", "countries": ("UKR",), "topics": ("troops",)},
)


def _dump(tables, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.exported().items():
        frame.reset_index(drop=True).to_parquet(out / f"{name}.parquet", index=False)
    if tables.parts is not None:
        tables.parts.raw_mentions.reset_index(drop=True).to_parquet(out / "raw_mentions.parquet", index=False)


def _build(corpus: Path, store: Path, *, jobs: int, full: bool) -> None:
    command = [sys.executable, "-m", "analysis", "build", str(corpus), "--store", str(store), "-q", "--jobs", str(jobs)]
    subprocess.run(command + (["--full"] if full else []), cwd=ROOT, check=True)


def snapshot(corpus: Path, out: Path, *, jobs: int, views: bool) -> None:
    """Write the tables of a full build, its filtered views and an incremental rebuild under out."""
    from analysis.query import Filters, subset
    from analysis.store import Store

    with tempfile.TemporaryDirectory(prefix="same-tables-") as scratch:
        corpus = Path(shutil.copytree(corpus, Path(scratch) / "corpus", ignore=shutil.ignore_patterns(".*")))
        store = Path(scratch) / "store"
        _build(corpus, store, jobs=jobs, full=True)
        tables = Store(store).load_tables()
        _dump(tables, out)
        if views:
            for number, options in enumerate(VIEWS):
                _dump(subset(tables, Filters(**options)), out / f"view-{number}")
        moved = Path(scratch) / "moved"
        moved.mkdir()
        articles = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md", ".html"))
        last = articles[-min(5, len(articles) // 2):]
        for path in last:
            shutil.move(path, moved / path.name)
        try:
            _build(corpus, store, jobs=jobs, full=False)
        finally:
            for path in last:
                shutil.move(moved / path.name, path)
        _build(corpus, store, jobs=jobs, full=False)
        _dump(Store(store).load_tables(), out / "incremental")


def compare(a: Path, b: Path) -> bool:
    """Print whether each table of snapshot a equals b's; True when all do."""
    same = True
    names = sorted({p.relative_to(a) for p in a.rglob("*.parquet")} | {p.relative_to(b) for p in b.rglob("*.parquet")})
    for name in names:
        if not (a / name).exists() or not (b / name).exists():
            print(f"{name}: only in {'b' if not (a / name).exists() else 'a'}")
            same = False
            continue
        left, right = pd.read_parquet(a / name), pd.read_parquet(b / name)
        try:
            pd.testing.assert_frame_equal(left, right, check_dtype=True)
            print(f"{name}: same ({len(left):,} rows)")
        except AssertionError as exc:
            same = False
            print(f"{name}: DIFFERS ({len(left):,} vs {len(right):,} rows): {str(exc).splitlines()[0:4]}")
    return same


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    snap = commands.add_parser("snapshot")
    snap.add_argument("corpus", type=Path)
    snap.add_argument("out", type=Path)
    snap.add_argument("--jobs", type=int, default=2)
    snap.add_argument("--views", action="store_true")
    both = commands.add_parser("compare")
    both.add_argument("a", type=Path)
    both.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.corpus, args.out, jobs=args.jobs, views=args.views)
    else:
        raise SystemExit(0 if compare(args.a, args.b) else 1)


if __name__ == "__main__":
    main()
