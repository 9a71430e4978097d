"""Structural rules of the codebase that a reviewer would otherwise have to remember."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_analysis_never_imports_streamlit():
    offenders = [p.name for p in (ROOT / "analysis").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_streamlit_caching_lives_in_one_module():
    users = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "dashboard").rglob("*.py")
        if "st.cache_data" in p.read_text("utf-8") or "st.cache_resource" in p.read_text("utf-8")
    )
    assert users == ["dashboard/data.py"]


def test_reading_a_built_store_does_not_import_spacy():
    """The dashboard and the store reader start without spaCy (about a second): only analysing text needs it."""
    code = ("import sys, analysis.store, analysis.query, analysis.charts, analysis.briefing, analysis.export; "
            "print(sorted(m for m in sys.modules if m == 'spacy' or m.startswith('spacy.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
