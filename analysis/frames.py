"""Lookups over large string columns, done in Arrow: a dictionary map or a sort of millions of Python strings
takes seconds, these take milliseconds."""

from __future__ import annotations

import numpy as np
import pandas as pd


def positions_in(values: pd.Series, names) -> np.ndarray:
    """Position of each value among names (Arrow's hash lookup), len(names) for values that are not there."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values, type=pa.large_string())
    found = pc.index_in(array, value_set=pa.array(list(names), type=pa.large_string()))
    return found.fill_null(len(names)).to_numpy(zero_copy_only=False).astype(np.int64)


def name_ranks(names) -> np.ndarray:
    """Each name's place in sorted order: comparing ranks compares the names, as integers."""
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.argsort(np.asarray(names, dtype=object), kind="stable")] = np.arange(len(names))
    return rank


def word_counts(texts: pd.Series) -> np.ndarray:
    """Words per text as `str.split()` counts them (runs of whitespace separate words), computed in Arrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    trimmed = pc.utf8_trim_whitespace(pa.array(texts, type=pa.large_string()))
    counts = pc.list_value_length(pc.utf8_split_whitespace(trimmed)).to_numpy(zero_copy_only=False)
    return np.where(pc.utf8_length(trimmed).to_numpy(zero_copy_only=False) == 0, 0, counts)


def distinct_counts(groups: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """For groups 0..count-1: how many distinct values each one's rows hold (groups and values as non-negative
    integer codes, one per row), counted by hashing pairs rather than a pandas group per group."""
    width = int(values.max(initial=0)) + 1
    pairs = pd.unique(groups.astype(np.int64) * width + values.astype(np.int64))
    return np.bincount(pairs // width, minlength=count)


def interleave(base: pd.DataFrame, base_keys: np.ndarray, extra: pd.DataFrame, extra_keys: np.ndarray,
               keep: np.ndarray | None = None) -> pd.DataFrame | None:
    """base's rows (those where keep) and extra's rows in one frame in key order, made by cutting base into slices
    around extra's runs instead of sorting: millions of base rows are neither filtered nor sorted again.

    Keys are non-negative integers, one per row; extra is in key order already, and a run of extra goes before
    base's rows of the same key. Returns None when base_keys decrease somewhere among the kept rows: the caller then
    sorts the general way."""
    keep = np.ones(len(base), dtype=bool) if keep is None else keep
    kept_keys = np.where(keep, base_keys, -1)
    filled = np.maximum.accumulate(kept_keys) if len(base) else kept_keys
    if (kept_keys[keep] != filled[keep]).any():
        return None
    runs = np.flatnonzero(np.r_[True, extra_keys[1:] != extra_keys[:-1]]) if len(extra) else np.zeros(0, dtype=np.int64)
    run_ends = np.r_[runs[1:], len(extra)]
    inserted_at = np.searchsorted(filled, extra_keys[runs], side="left")
    edges = np.flatnonzero(np.diff(np.r_[False, keep, False].astype(np.int8)))  # starts and ends of kept runs
    cuts = np.unique(np.r_[0, len(base), edges, inserted_at])
    pieces, run = [], 0
    for start, end in zip(cuts[:-1].tolist() + [len(base)], cuts[1:].tolist() + [len(base)]):
        while run < len(runs) and inserted_at[run] == start:
            pieces.append(extra.iloc[runs[run] : run_ends[run]])
            run += 1
        if end > start and keep[start]:
            pieces.append(base.iloc[start:end])
    pieces = [piece for piece in pieces if len(piece)]
    if not pieces:
        return base.iloc[:0].reset_index(drop=True)
    return pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0].reset_index(drop=True)
