"""The corpus-level tables: each declares the tables it needs and the function that makes it.

The full build, the incremental build and every filtered view run these declarations (`run`), so adding a table
is one `CorpusTable(...)` line. Names a table may need: the per-article inputs (`articles`, `sentences`,
`raw_mentions`, `article_positions`, `article_events`), `overrides` (positions_overrides.csv as read),
`topics_file` (the corpus's topics.yaml as read), `article_figures` and `figures_file` (its figures.yaml),
`previous_rewrites` (an earlier build's rewrite search, or None), and any table declared here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from analysis.coverage import coverage_table, independent_texts, support_table
from analysis.entities import cooccurrence_table, entity_table, resolve_frame
from analysis.figures import corpus_figures, discrepancies_table
from analysis.positions import corpus_positions, read_overrides, summarise
from analysis.rewrites import PreviousSearch, find_rewrites
from analysis.tables import SKIPPED_COLUMNS, Parts, Tables


@dataclass(frozen=True)
class CorpusTable:
    """One corpus-level table (or several made by one function): what it needs and how it is made."""

    makes: tuple[str, ...]  # the names it makes; a function making several returns a tuple in this order
    needs: tuple[str, ...]  # passed to make as positional arguments, in this order
    make: Callable[..., Any]
    in_views: bool = True  # False: a filtered view narrows the build's table instead of making it again


def _rewrites(articles, sentences, previous_rewrites):
    return find_rewrites(articles, sentences, previous=previous_rewrites)


def _with_originals(articles: pd.DataFrame, duplicates: pd.DataFrame) -> pd.DataFrame:
    """The articles with `original`: the text each rewrites (itself when it rewrites none)."""
    roots = independent_texts(articles, duplicates)
    return articles.assign(original=articles["document"].map(roots))


def _support(documents, figures, positions):
    return support_table(documents, figures, positions, dict(zip(documents["document"], documents["original"])))


def _cooccurrence(mentions, sentences):
    return cooccurrence_table(mentions, sentences_total=len(sentences))


def _events_in_order(article_events: pd.DataFrame) -> pd.DataFrame:
    # Per-article parts arrive in any order (chunks, stores): the corpus-level order is decided here.
    return article_events.sort_values(["date", "document", "sentence"], ignore_index=True, kind="stable")


# In the order they are started: the rewrite search first, as it takes longest (and, run alone, its peak memory
# is not stacked on the others').
TABLES = (
    CorpusTable(("duplicates", "duplicate_passages", "rewrite_index"), ("articles", "sentences", "previous_rewrites"),
                _rewrites, in_views=False),
    CorpusTable(("override_rows", "override_warnings"), ("overrides",), read_overrides, in_views=False),
    CorpusTable(("mentions",), ("raw_mentions",), resolve_frame, in_views=False),
    CorpusTable(("positions",), ("article_positions", "topics_file", "override_rows"), corpus_positions,
                in_views=False),
    CorpusTable(("documents",), ("articles", "duplicates"), _with_originals, in_views=False),
    CorpusTable(("figures", "figures_warnings"), ("article_figures", "sentences", "figures_file"), corpus_figures,
                in_views=False),
    CorpusTable(("support",), ("documents", "figures", "positions"), _support),
    CorpusTable(("entities",), ("mentions", "articles"), entity_table),
    CorpusTable(("cooccurrence",), ("mentions", "sentences"), _cooccurrence),
    CorpusTable(("coverage",), ("articles", "mentions", "figures", "positions"), coverage_table),
    CorpusTable(("discrepancies",), ("figures",), discrepancies_table),
    CorpusTable(("position_summary",), ("positions", "override_rows"), summarise),
    CorpusTable(("events",), ("article_events",), _events_in_order, in_views=False),
)


def _check(tables: tuple[CorpusTable, ...], given: set[str]) -> None:
    """Every need is given or made by an earlier-declared table, and no name is made twice."""
    known = set(given)
    for table in tables:
        missing = [need for need in table.needs if need not in known]
        if missing:
            raise ValueError(f"{table.makes}: needs {missing}, which nothing given or declared before it makes")
        twice = known.intersection(table.makes)
        if twice:
            raise ValueError(f"{table.makes}: {sorted(twice)} is already given or made")
        known.update(table.makes)


def _results(table: CorpusTable, value) -> dict[str, Any]:
    return dict(zip(table.makes, value if len(table.makes) > 1 else (value,)))


def run(given: dict[str, Any], *, tables: tuple[CorpusTable, ...], workers: int = 1,
        same_as: dict[str, Any] | None = None) -> dict[str, Any]:
    """given plus every table of tables made from it. With workers > 1, tables whose needs are ready run side by
    side in threads (their work is mostly outside the interpreter lock), started in declaration order.

    same_as, the inputs and tables of a build these are a view of: a table whose needs are all the very objects
    it was made from there is taken from there instead of being made again."""
    _check(tables, set(given))
    done = dict(given)
    if workers <= 1:
        for table in tables:  # declaration order is an order in which every need is ready (checked above)
            if not _reuse(table, done, same_as):
                done.update(_results(table, table.make(*(done[n] for n in table.needs))))
        return done
    pending, running = list(tables), {}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while pending or running:
            ready = [t for t in pending if all(n in done for n in t.needs)]
            if not ready and not running:
                raise RuntimeError(f"no declared table can be made: {[t.makes for t in pending]}")
            for table in ready:
                pending.remove(table)
                if not _reuse(table, done, same_as):
                    running[pool.submit(table.make, *(done[n] for n in table.needs))] = table
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                done.update(_results(running.pop(future), future.result()))
    return done


def _reuse(table: CorpusTable, done: dict[str, Any], same_as: dict[str, Any] | None) -> bool:
    """Take table's results from same_as (into done) when its needs are all same_as's own objects."""
    if same_as is None or not all(name in same_as for name in table.makes):
        return False
    if not all(n in same_as and done[n] is same_as[n] for n in table.needs):
        return False
    done.update({name: same_as[name] for name in table.makes})
    return True


# What `run` makes that is no table of a corpus: kept out of `Tables.extra`.
NOT_TABLES = ("override_warnings", "figures_warnings", "rewrite_index")


def into_tables(made: dict[str, Any], tables: tuple[CorpusTable, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What tables made, split into `Tables` fields and extra tables (declared names with no field)."""
    fields = {f.name for f in dataclasses.fields(Tables)}
    names = [name for table in tables for name in table.makes if name not in NOT_TABLES]
    return ({name: made[name] for name in names if name in fields},
            {name: made[name] for name in names if name not in fields})


