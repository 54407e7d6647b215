"""The collection: committed notebooks are clean, every notebook executes, the site is complete."""

from __future__ import annotations

import html
import json
import re

import nbformat
import pytest

from tools.site_build import notebook_info, notebook_paths, stale_navigation

PATHS = notebook_paths()


def test_the_collection_has_its_first_notebooks():
    names = [p.name for p in PATHS]
    assert names[:2] == ["00_start_here.ipynb", "01_loading_and_tokenizing.ipynb"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"][:80]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_notebook_follows_the_house_style(path):
    nb = nbformat.read(path, as_version=4)
    tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
    assert tags.count("parameters") == 1
    assert 2 <= tags.count("exercise") == tags.count("check") == tags.count("solution") <= 4
    info = notebook_info(path)
    assert info.title and info.summary
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "nltk.download(" not in code


def test_navigation_is_up_to_date():
    assert stale_navigation() == [], "run `make nav` to regenerate the navigation cells"


def test_site_has_index_and_a_page_per_notebook(site):
    index = (site / "index.html").read_text(encoding="utf-8")
    for path in PATHS:
        page = site / path.with_suffix(".html").name
        assert page.exists()
        assert f'href="{page.name}"' in index
        assert html.escape(notebook_info(path).title) in index


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_page_has_an_embedded_chart_and_no_errors(site, path):
    page = (site / path.with_suffix(".html").name).read_text(encoding="utf-8")
    assert re.search(r'<img[^>]+src="data:image/png;base64,', page)
    assert "Traceback" not in page
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in page, "no warnings or errors shown"
    assert not re.search(r"https?://cdn", page), "pages must read offline"
    assert not re.search(r'href="\d\d_[a-z0-9_]+\.ipynb', page), "links must point at .html pages"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_page_links_back_to_the_index_and_draws_no_emoji(site, path):
    """Every page links to index.html (top and bottom); no emoji, which need a font the build
    machine lacks (⏳ ✅ ❌ ⛔ showed as empty boxes)."""
    page = (site / path.with_suffix(".html").name).read_text(encoding="utf-8")
    assert page.count('<a href="index.html">') == 2
    assert not re.search("[\u23f3\u2705\u274c\u26d4\U0001f300-\U0001faff]", page)
