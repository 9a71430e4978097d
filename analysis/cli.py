"""Command line: `python -m analysis build|export CORPUS ...`, the same code path as the dashboard."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from analysis import __version__
from analysis.build import BuildOptions, build, build_tables
from analysis.corpus import CorpusError
from analysis.engine import ENGINES, terminal_progress
from analysis.export import FORMATS, write_tables
from analysis.store import STORE_DIRNAME, StoreError, default_store
from analysis.tables import Tables

EPILOG = """\
exit codes: 0 when at least one article was analysed (skipped files are listed on stderr),
1 when nothing usable was read, 2 for a usage error or a corpus folder that cannot be read.

examples:
  python -m analysis build seeds                      # analyse into seeds/.briefing-store; again: only what changed
  python -m analysis build big-corpus --jobs 2        # two processes
  python -m analysis build big-corpus --engine dask --scheduler tcp://10.0.0.5:8786
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
        sub.add_argument("--store", metavar="DIR", default=None,
                         help=f"analysis store to update and read (default: CORPUS/{STORE_DIRNAME}, or a per-user "
                              "cache folder when CORPUS is not writable)")
        sub.add_argument("--no-store", action="store_true", help="analyse in memory only; read and write no store")
        sub.add_argument("--full", action="store_true", help="re-analyse every article, ignoring stored results")
        sub.add_argument("-j", "--jobs", type=int, default=1,
                         help="processes analysing articles in parallel (default 1; about one per CPU core helps)")
        sub.add_argument("--engine", choices=ENGINES, default="local",
                         help="local processes, or a Dask cluster (needs --scheduler; pip install '.[cluster]')")
        sub.add_argument("--scheduler", metavar="ADDRESS", default=None,
                         help="Dask scheduler address for --engine dask, e.g. tcp://10.0.0.5:8786")

    build = commands.add_parser("build", help="analyse a corpus into its store and print a summary", epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    common(build)

    export = commands.add_parser("export", help="analyse a corpus and write its tables to files", epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    common(export)
    export.add_argument("--out", metavar="DIR", required=True, help="folder to write one file per table into")
    export.add_argument("--format", choices=FORMATS, default="csv", help="file format (default csv)")
    brief = commands.add_parser("brief",
                                help="analyse a corpus and write the briefing pack (ZIP, summary HTML and PDF)",
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.ERROR if args.quiet else logging.WARNING, format="%(levelname)s %(message)s")
    if args.jobs < 1:
        print("error --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.engine == "dask" and not args.scheduler:
        print("error --engine dask needs --scheduler ADDRESS", file=sys.stderr)
        return 2
    options = BuildOptions(jobs=args.jobs, engine=args.engine, scheduler=args.scheduler, model=args.model,
                           max_bytes=args.max_bytes, full=args.full)
    progress = None if args.quiet else terminal_progress()
    store = None if args.no_store else Path(args.store) if args.store else default_store(args.corpus)
    try:
        if store is None:
            tables, result = build_tables(args.corpus, options=options, progress=progress), None
        else:
            result = build(args.corpus, store=store, options=options, progress=progress)
            tables = result.tables
    except (CorpusError, StoreError) as exc:
        print(f"error {exc}", file=sys.stderr)
        return 2
    _report(tables, quiet=args.quiet)
    if tables.documents.empty:
        print(f"error {args.corpus}: no usable article was read", file=sys.stderr)
        return 1
    if result is not None and not args.quiet:
        print(f"store {store}: {result.analysed} articles analysed, {result.reused} reused, {result.removed} removed "
              f"in {result.seconds:.1f} s")
    _write_outputs(args, tables)
    return 0


def _write_outputs(args: argparse.Namespace, tables: Tables) -> None:
    """The export's table files or the briefing pack, as the command asks."""
    if args.command == "export":
        written = write_tables(tables.exported(), args.out, args.format)
    elif args.command == "brief":
        written = _write_brief(tables, Path(args.out))
    else:
        written = []
    for path in written:
        if not args.quiet:
            print(f"wrote {path}")


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
