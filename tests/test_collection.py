"""The collection as a whole: it runs on another corpus, and every worked solution passes its check."""

from __future__ import annotations

import functools
import html
import json
import re
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from conftest import OWN_CORPUS, SEEDS, write_corpus

from helpers.exercises import CORRECT
from tools.site_build import (
    NOTEBOOKS,
    STATIC_NOTE,
    BuildError,
    build_site,
    execute,
    main,
    note_static_pickers,
    notebook_paths,
    stale_navigation,
)

PATHS = notebook_paths()


# Two documents of the same length, the second in file order first in no other order: ties must not
# make a right answer wrong.
TIES = Path(__file__).parent / "data" / "ties"


def solution_code(cell) -> str:
    """The code inside a solution cell's folded <details> block."""
    found = re.search(r"```python\n(.*?)```", cell.source, flags=re.S)
    assert found, f"solution cell without a code block: {cell.source[:80]}"
    return found.group(1)


@functools.cache
def answered(path: Path, corpus: Path) -> nbformat.NotebookNode:
    """The notebook with each exercise's worked solution in place of its `answer_N = None`, executed
    once per session on `corpus` (every test that reads that run shares it)."""
    nb = nbformat.read(path, as_version=4)
    exercises = [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]
    for i in exercises:
        solution = next(c for c in nb.cells[i:] if "solution" in c.metadata.get("tags", []))
        nb.cells[i].source = nb.cells[i].source.replace(
            re.search(r"answer_\d+ = None", nb.cells[i].source).group(), solution_code(solution)
        )
    # run it where a checkout's notebooks run: beside ../corpora and ../tests (notebook 03 reads its
    # hand-annotated sets from there)
    where = Path(tempfile.mkdtemp(prefix="answered-"))
    for folder in ("corpora", "tests"):
        (where / folder).symlink_to(path.parent.parent / folder)
    (where / "notebooks").mkdir()
    nbformat.write(nb, where / "notebooks" / path.name)
    executed, failure = execute(where / "notebooks" / path.name, corpus)
    assert failure is None, failure
    return executed


def outputs(nb: nbformat.NotebookNode) -> str:
    """Everything an executed notebook shows: text, Markdown and HTML outputs."""
    shown = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            shown.append(out.get("text", ""))
            shown += [str(v) for k, v in out.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(shown)


@pytest.mark.parametrize("corpus", [SEEDS, OWN_CORPUS, TIES], ids=["seed", "own_corpus", "ties"])
@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_every_worked_solution_passes_its_check(path, corpus):
    executed = answered(path, corpus)
    exercises = [c for c in executed.cells if "exercise" in c.metadata.get("tags", [])]
    verdicts = [
        "".join(o.get("text", "") for o in c.outputs).strip()
        for c in executed.cells
        if "check" in c.metadata.get("tags", [])
    ]
    assert len(verdicts) == len(exercises)
    assert verdicts == [CORRECT] * len(exercises), verdicts


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_the_collection_runs_on_another_corpus(path):
    """Three short texts written for the test, one without a header line (and with CRLF): every
    notebook runs on them (the worked solutions' run, shared), names the document without a header,
    and shows nothing of the seed."""
    shown = outputs(answered(path, OWN_CORPUS))
    assert "have no header line" in shown and "no_header" in shown
    assert "000_15841afbb5fcb278" not in shown, "the seed must not leak into another corpus's pages"
    if path.name.startswith("00_"):
        assert "Bakhtiyor Saidov" in shown


def test_a_wrong_answer_is_explained(tmp_path):
    nb = nbformat.read(PATHS[0], as_version=4)
    first = next(c for c in nb.cells if "exercise" in c.metadata.get("tags", []))
    first.source = "answer_1 = 12345"
    nbformat.write(nb, tmp_path / PATHS[0].name)
    executed, _ = execute(tmp_path / PATHS[0].name, SEEDS)
    check = next(c for c in executed.cells if "check" in c.metadata.get("tags", []))
    assert check.outputs[0]["text"].startswith("✘ not yet: 12345 is too high")


def test_stale_navigation_is_detected(tmp_path):
    for path in PATHS[:3]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert stale_navigation(tmp_path) == [PATHS[2].name]  # it still links to a next notebook
    (tmp_path / PATHS[1].name).rename(tmp_path / "01_renamed.ipynb")
    # its neighbours now link to a name that is gone; its own links are still right
    assert set(stale_navigation(tmp_path)) == {PATHS[0].name, PATHS[2].name}


def test_make_nav_rewrites_stale_navigation(tmp_path):
    for path in PATHS:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    nb = nbformat.read(tmp_path / PATHS[1].name, as_version=4)
    nb.cells = [c for c in nb.cells if "nav" not in c.metadata.get("tags", [])]
    nbformat.write(nb, tmp_path / PATHS[1].name)
    assert stale_navigation(tmp_path) == [PATHS[1].name]
    assert main(["nav", "--check", "--notebooks", str(tmp_path)]) == 1
    assert main(["nav", "--notebooks", str(tmp_path)]) == 0
    assert stale_navigation(tmp_path) == [] and main(["nav", "--check", "--notebooks", str(tmp_path)]) == 0
    cells = nbformat.read(tmp_path / PATHS[1].name, as_version=4).cells
    assert cells[0].source == cells[-1].source and "next:" in cells[0].source
    assert [c.source for c in cells[1:-1]] == [c.source for c in nb.cells]


def small_notebooks(folder, broken_cell: str):
    """00_broken.ipynb (third cell = `broken_cell`) and 01_fine.ipynb, in `folder`."""
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Broken\n\nA notebook whose third cell goes wrong."),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell(broken_cell),
        nbformat.v4.new_code_cell("print('never reached')"),
    ]
    nbformat.write(nb, folder / "00_broken.ipynb")
    ok = nbformat.v4.new_notebook()
    ok.cells = [nbformat.v4.new_markdown_cell("# Fine\n\nIt runs."), nbformat.v4.new_code_cell("2 + 2")]
    nbformat.write(ok, folder / "01_fine.ipynb")
    return folder


