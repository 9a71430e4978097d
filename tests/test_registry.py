"""The registry of corpus-level tables: declarations checked, run in threads or in sequence alike, reused by views,
and a new table added with one declaration reaches the build, the store, exports and filtered views."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

from analysis import registry
from analysis.build import build, build_tables
from analysis.query import Filters, subset
from analysis.registry import CorpusTable, run
from analysis.runtime import bounded_thread_map, thread_map

ROOT = Path(__file__).resolve().parent.parent


def test_a_need_nothing_makes_or_a_name_made_twice_is_refused():
    with pytest.raises(ValueError, match="needs \\['b'\\]"):
        run({"a": 1}, tables=(CorpusTable(("c",), ("b",), lambda b: b),))
    with pytest.raises(ValueError, match="already given or made"):
        run({"a": 1}, tables=(CorpusTable(("a",), (), lambda: 2),))
    made = run({"a": 1}, tables=(CorpusTable(("b", "c"), ("a",), lambda a: (a + 1, a + 2)),
                                 CorpusTable(("d",), ("b", "c"), lambda b, c: b * c)))
    assert made == {"a": 1, "b": 2, "c": 3, "d": 6}


def _pair_that_must_meet(timeout: float) -> tuple[CorpusTable, ...]:
    """Two tables that each wait for the other to be running at the same time, and one that needs both."""
    meeting = threading.Barrier(2, timeout=timeout)

    def make(name):
        return lambda a: meeting.wait() is not None and name

    return (CorpusTable(("x",), ("a",), make("x")), CorpusTable(("y",), ("a",), make("y")),
            CorpusTable(("z",), ("x", "y"), lambda x, y: x + y))


def test_tables_whose_needs_are_ready_run_side_by_side():
    assert run({"a": 0}, tables=_pair_that_must_meet(10), workers=2)["z"] == "xy"
    with pytest.raises(threading.BrokenBarrierError):  # in sequence, the first waits for the second in vain
        run({"a": 0}, tables=_pair_that_must_meet(0.5), workers=1)


def test_a_table_whose_needs_are_the_builds_own_objects_is_reused_not_made_again():
    calls = []
    tables = (CorpusTable(("b",), ("a",), lambda a: calls.append(a) or len(a)),)
    built_a = [1, 2, 3]
    same_as = {"a": built_a, "b": "the build's b"}
    assert run({"a": built_a}, tables=tables, same_as=same_as)["b"] == "the build's b" and calls == []
    assert run({"a": [1, 2, 3]}, tables=tables, same_as=same_as)["b"] == 3 and len(calls) == 1


def test_the_declared_tables_are_the_same_in_threads_and_in_sequence(seed_tables):
    parts = seed_tables.parts
    given = {"articles": parts.documents, "sentences": parts.sentences, "raw_mentions": parts.raw_mentions,
             "article_figures": parts.figures, "figures_file": None, "article_positions": parts.positions,
             "article_events": parts.events,
             "overrides": None, "topics_file": None, "previous_rewrites": None}
    alone = run(given, tables=registry.TABLES, workers=1)
    side_by_side = run(given, tables=registry.TABLES, workers=2)
    for table in registry.TABLES:
        for name in table.makes:
            if isinstance(alone[name], pd.DataFrame):
                pd.testing.assert_frame_equal(alone[name], side_by_side[name], obj=name)


def _outlet_articles(articles: pd.DataFrame) -> pd.DataFrame:
    return articles.groupby("outlet", as_index=False).agg(articles=("document", "size"))


def test_a_new_table_is_one_declaration_and_reaches_build_store_exports_and_views(tmp_path, monkeypatch):
    monkeypatch.setattr(registry, "TABLES", registry.TABLES + (
        CorpusTable(("outlet_articles",), ("articles",), _outlet_articles),))
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus, ignore=shutil.ignore_patterns(".*"))
    tables = build_tables(corpus)
    assert int(tables.extra["outlet_articles"]["articles"].sum()) == 5
    assert "outlet_articles" in tables.exported()
    stored = build(corpus, store=tmp_path / "store").tables
    pd.testing.assert_frame_equal(stored.extra["outlet_articles"], tables.extra["outlet_articles"])
    outlet = tables.documents.loc[tables.documents["outlet"] != "", "outlet"].iloc[0]
    view = subset(stored, Filters(outlets=(outlet,)))
    expected = int((tables.documents["outlet"] == outlet).sum())
    assert view.extra["outlet_articles"]["articles"].tolist() == [expected]


def test_bounded_thread_map_keeps_order_and_holds_at_most_its_workers_results():
    live, most = [0], [0]
    lock = threading.Lock()

    def make(i):
        with lock:
            live[0] += 1
            most[0] = max(most[0], live[0])
        return i

    results = []
    for value in bounded_thread_map(make, range(20), workers=3):
        results.append(value)
        with lock:
            live[0] -= 1
    assert results == list(range(20)) and most[0] <= 4  # the one being consumed, plus three computed ahead


def test_thread_map_raises_a_tasks_error():
    def fail(i):
        if i == 3:
            raise KeyError(i)
        return i

    with pytest.raises(KeyError):
        thread_map(fail, range(6), workers=2)
    assert thread_map(lambda i: i * i, range(5), workers=2) == [0, 1, 4, 9, 16]
