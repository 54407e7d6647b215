"""The house rules that code review would otherwise have to remember."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
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


def declared() -> dict[str, set[str]]:
    """pyproject.toml's dependencies and each extra's, as normalised distribution names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(specs):
        return {re.split(r"[<>=!~ ;\[]", spec, maxsplit=1)[0].lower().replace("_", "-") for spec in specs}

    return {"": names(project["dependencies"])} | {
        extra: names(specs) for extra, specs in project["optional-dependencies"].items()
    }


def test_pyproject_declares_every_package_the_code_imports():
    """Every third-party import of helpers is a dependency (Dask, in the store's cluster path: the
    dask extra; ipywidgets, in the notebooks' pickers: the notebooks extra); of tools, one of the
    notebooks extra."""
    distributions = importlib.metadata.packages_distributions()
    extras = declared()
    for folder, allowed in (
        ("helpers", extras[""] | extras["dask"] | {"ipywidgets"}),
        ("tools", extras[""] | extras["notebooks"]),
    ):
        for path in sorted((ROOT / folder).glob("*.py")):
            for module in imported(path.read_text(encoding="utf-8")) - set(sys.stdlib_module_names):
                if module in ("helpers", "tools"):
                    continue
                dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
                assert dists & allowed, f"{path.name} imports {module}, which pyproject.toml does not declare"
                assert module not in ("dask", "distributed") or path.name == "store.py"
                assert module != "ipywidgets" or path.name == "pickers.py"


def test_a_reader_installs_no_test_tool():
    """requirements.txt (make html) pins no test or cluster package; requirements-dev.txt (make test)
    pins all of them; both pin every package with its hashes."""

    def pinned(name):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert "==" in text and "--hash=sha256:" in text
        return set(re.findall(r"^([A-Za-z0-9_.-]+)==", text, flags=re.M))

    reader, contributor = pinned("requirements.txt"), pinned("requirements-dev.txt")
    tools = declared()["dev"] | declared()["dask"]
    assert not tools & reader and tools <= contributor and reader <= contributor
