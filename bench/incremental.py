"""Add one article to a built store, end to end, and remove it again.

Usage: python bench/incremental.py FOLDER STORE
       (build both first: python bench/build.py --folder FOLDER --store STORE)

Prints the time of `python -m analysis build FOLDER --store STORE` after one new article file appears (a new
process: interpreter start, imports, model load, reading the changed folder, analysing the article, rebuilding
the corpus-level tables, writing the new generation), the same through `analysis.build.build` in a warm process, and
the time to remove it again.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.build import build  # noqa: E402
from analysis.nlp import load_pipeline  # noqa: E402
from analysis.store import Store  # noqa: E402
from bench.memory import run_measured  # noqa: E402
from bench.synthetic import synthetic_texts  # noqa: E402


def main() -> None:
    folder, store_dir = Path(sys.argv[1]), Path(sys.argv[2])
    store = Store(store_dir)
    before = len(store.files())
    texts = synthetic_texts(2, seed=int(time.time()))
    new = folder / "zz_incremental_bench.txt"
    new.write_text(texts[0], "utf-8")
    try:
        code, cold, peak = run_measured([sys.executable, "-m", "analysis", "build", str(folder), "--store",
                                         str(store_dir), "-q"], cwd=ROOT)
        if code != 0:
            raise SystemExit(f"build failed with exit code {code}")
        load_pipeline()
        new.write_text(texts[1], "utf-8")
        started = time.perf_counter()
        warm = build(folder, store=store_dir)
        warm_seconds = time.perf_counter() - started
    finally:
        new.unlink(missing_ok=True)
    started = time.perf_counter()
    removed = build(folder, store=store_dir)
    remove_seconds = time.perf_counter() - started
    print(f"store of {before:,} articles")
    print(f"{'measure':<62} {'value':>10}   target")
    print(f"{'add one article: python -m analysis build, new process':<62} {cold:>8.2f} s   < 5 s")
    print(f"{'  peak memory of that process':<62} {peak / 2**30:>7.2f} GB")
    print(f"{'change it: build() in a warm process':<62} {warm_seconds:>8.2f} s   "
          f"({warm.analysed} analysed, {warm.reused:,} reused)")
    print(f"{'remove it: build() in a warm process':<62} {remove_seconds:>8.2f} s   "
          f"({removed.removed} removed)")


if __name__ == "__main__":
    main()
