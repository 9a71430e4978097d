"""The dashboard's only Streamlit cache layer: which corpus to show, and its tables, built once per content."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import streamlit as st

from analysis.corpus import read_corpus
from analysis.tables import Tables, build_tables

CORPUS_ENV = "BRIEFING_CORPUS"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / "seeds"
APP_PATH = REPO_ROOT / "dashboard" / "app.py"


def corpus_folder() -> Path:
    """The corpus folder: first script argument (`streamlit run dashboard/app.py -- DIR`), then BRIEFING_CORPUS, then seeds/."""
    # `streamlit run` puts the script first in sys.argv; anything else (pytest, AppTest) is not ours to read.
    launched_by_streamlit = bool(sys.argv) and Path(sys.argv[0]).resolve() == APP_PATH
    args = [a for a in sys.argv[1:] if not a.startswith("-")] if launched_by_streamlit else []
    if args:
        return Path(args[0]).expanduser()
    if os.environ.get(CORPUS_ENV):
        return Path(os.environ[CORPUS_ENV]).expanduser()
    return DEFAULT_CORPUS


def folder_fingerprint(folder: Path) -> str:
    """Cheap change detector: names, sizes and modification times of every file below folder."""
    digest = hashlib.sha256(str(folder.resolve()).encode())
    if folder.is_dir():
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                try:
                    stat = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                digest.update(f"{dirpath}/{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@st.cache_resource(max_entries=4, show_spinner="Analysing articles…")
def _tables(folder: str, fingerprint: str) -> Tables:
    return build_tables(read_corpus(folder))


def load_tables() -> Tables:
    """Tables of the configured corpus; analysed again only when its files change. Treat them as read-only."""
    folder = corpus_folder()
    return _tables(str(folder), folder_fingerprint(folder))
