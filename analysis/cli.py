"""Command line: `python -m analysis build|export CORPUS ...`, the same code path as the dashboard."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from analysis import __version__
from analysis.corpus import CorpusError, read_corpus
from analysis.export import FORMATS, write_tables
from analysis.tables import Tables, build_tables

EPILOG = """\
exit codes: 0 when at least one article was analysed (skipped files are listed on stderr),
1 when nothing usable was read, 2 for a usage error or a corpus folder that cannot be read.

examples:
  python -m analysis build seeds
  python -m analysis export seeds --out out --format xlsx
  python -m analysis brief seeds --out briefing
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Briefing Desk: analyse a folder of news articles (.txt, .md, .html, optional sources.csv).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"briefing-desk {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("corpus", metavar="CORPUS", help="folder of articles")
        sub.add_argument("--max-bytes", type=int, default=None, help="skip files larger than this (default 5 MB)")
        sub.add_argument("--model", default=None, help="spaCy model name (default: BRIEFING_MODEL or en_core_web_sm)")
        sub.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")

    build = commands.add_parser("build", help="analyse a corpus and print a summary", epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    common(build)
    build.add_argument("--store", metavar="DIR", default=None, help="also save every table as Parquet in DIR")

    export = commands.add_parser("export", help="analyse a corpus and write its tables to files", epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    common(export)
    export.add_argument("--out", metavar="DIR", required=True, help="folder to write one file per table into")
    export.add_argument("--format", choices=FORMATS, default="csv", help="file format (default csv)")
    brief = commands.add_parser("brief", help="analyse a corpus and write the briefing pack (ZIP, summary HTML and PDF)",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    common(brief)
    brief.add_argument("--out", metavar="DIR", required=True, help="folder to write the pack into")
    return parser


def _report(tables: Tables, *, quiet: bool) -> None:
    for row in tables.skipped.itertuples(index=False):
        print(f"skipped {row.document}: {row.reason}", file=sys.stderr)
    for warning in tables.warnings:
        print(f"warning {warning}", file=sys.stderr)
    if tables.model_warning:
        print(f"warning {tables.model_warning}", file=sys.stderr)
    if not quiet:
        docs = tables.documents
        print(
            f"{len(docs)} articles analysed ({int(docs['words'].sum()):,} words, {len(tables.sentences):,} sentences), "
            f"{len(tables.skipped)} skipped; corpus {tables.corpus_hash}; model {tables.model}"
        )


def _save_store(tables: Tables, store: Path) -> None:
    """Write every table as Parquet next to the store, then swap it in whole."""
    store.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=store.parent, prefix=f".{store.name}."))
    try:
        for name, frame in tables.exported().items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        old = store.with_name(f".{store.name}.old")
        if store.exists():
            os.replace(store, old)
        os.replace(staging, store)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        corpus = read_corpus(args.corpus, max_bytes=args.max_bytes)
    except CorpusError as exc:
        print(f"error {exc}", file=sys.stderr)
        return 2
    tables = build_tables(corpus, model=args.model)
    _report(tables, quiet=args.quiet)
    if tables.documents.empty:
        print(f"error {args.corpus}: no usable article was read", file=sys.stderr)
        return 1
    if args.command == "build" and args.store:
        _save_store(tables, Path(args.store))
        if not args.quiet:
            print(f"tables saved as Parquet in {args.store}")
    if args.command == "export":
        for path in write_tables(tables.exported(), args.out, args.format):
            if not args.quiet:
                print(f"wrote {path}")
    if args.command == "brief":
        for path in _write_brief(tables, Path(args.out)):
            if not args.quiet:
                print(f"wrote {path}")
    return 0


def _write_brief(tables: Tables, out: Path) -> list[Path]:
    """The pack as a ZIP, plus its summary HTML and PDF next to it for a quick look."""
    import zipfile

    from analysis.briefing import briefing_pack, dated_name

    out.mkdir(parents=True, exist_ok=True)
    data = briefing_pack(tables)
    target = out / dated_name("briefing", "zip")
    target.write_bytes(data)
    written = [target]
    with zipfile.ZipFile(target) as archive:
        for name in archive.namelist():
            if name.startswith("summary_"):
                (out / name).write_bytes(archive.read(name))
                written.append(out / name)
    return written
