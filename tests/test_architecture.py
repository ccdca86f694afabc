"""The layering, read from the sources: the domain knows no workflow engine, and every import hidden inside a
function says why it is there."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("nominations", "workflow", "jobs", "config")
# The audit trail's single writer and its event names: the one door from the domain to the workflow app.
DOMAIN_MAY_IMPORT = {"workflow.audit", "workflow.events"}


def _sources(*packages):
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node, path: Path) -> list[str]:
    """Absolute dotted names imported by ``node`` (relative imports resolved against ``path``'s package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = _module_of(path).split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    # ``from workflow import audit`` names the module workflow.audit; ``from workflow.audit import X`` the module.
    return [f"{base}.{alias.name}" for alias in node.names] if "." not in base else [base]


def _imports(path: Path):
    """(node, imported names, inside a function?) of every import statement in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    in_function = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function.update(id(node) for node in ast.walk(fn) if isinstance(node, ast.Import | ast.ImportFrom))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, _imported(node, path), id(node) in in_function


def _allowed(name: str) -> bool:
    return any(name == allowed or name.startswith(f"{allowed}.") for allowed in DOMAIN_MAY_IMPORT)


def _workflow_imports_of_domain():
    found = []
    for path in _sources("nominations"):
        for node, names, _ in _imports(path):
            for name in names:
                top = name.split(".")[0]
                # ``from workflow import audit`` names workflow.audit; a bare ``import workflow`` names the app.
                if top == "workflow" and not _allowed(name):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    return found


def test_the_domain_imports_no_workflow_module_but_the_audit_writer():
    assert _workflow_imports_of_domain() == []


def _has_reason(lines: list[str], node) -> bool:
    """A comment on the import's line(s), or on the line above it or above the run of imports it belongs to."""
    if any("#" in line for line in lines[node.lineno - 1 : node.end_lineno]):
        return True
    above = node.lineno - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def _unexplained_function_imports():
    found = []
    for path in _sources(*APPS):
        lines = path.read_text().splitlines()
        for node, names, inside in _imports(path):
            project = any(name.split(".")[0] in APPS for name in names)
            if inside and project and not _has_reason(lines, node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_every_function_level_import_of_the_project_says_why():
    assert _unexplained_function_imports() == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("def f():\n    from workflow.permissions import UNIT\n", ["workflow.permissions"]),
        ("from workflow import audit\n", []),
        ("from workflow import audit, permissions\n", ["workflow.permissions"]),
        ("from workflow.events import LABELS\n", []),
        ("from ..access import UNIT\n", []),
        ("import workflow.flows\n", ["workflow.flows"]),
    ],
)
def test_the_check_finds_a_workflow_import_in_the_domain(tmp_path, monkeypatch, source, expected):
    """The test above would catch a regression: the same walk over a planted module."""
    package = tmp_path / "nominations"
    package.mkdir()
    (package / "planted.py").write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    found = _workflow_imports_of_domain()
    assert [line.rsplit(" ", 1)[1] for line in found] == expected


def test_the_check_finds_an_unexplained_function_import(tmp_path, monkeypatch):
    package = tmp_path / "jobs"
    package.mkdir()
    (package / "planted.py").write_text(
        "def quiet():\n    from jobs.outbox import enqueue\n\n\n"
        "def explained():\n    # outbox imports this module\n    from jobs.outbox import relay\n\n\n"
        "def grouped():\n    # both load on demand\n    from jobs import outbox\n    from jobs import tasks\n\n\n"
        "def stdlib():\n    import json\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _unexplained_function_imports() == ["jobs/planted.py:2: from jobs.outbox import enqueue"]
