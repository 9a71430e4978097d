"""Shared fixtures: the seed corpus, its hand-checked gold, and a built set of tables."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD_PATH = Path(__file__).parent / "resources" / "gold_seeds.json"
ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD_PATH.read_text("utf-8"))


@pytest.fixture(scope="session")
def seed_tables():
    from analysis.build import build_tables

    return build_tables(SEEDS)


@pytest.fixture
def seeds_without_manifest(tmp_path) -> Path:
    """A copy of the seed articles with no sources.csv, so every metadata value must be inferred."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
