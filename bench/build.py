"""Build throughput and memory against a bare spaCy pipe and a naive loop, on a synthetic corpus.

Usage: python bench/build.py [ARTICLES] [--jobs N] [--naive-sample M] [--folder DIR] [--store DIR]

1. Writes ARTICLES synthetic articles (bench/synthetic.py; default 10,000) unless --folder holds a corpus.
2. Runs `python -m analysis build --full --jobs N` on it in a subprocess: wall time, words/s, peak memory of the
   whole process tree (main process and its workers).
3. In this process, over the same cleaned article bodies: a bare `nlp.pipe` of only `ner` + `senter`
   (n_process=N, batch 16), and a naive `[nlp(t) for t in texts]` with the full pipeline over the first M articles
   (default 300: the naive loop is the slowest thing here and its rate does not depend on corpus size).
Words are whitespace-split words of the cleaned bodies, the text every pipeline reads.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import read_corpus  # noqa: E402
from analysis.engine import parallel_map  # noqa: E402
from analysis.nlp import load_pipeline  # noqa: E402
from bench.memory import run_measured  # noqa: E402
from bench.synthetic import write_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("articles", type=int, nargs="?", default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--folder", default=None, help="existing corpus folder (default: a new synthetic one)")
    parser.add_argument("--store", default=None, help="store folder (default: a temporary one)")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="bench-build-")
    folder = Path(args.folder) if args.folder else Path(scratch.name) / "corpus"
    if not args.folder:
        folder.mkdir()
        write_corpus(folder, args.articles)
    store = Path(args.store) if args.store else Path(scratch.name) / "store"

    code, build_seconds, build_peak = run_measured(
        [sys.executable, "-m", "analysis", "build", str(folder), "--store", str(store), "--full", "--jobs",
         str(args.jobs), "-q"], cwd=ROOT)
    if code != 0:
        raise SystemExit(f"build failed with exit code {code}")

    corpus = read_corpus(folder, mapper=lambda fn, items: parallel_map(fn, items, jobs=args.jobs))
    texts = [doc.body for doc in corpus.documents]
    words = sum(len(t.split()) for t in texts)
    nlp = load_pipeline().nlp

    started = time.perf_counter()
    with nlp.select_pipes(enable=["senter", "ner"]):
        for _ in nlp.pipe(texts, batch_size=16, n_process=args.jobs):
            pass
    bare_seconds = time.perf_counter() - started

    sample = texts[: args.naive_sample]
    sample_words = sum(len(t.split()) for t in sample)
    started = time.perf_counter()
    _ = [nlp(t) for t in sample]
    naive_seconds = time.perf_counter() - started

    build_rate, bare_rate, naive_rate = words / build_seconds, words / bare_seconds, sample_words / naive_seconds
    print(f"{len(texts):,} articles, {words:,} words (cleaned bodies), --jobs {args.jobs}")
    print(f"{'measure':<58} {'value':>14}   target")
    rows = [
        ("build: python -m analysis build --full, end to end", f"{build_seconds:,.1f} s", ""),
        ("build throughput (words/s, incl. reading, cleaning, store)", f"{build_rate:,.0f}", ""),
        (f"bare nlp.pipe(ner+senter, n_process={args.jobs}) words/s", f"{bare_rate:,.0f}", ""),
        (f"naive [nlp(t) for t in texts], full pipeline, {len(sample)} articles", f"{naive_rate:,.0f}", ""),
        ("build / bare pipe", f"{build_rate / bare_rate:.2f}", ">= 0.8"),
        ("build / naive loop", f"{build_rate / naive_rate:.2f}", ">= 2.5"),
        ("peak memory of the build (all processes)", f"{build_peak / 2**30:.2f} GB", "< 1.5 GB"),
    ]
    for name, value, target in rows:
        print(f"{name:<58} {value:>14}   {target}")


if __name__ == "__main__":
    main()
