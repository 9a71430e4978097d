"""Run the per-article analysis over many articles: in this process, in N local processes, or on a Dask cluster.

The unit of work is always `analysis.articles.analyse_documents` over a chunk of articles; every engine returns
the same `Parts`, in the order of the articles given, so the tables do not depend on how the work was split.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

from analysis.articles import analyse_documents, combined
from analysis.corpus import Document
from analysis.tables import Parts

ENGINES = ("local", "dask")
# Articles per unit of work: big enough to amortise nlp.pipe batching and process hand-over, small enough that
# a progress bar moves and N workers stay busy until the end.
MAX_CHUNK = 128
MIN_CHUNK = 8


@dataclass(frozen=True)
class Progress:
    """What a progress callback receives after each finished chunk."""

    articles: int
    total_articles: int
    words: int
    total_words: int
    seconds: float

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        rate = self.words_per_second
        return (self.total_words - self.words) / rate if rate > 0 else None


ProgressCallback = Callable[[Progress], None]


def chunked(docs: Sequence[Document], *, workers: int, size: int | None = None) -> list[list[Document]]:
    """Split articles into chunks of size, or else shrinking ones: each a share of what is left, MIN_CHUNK..MAX_CHUNK
    long, so the last chunks are small and no worker waits long for another to finish."""
    if size:
        return [list(docs[i : i + size]) for i in range(0, len(docs), size)]
    chunks, start = [], 0
    while start < len(docs):
        left = len(docs) - start
        step = max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(left / (2 * max(1, workers)))))
        chunks.append(list(docs[start : start + step]))
        start += step
    return chunks


def _analyse_chunk(docs: list[Document], model: str | None) -> Parts:
    # Runs in a worker: the pipeline is loaded once per process by load_pipeline's cache.
    return analyse_documents(docs, model=model)


def run_chunks(
    docs: Sequence[Document],
    *,
    jobs: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    model: str | None = None,
    progress: ProgressCallback | None = None,
    chunk_size: int | None = None,
) -> Iterator[tuple[list[Document], Parts]]:
    """(chunk, its Parts) for every chunk of docs, in completion order, reporting progress after each."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    chunks = chunked(docs, workers=jobs, size=chunk_size)
    total_words = sum(d.words for d in docs)
    started = time.perf_counter()
    done_articles = done_words = 0

    def report(chunk: list[Document]) -> None:
        nonlocal done_articles, done_words
        done_articles += len(chunk)
        done_words += sum(d.words for d in chunk)
        if progress is not None:
            progress(Progress(done_articles, len(docs), done_words, total_words, time.perf_counter() - started))

    if engine == "dask":
        yield from _run_dask(chunks, scheduler=scheduler, model=model, report=report)
    elif jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            parts = analyse_documents(chunk, model=model)
            report(chunk)
            yield chunk, parts
    else:
        # spawn, not fork: the dashboard and dask run threads, and a forked copy of a locked lock never wakes.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = {pool.submit(_analyse_chunk, chunk, model): chunk for chunk in chunks}
            for future in as_completed(futures):
                chunk = futures[future]
                parts = future.result()
                report(chunk)
                yield chunk, parts


def _run_dask(chunks, *, scheduler: str | None, model: str | None, report) -> Iterator[tuple[list[Document], Parts]]:
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("the dask engine needs `pip install 'briefing-desk[cluster]'` (dask[distributed])") from exc
    if not scheduler:
        raise ValueError("--engine dask needs --scheduler ADDRESS (for example tcp://10.0.0.5:8786)")
    with Client(scheduler, set_as_default=False) as client, client.as_current():
        futures = client.map(_analyse_chunk, chunks, model=model, pure=False)
        index = {future.key: chunk for future, chunk in zip(futures, chunks)}
        for future in dask_completed(futures):
            chunk = index[future.key]
            parts = future.result()
            report(chunk)
            yield chunk, parts


def parallel_map(fn, items, *, jobs: int, min_items: int = 64) -> Iterator:
    """map(fn, items) over `jobs` processes when there are enough items to pay for starting them; in order."""
    items = list(items)
    if jobs <= 1 or len(items) < min_items:
        yield from map(fn, items)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(fn, items, chunksize=max(1, min(32, len(items) // (8 * jobs))))


def analyse_all(docs: Sequence[Document], **options) -> Parts:
    """Parts of every article, in the order given, whichever engine ran them."""
    pieces = [parts for _, parts in run_chunks(docs, **options)]
    return combined(pieces).in_order([d.document for d in docs])


def terminal_progress(stream=None) -> ProgressCallback | None:
    """A one-line progress bar (articles, words/s, ETA) when stream is a terminal, else None (quiet)."""
    stream = stream or sys.stderr
    if not hasattr(stream, "isatty") or not stream.isatty() or os.environ.get("CI"):
        return None

    def show(p: Progress) -> None:
        width = 28
        filled = int(width * p.articles / max(1, p.total_articles))
        eta = p.eta_seconds
        eta_text = f"{int(eta // 60)}:{int(eta % 60):02d}" if eta is not None else "--:--"
        stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {p.articles:,}/{p.total_articles:,} articles  "
            f"{p.words_per_second:,.0f} words/s  ETA {eta_text} "
        )
        if p.articles >= p.total_articles:
            stream.write("\n")
        stream.flush()

    return show
