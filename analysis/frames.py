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