@pytest.mark.parametrize(
    "cell, reason",
    [
        ("1 / 0", "ZeroDivisionError: division by zero"),
        ("import time\ntime.sleep(60)", "did not finish within 3 s"),
    ],
    ids=["error", "timeout"],
)
def test_a_failing_or_slow_cell_is_named_and_the_build_goes_on(tmp_path, cell, reason):
    notebooks = small_notebooks(tmp_path / "notebooks", cell)
    first_line = cell.splitlines()[0]
    expected = f"00_broken.ipynb, cell 3 of 4 (`{first_line}`): {reason}"
    started = time.perf_counter()
    with pytest.raises(BuildError) as raised:
        build_site(notebooks, tmp_path / "html", log=lambda *a: None, timeout=3)
    assert time.perf_counter() - started < 60, "a slow cell never holds the build for long"
    assert str(raised.value).startswith("1 of 2 notebooks failed:") and expected in str(raised.value)
    assert (tmp_path / "html" / "01_fine.html").exists(), "the other notebooks are still built"
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "1 of 2 pages failed to build" in index and html.escape(expected) in index
    page = (tmp_path / "html" / "00_broken.html").read_text(encoding="utf-8")
    assert "This page did not build completely" in page and "never reached" in page  # shown, not run
    assert (
        main(
            ["build", "--notebooks", str(notebooks), "--out", str(tmp_path / "html2"), "--cell-timeout", "3"]
        )
        == 1
    )
    # the build never writes outputs back into the notebooks
    assert json.loads((notebooks / "00_broken.ipynb").read_text())["cells"][2]["outputs"] == []


def test_a_static_page_shows_each_picker_s_default_view_once_under_a_note(site):
    nb = nbformat.read(NOTEBOOKS / "02_term_frequencies.ipynb", as_version=4)
    widget = [c.source for c in nb.cells if "widget" in c.metadata.get("tags", [])]
    noted = note_static_pickers(nb).cells
    assert widget and [c.source for c in noted if "widget" in c.metadata.get("tags", [])] == widget
    tagged = [i for i, c in enumerate(noted) if "widget" in c.metadata.get("tags", [])]
    assert all(noted[i - 1].source == STATIC_NOTE for i in tagged)
    page = (site / "02_term_frequencies.html").read_text(encoding="utf-8")
    after = page.split(html.escape(STATIC_NOTE.strip("*"), quote=False), 1)[1]
    section = after.split("<h2", 1)[0]  # up to the next heading: one concordance, one chart
    assert section.count("<mark>cooperation</mark>") >= 1 and len(re.findall(r"class=.kwic\b", section)) == 1
    assert section.count("<img") == 1
    assert "VBox(" not in page and "Combobox(" not in page and "application/vnd.jupyter.widget" not in page


