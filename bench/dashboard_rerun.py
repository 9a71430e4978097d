"""Server-side rerun time of every dashboard view after a filter change, measured with Streamlit's AppTest.

Usage: python bench/dashboard_rerun.py [CORPUS] [REPEATS]   (default seeds/, 5)
Prints, per view, the first render of a new session and p50 / max of reruns after filter changes; the cold
first render, which analyses the corpus, is reported separately. AppTest adds its own overhead to each run.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

VIEWS = ["overview", "sources", "figures", "positions", "entities", "reader"]
# Each step changes the sidebar the way an analyst would; the last one clears everything again.
STEPS = [
    ("f.outlets", "multiselect", ["WTX News"]),
    ("f.q", "text_input", "troops"),
    ("f.types", "multiselect", ["PERSON", "GPE"]),
    ("f.q", "text_input", ""),
    ("f.outlets", "multiselect", []),
    ("f.types", "multiselect", []),
]


def main() -> None:
    corpus = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "seeds")
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    os.environ["BRIEFING_CORPUS"] = corpus
    app = str(ROOT / "dashboard" / "app.py")
    start = time.perf_counter()
    AppTest.from_file(app, default_timeout=3600).run()
    print(f"cold first render (analysis included): {time.perf_counter() - start:.2f} s")
    print(f"{'view':<10} {'first ms':>9} {'p50 ms':>8} {'max ms':>8}   (server-side rerun after a filter change, "
          f"{repeats} x {len(STEPS)} changes)")
    for view in VIEWS:
        at = AppTest.from_file(app, default_timeout=600)
        at.switch_page(f"views/{view}.py")
        begin = time.perf_counter()
        at.run()
        first = (time.perf_counter() - begin) * 1000
        times = []
        for _ in range(repeats):
            for key, kind, value in STEPS:
                getattr(at, kind)(key=key).set_value(value)
                begin = time.perf_counter()
                at.run()
                times.append((time.perf_counter() - begin) * 1000)
                if at.exception:
                    raise SystemExit(f"{view} raised: {at.exception[0].message}")
        print(f"{view:<10} {first:>9.0f} {statistics.median(times):>8.0f} {max(times):>8.0f}")


if __name__ == "__main__":
    main()
