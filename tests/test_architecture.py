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


MAX_FUNCTION_LINES = 60


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _long_functions(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function in source longer than MAX_FUNCTION_LINES."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.name, node.lineno, length))
    return found


def test_no_function_is_longer_than_sixty_lines():
    long = [f"{path.relative_to(ROOT)}:{line} {name} ({length} lines)"
            for path in _python_files("analysis", "dashboard")
            for name, line, length in _long_functions(path.read_text("utf-8"))]
    assert long == []


def _module_graph() -> dict[str, set[str]]:
    """Which project module imports which (at any depth of the file: lazy imports count too)."""
    modules = {p.relative_to(ROOT).with_suffix("").as_posix().replace("/", "."): p
               for p in _python_files("analysis", "dashboard")}
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found.update(t.removesuffix(".__init__") for t in targets if t in modules and t != name)
        graph[name.removesuffix(".__init__")] = found
    return graph


def _circles(graph: dict[str, set[str]]) -> list[str]:
    """Every import circle a depth-first walk of graph meets, as "a -> b -> a"."""
    circles: list[str] = []
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if target in path:
                circles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in done:
                visit(target, path + [target])
        done.add(node)

    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    return circles


def test_no_import_circle():
    assert _circles(_module_graph()) == []


def test_the_architecture_checks_find_what_they_look_for():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(f"def long():\n{body}\n") == [("long", 1, MAX_FUNCTION_LINES + 1)]
    shorter = "\n".join(body.splitlines()[1:])
    assert _long_functions(f"def short():\n{shorter}\n") == []
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a -> b -> c -> a"]
    assert _circles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
    assert "analysis.tables" in _module_graph()["analysis.build"]


def _layout_section() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    return readme[readme.index("## Layout"):]


def test_the_readme_layout_names_every_module():
    """Every module is named in the README's layout section (the pages as `views/`, one file per page)."""
    layout = _layout_section()
    modules = [p for p in _python_files("analysis", "dashboard") if p.parent.name != "views"]
    missing = [p.relative_to(ROOT).as_posix() for p in modules
               if p.stem not in ("__init__", "__main__")
               and f"`{p.stem}" not in layout and f"{p.stem}.py" not in layout]
    assert missing == []
