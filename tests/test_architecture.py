"""Structural rules of the codebase that a reviewer would otherwise have to remember."""

import ast
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