def test_a_corpus_of_bad_files_only_builds_a_site_that_says_so(tmp_path):
    corpus = write_corpus(
        tmp_path / "bad", {"empty.txt": b"", "binary.txt": b"\x00\x01\x02", "latin.txt": b"caf\xe9"}
    )
    with pytest.raises(BuildError) as raised:
        build_site(NOTEBOOKS, tmp_path / "html", seeds=corpus, log=lambda *a: None)
    assert str(raised.value).startswith(f"{len(PATHS)} of {len(PATHS)} notebooks failed")
    index = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert "0 document(s) loaded, 3 file(s) could not be read" in index
    for path in PATHS:
        page = (tmp_path / "html" / path.with_suffix(".html").name).read_text(encoding="utf-8")
        assert "EmptyCorpus: no document could be loaded" in page, path.name
        assert "empty.txt: empty file" in page and "binary.txt: binary file" in page, path.name


def test_one_file_without_a_header_builds_a_site_that_says_so(tmp_path):
    corpus = write_corpus(
        tmp_path / "one", {"note.txt": "The Council of Europe met last week in Strasbourg.\n"}
    )
    pages = build_site(NOTEBOOKS, tmp_path / "html", seeds=corpus, log=lambda *a: None)
    assert [p.path.stem for p in pages] == [p.stem for p in PATHS]
    assert str(corpus.resolve()) in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    for page in pages:
        text = page.path.read_text(encoding="utf-8")
        assert "<strong>1</strong> document(s)." in text, page.path.name
        assert "have no header line" in text and "(note)" in text, page.path.name


REAL = NOTEBOOKS.parent / "corpora" / "whitehouse_diplomacy"


def test_the_collection_runs_on_the_real_example_corpus(tmp_path):
    """All 410 real statements (409 texts: one is saved twice and counted once): every page builds,
    stays under 3 MB, no image over 2,000 px."""
    pages = build_site(NOTEBOOKS, tmp_path, seeds=REAL, log=lambda *a: None)
    assert [p.path.stem for p in pages] == [p.stem for p in PATHS]
    for page in pages:
        assert page.size < 3_000_000, (page.path.name, page.size)
        assert 0 < page.tallest_image <= 2000, (page.path.name, page.tallest_image)
        text = page.path.read_text(encoding="utf-8")
        assert "**Corpus**" not in text and "<strong>409</strong> document(s)" in text, page.path.name
        assert "Traceback" not in text, page.path.name
    over_time = next(p for p in pages if p.path.stem.startswith("06_"))
    charts = re.findall(r'<img[^>]+src="data:image/png;base64,', over_time.path.read_text(encoding="utf-8"))
    assert len(charts) >= 4, "notebook 06 shows at least four charts on the example corpus"
    page = over_time.path.read_text(encoding="utf-8")
    links = set(re.findall(r'href="#((?:view-)?doc-[^"]+)"', page))
    assert links and all(f'id="{name}"' in page for name in links), "every reading-list link has its text"


def test_kernels_start_quietly(tmp_path, capfd):
    """The build's kernels listen on IPC sockets, not TCP ports: ipykernel's warning that TCP without
    encryption can be overheard (which no reader of the build log can act on) is never printed."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print(1 + 1)")]
    nbformat.write(nb, tmp_path / "00_quiet.ipynb")
    executed, failure = execute(tmp_path / "00_quiet.ipynb")
    assert failure is None and executed.cells[0].outputs[0]["text"] == "2\n"
    said = capfd.readouterr()
    assert "without encryption" not in said.err + said.out
    assert not list(tmp_path.glob("kernel*")), "no socket files left beside the notebook"


def test_the_build_analyses_each_corpus_once_before_the_pages(site, tmp_path, monkeypatch):
    """`make html` analyses the corpus into its store before the notebooks run (they find nothing to
    analyse: no page shows a run), and a second build on the same folder analyses 0 files."""
    from helpers.store import STORE_DIR_ENV
    from tools.site_build import analyse_corpora

    for page in site.glob("*.html"):
        assert not re.search(r"analysed \d+ of \d+ files", page.read_text(encoding="utf-8")), page.name
    monkeypatch.setenv(STORE_DIR_ENV, str(tmp_path / "stores"))
    said: list[str] = []
    analyse_corpora(NOTEBOOKS, SEEDS, said.append)
    analyse_corpora(NOTEBOOKS, SEEDS, said.append)
    assert [re.search(r"analysed \d+ of \d+ files", line).group() for line in said] == [
        "analysed 1 of 1 files",
        "analysed 0 of 1 files",
    ]