def assemble(parts: Parts, *, model_name: str, model_warning: str | None = None, skipped=(), warnings=(),
             overrides: bytes | None = None, topics: bytes | None = None, figures_file: bytes | None = None,
             corpus_hash: str = "",
             previous_rewrites: PreviousSearch | None = None) -> Tables:
    """Every table of a corpus from its articles' parts: the declared corpus-level tables made from them.

    previous_rewrites, an earlier build's rewrite search (same model and analysis version), lets the search compare
    only the articles that changed since; the tables are the same without it."""
    given = {"articles": parts.documents, "sentences": parts.sentences, "raw_mentions": parts.raw_mentions,
             "article_figures": parts.figures, "figures_file": figures_file, "article_positions": parts.positions,
             "article_events": parts.events,
             "overrides": overrides, "topics_file": topics, "previous_rewrites": previous_rewrites}
    # Side by side only when the rewrite search compares changed articles alone: a search from scratch holds the
    # whole corpus's similarities, and the other tables' temporaries on top would raise a full build's peak.
    made = run(given, tables=TABLES, workers=2 if previous_rewrites is not None else 1)
    fields, extra = into_tables(made, TABLES)
    return Tables(
        **fields, extra=extra,
        sentences=parts.sentences, lines=parts.lines,
        skipped=pd.DataFrame([(s.document, s.reason) for s in skipped], columns=SKIPPED_COLUMNS),
        warnings=list(warnings) + made["override_warnings"] + made["figures_warnings"], corpus_hash=corpus_hash,
        model=model_name,
        model_warning=model_warning, built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        overrides=overrides, topics=topics, figures_file=figures_file, parts=parts, rewrite_index=made["rewrite_index"],
    )
