"""The data files shipped in analysis/data (word lists, rules, the gazetteer's outputs), each read once per process.

Callers share the parsed value: they read it and build their own structures from it, never change it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import yaml

DATA_FOLDER = "data"


class MissingDataFile(FileNotFoundError):
    """A data file the analysis needs is not in analysis/data (a broken install or a misspelt name)."""


def shipped() -> list[str]:
    """The names of the files in analysis/data."""
    folder = resources.files("analysis").joinpath(DATA_FOLDER)
    return sorted(entry.name for entry in folder.iterdir() if entry.is_file())


@lru_cache(maxsize=None)
def read_text(name: str) -> str:
    """The text of analysis/data/<name>; MissingDataFile, naming it, when there is no such file."""
    return _read(name)


def _read(name: str) -> str:
    """The text of analysis/data/<name>, read from disk."""
    # Not cached itself: a parsed file keeps its value only, not its text as well.
    try:
        return resources.files("analysis").joinpath(f"{DATA_FOLDER}/{name}").read_text("utf-8")
    except FileNotFoundError as exc:
        raise MissingDataFile(f"analysis/{DATA_FOLDER}/{name}: no such data file "
                              f"(shipped: {', '.join(shipped())})") from exc


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict:
    """The mapping held by the YAML file analysis/data/<name>."""
    return yaml.safe_load(_read(name))


@lru_cache(maxsize=None)
def load_json(name: str):
    """The value held by the JSON file analysis/data/<name>."""
    return json.loads(_read(name))


@lru_cache(maxsize=None)
def load_jsonl(name: str) -> tuple:
    """The values of the JSON Lines file analysis/data/<name>, one per non-blank line."""
    return tuple(json.loads(line) for line in _read(name).splitlines() if line.strip())
