"""The collection as a whole: it runs on another corpus, and every worked solution passes its check."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import OWN_CORPUS

from helpers.exercises import CORRECT
from helpers.site import NOTEBOOKS, build_site, execute, notebook_paths, stale_navigation

PATHS = notebook_paths()


def test_the_collection_runs_on_another_corpus(tmp_path):
    """Three short texts written for the test, one without a header line (and with CRLF)."""
    pages = build_site(NOTEBOOKS, tmp_path, seeds=OWN_CORPUS, log=lambda *a: None)
    assert [p.stem for p in pages] == [p.stem for p in PATHS]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert str(OWN_CORPUS.resolve()) in index
    start = (tmp_path / "00_start_here.html").read_text(encoding="utf-8")
    assert "no_header" in start and "Bakhtiyor Saidov" in start
    assert "000_15841afbb5fcb278" not in start, "the seed must not leak into another corpus's pages"


def solution_code(cell) -> str:
    """The code inside a solution cell's folded <details> block."""
    found = re.search(r"```python\n(.*?)```", cell.source, flags=re.S)
    assert found, f"solution cell without a code block: {cell.source[:80]}"
    return found.group(1)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_every_worked_solution_passes_its_check(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    exercises = [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]
    for i in exercises:
        solution = next(c for c in nb.cells[i:] if "solution" in c.metadata.get("tags", []))
        nb.cells[i].source = nb.cells[i].source.replace(
            re.search(r"answer_\d+ = None", nb.cells[i].source).group(), solution_code(solution)
        )
    answered = tmp_path / path.name
    nbformat.write(nb, answered)
    executed = execute(answered)
    verdicts = [
        "".join(o.get("text", "") for o in c.outputs).strip()
        for c in executed.cells
        if "check" in c.metadata.get("tags", [])
    ]
    assert len(verdicts) == len(exercises)
    assert verdicts == [CORRECT] * len(exercises), verdicts


def test_a_wrong_answer_is_explained(tmp_path):
    nb = nbformat.read(PATHS[0], as_version=4)
    first = next(c for c in nb.cells if "exercise" in c.metadata.get("tags", []))
    first.source = "answer_1 = 12345"
    nbformat.write(nb, tmp_path / PATHS[0].name)
    executed = execute(tmp_path / PATHS[0].name)
    check = next(c for c in executed.cells if "check" in c.metadata.get("tags", []))
    assert check.outputs[0]["text"].startswith("❌ not yet: 12345 is too high")


def test_stale_navigation_is_detected(tmp_path):
    for path in PATHS[:3]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert stale_navigation(tmp_path) == [PATHS[2].name]  # it still links to a next notebook
    (tmp_path / PATHS[1].name).rename(tmp_path / "01_renamed.ipynb")
    # its neighbours now link to a name that is gone; its own links are still right
    assert set(stale_navigation(tmp_path)) == {PATHS[0].name, PATHS[2].name}


def test_a_failing_cell_fails_the_build_naming_notebook_and_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Broken\n\nA notebook whose second cell raises."),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("1 / 0"),
    ]
    nbformat.write(nb, notebooks / "00_broken.ipynb")
    ok = nbformat.v4.new_notebook()
    ok.cells = [nbformat.v4.new_markdown_cell("# Fine\n\nIt runs."), nbformat.v4.new_code_cell("2 + 2")]
    nbformat.write(ok, notebooks / "01_fine.ipynb")
    from helpers.site import BuildError, main

    with pytest.raises(BuildError, match=r"00_broken.ipynb: cell 2 raised an error(.|\n)*ZeroDivisionError"):
        build_site(notebooks, tmp_path / "html", log=lambda *a: None)
    assert (tmp_path / "html" / "01_fine.html").exists(), "the other notebooks are still built"
    assert main(["build", "--notebooks", str(notebooks), "--out", str(tmp_path / "html2")]) == 1
    # the build never writes outputs back into the notebooks
    assert json.loads((notebooks / "00_broken.ipynb").read_text())["cells"][2]["outputs"] == []
