"""Throughput of reading + cleaning + sentence splitting on a synthetic corpus built from seeds/.

Usage: python bench/clean_and_sentences.py [N_ARTICLES]   (default 500)
Prints words/s for each stage; no pass/fail, the figures go into issue notes and bench/RESULTS.md.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import read_corpus  # noqa: E402
from analysis.nlp import load_pipeline, split_sentences  # noqa: E402
from bench.synthetic import write_corpus  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(folder, count)
        start = time.perf_counter()
        corpus = read_corpus(folder)
        read_seconds = time.perf_counter() - start
        words = sum(d.words for d in corpus.documents)
        nlp = load_pipeline().nlp
        start = time.perf_counter()
        sentences = sum(len(s) for s in split_sentences((d.body for d in corpus.documents), nlp=nlp))
        split_seconds = time.perf_counter() - start
    print(f"articles            {len(corpus.documents):>10,}")
    print(f"body words          {words:>10,}")
    print(f"read + clean        {words / read_seconds:>10,.0f} words/s  ({read_seconds:.1f} s)")
    print(f"sentence split      {words / split_seconds:>10,.0f} words/s  "
          f"({split_seconds:.1f} s, {sentences:,} sentences)")


if __name__ == "__main__":
    main()
