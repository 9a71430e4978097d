"""Performance machinery kept out of domain code: threads for independent work, and handing memory back."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def thread_map(fn: Callable[..., T], items: Iterable, *, workers: int = 2) -> list[T]:
    """[fn(item) for item in items], in threads when workers > 1; results in the order of items."""
    items = list(items)
    if workers <= 1 or len(items) <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


def bounded_thread_map(fn: Callable[..., T], items: Iterable, *, workers: int = 2) -> Iterator[T]:
    """fn(item) for each item, in order, computed `workers` at a time in threads: at most `workers` results are
    computed ahead of the one being consumed (for results too big to hold all of, such as similarity blocks)."""
    items = iter(items)
    if workers <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending = [pool.submit(fn, item) for item in itertools.islice(items, workers)]
        while pending:
            result = pending.pop(0).result()
            following = next(items, _END)
            if following is not _END:
                pending.append(pool.submit(fn, following))
            yield result


_END = object()


class Background:
    """A function started in a thread now and waited for when its result is asked for (or never, if not)."""

    def __init__(self, fn: Callable[[], T]):
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.future = self.pool.submit(fn)
        self.pool.shutdown(wait=False)

    def result(self) -> T:
        return self.future.result()

    def settle(self) -> None:
        """Wait for the function to end, whatever it returned or raised (before what it reads may go away)."""
        try:
            self.future.result()
        except BaseException:  # the caller is already failing; this function's own error adds nothing
            pass


def use_system_allocator() -> None:
    """Make Arrow (which holds pandas's text columns) allocate with the system allocator, which hands freed memory
    back to the system; its default (mimalloc) keeps it, and a long-running server would grow with every view."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def _find_malloc_trim():
    try:
        import ctypes
        import ctypes.util

        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_malloc_trim = _find_malloc_trim()


def release_memory() -> None:
    """Hand memory freed by a big computation back to the system (glibc keeps freed small blocks otherwise).
    A no-op where the C library has no malloc_trim."""
    if _malloc_trim is not None:
        _malloc_trim(0)
