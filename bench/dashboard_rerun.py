"""Server-side rerun time, payload and memory of every dashboard view, measured with Streamlit's AppTest.

Usage: python bench/dashboard_rerun.py [CORPUS] [REPEATS]   (default seeds/, 5)

Build the corpus's store first (`python -m analysis build CORPUS`); this script then measures:
- first render: a new process's first AppTest run of the Overview, reading the built store (the dashboard's
  imports included, Streamlit's own not);
- per view: the first render of a new session, and p50 / max of reruns after sidebar filter changes;
- the largest chart payload (Vega-Lite spec plus inline data) and the whole page's payload per view;
- peak resident memory of this process (the dashboard server's share) after visiting every view.
AppTest adds its own overhead to each run, so these are upper bounds of what a server spends.
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

VIEWS = ["overview", "sources", "figures", "positions", "entities", "reader"]


def steps(at: AppTest) -> list[tuple[str, str, object]]:
    """Sidebar changes an analyst would make, from what the corpus offers; the last ones clear them again."""
    outlets = [str(o) for o in at.multiselect(key="f.outlets").options]
    return [
        ("f.outlets", "multiselect", outlets[:1]),
        ("f.q", "text_input", "troops"),
        ("f.types", "multiselect", ["PERSON", "GPE"]),
        ("f.q", "text_input", ""),
        ("f.outlets", "multiselect", []),
        ("f.types", "multiselect", []),
    ]


def payloads(at: AppTest) -> tuple[int, int]:
    """(largest chart, whole page) in bytes of the protobuf messages the browser would receive."""
    nodes, stack, largest, total = [], [at._tree], 0, 0
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
        nodes.append(node)
    for node in nodes:
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ByteSize") or getattr(node, "type", "") in ("main", "sidebar"):
            continue
        size = proto.ByteSize()
        if getattr(node, "type", "") == "vega_lite_chart":
            largest = max(largest, size)
        if not getattr(node, "children", None):
            total += size
    return largest, total


def _peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    corpus = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "seeds")
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    os.environ["BRIEFING_CORPUS"] = corpus
    app = str(ROOT / "dashboard" / "app.py")
    start = time.perf_counter()
    first = AppTest.from_file(app, default_timeout=3600)
    first.run()
    cold = time.perf_counter() - start
    if first.exception:
        raise SystemExit(f"overview raised: {first.exception[0].message}")
    articles = first.metric[0].value
    print(f"corpus {corpus}: {articles} articles")
    print(f"first render from the store (new process, dashboard imports included): {cold:.2f} s   target < 3 s")
    print(f"peak memory after the first render: {_peak_mb():,.0f} MB")
    print(f"{'view':<10} {'first ms':>9} {'p50 ms':>8} {'max ms':>8} {'chart KB':>9} {'page KB':>8}   "
          f"(rerun after a filter change, {repeats} x 6 changes; targets p50 < 150 ms, chart < 1,024 KB)")
    worst_p50 = worst_chart = 0.0
    for view in VIEWS:
        at = AppTest.from_file(app, default_timeout=600)
        at.switch_page(f"views/{view}.py")
        begin = time.perf_counter()
        at.run()
        first_ms = (time.perf_counter() - begin) * 1000
        chart, page = payloads(at)
        times = []
        for _ in range(repeats):
            for key, kind, value in steps(at):
                getattr(at, kind)(key=key).set_value(value)
                begin = time.perf_counter()
                at.run()
                times.append((time.perf_counter() - begin) * 1000)
                if at.exception:
                    raise SystemExit(f"{view} raised: {at.exception[0].message}")
                chart = max(chart, payloads(at)[0])
        p50 = statistics.median(times)
        worst_p50, worst_chart = max(worst_p50, p50), max(worst_chart, chart)
        print(f"{view:<10} {first_ms:>9.0f} {p50:>8.0f} {max(times):>8.0f} {chart / 1024:>9.0f} {page / 1024:>8.0f} "
              f"{_peak_mb():>8,.0f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"worst p50 {worst_p50:.0f} ms; largest chart {worst_chart / 1024:.0f} KB; "
          f"peak memory of this process {peak / 2**30:.2f} GB (target < 1 GB)")


if __name__ == "__main__":
    main()
