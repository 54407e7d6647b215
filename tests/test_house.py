"""The house rules that code review would otherwise have to remember."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
from conftest import ROOT

HELPERS = sorted((ROOT / "helpers").glob("*.py"))


def imported(source: str) -> set[str]:
    """The top-level packages a module imports anywhere: at its top, in a function, under `if`."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_stands_alone():
    """No repository paths inside helpers: the notebooks and the Makefile pass the corpus folder; no
    import of the collection's tooling or the tests, wherever in a module it stands."""
    for path in HELPERS:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"__file__|PROJECT_ROOT|parent\.parent|[\"']seeds[\"']", source), path.name
        assert not imported(source) & {"tools", "tests", "conftest", "bench"}, path.name


def test_the_import_check_sees_imports_inside_functions():
    source = "import os\n\ndef build():\n    if True:\n        from tools.site_build import main\n"
    assert imported(source) == {"os", "tools"}


def test_notebooks_never_import_the_build_tooling():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert not re.search(r"^\s*(?:from|import)\s+tools\b", code, flags=re.M), path.name


def test_every_module_is_named_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in HELPERS:
        if path.stem != "__init__":
            assert f"helpers.{path.stem}" in readme, f"helpers.{path.stem} is not in the README's module map"
    assert Path(ROOT / "tools" / "site_build.py").exists() and "tools.site_build" in readme
