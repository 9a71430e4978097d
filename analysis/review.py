"""The analyst's review, written beside the corpus: decisions on single positions (positions_overrides.csv) and
the corpus's topics (topics.yaml)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from analysis.corpus import OVERRIDES_NAME, TOPICS_NAME
from analysis.positions import DECISIONS, STANCES, read_overrides
from analysis.topics import read_topics, write_topics

FILE_COLUMNS = ["document", "sentence", "country", "topic", "stance", "decision", "note"]


class ReviewError(ValueError):
    """A decision that cannot be stored, with what is wrong."""


def can_write(folder: str | os.PathLike) -> bool:
    """Whether review files can be written beside the corpus (else they are kept for the session only)."""
    folder = Path(folder)
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def with_decision(current: bytes | None, *, document: str, sentence: int, country: str, decision: str,
                  stance: str = "", topic: str = "", note: str = "") -> bytes:
    """positions_overrides.csv's text with one decision on one position added (replacing an earlier one on it)."""
    if decision not in DECISIONS:
        raise ReviewError(f"unknown decision {decision!r} (use one of {', '.join(DECISIONS)})")
    if decision == "set" and stance not in STANCES:
        raise ReviewError(f"unknown stance {stance!r} (use one of {', '.join(STANCES)})")
    rows, _ = read_overrides(current)
    kept = [r for r in rows.to_dict("records")
            if not (r["document"] == document and int(r["sentence"]) == int(sentence) and r["country"] == country)]
    kept.append({"document": document, "sentence": int(sentence), "country": country, "topic": topic,
                 "stance": stance, "decision": decision, "note": note})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FILE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in kept:
        writer.writerow({**row, "sentence": row["sentence"] if row["document"] else ""})
    return out.getvalue().encode()


def with_topics(topics: list[dict]) -> bytes:
    """topics.yaml's text for topics given as {label, terms}; raises ReviewError when it would not read back."""
    data = write_topics(topics)
    _, warnings = read_topics(data)
    if warnings:
        raise ReviewError("; ".join(warnings))
    return data


def save(folder: str | os.PathLike, name: str, data: bytes) -> Path:
    """Write a review file beside the corpus, atomically (a reader sees the old file or the new one, never half)."""
    if name not in {OVERRIDES_NAME, TOPICS_NAME}:
        raise ReviewError(f"{name}: not a review file")
    folder = Path(folder)
    if not can_write(folder):
        raise ReviewError(f"{folder}: the corpus folder is not writable; the change is kept for this session only")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return folder / name
