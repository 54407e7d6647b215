"""Build the notebook collection into a static HTML site, and keep its navigation up to date.

python -m tools.site_build build [--seeds FOLDER] [--out build/html] [--cell-timeout SECONDS]
python -m tools.site_build nav [--check]

The build and the navigation are the collection's tooling, kept out of the analysis package:
the notebooks never import this module.
"""

from __future__ import annotations

import argparse
import base64
import html
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from helpers import contents
from helpers.contents import NAV_TAG, NotebookInfo, notebook_info

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SEEDS = ROOT / "seeds"
BUILD = ROOT / "build" / "html"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def notebook_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """The collection's notebooks (default: the project's notebooks/), in teaching order."""
    return contents.notebook_paths(folder)


CSS = """
body { max-width: 1100px; margin: 0 auto; }
.site-nav { font-family: system-ui, sans-serif; padding: .5em 1em; background: #f3f5f8;
  border-bottom: 1px solid #d0d7de; }
.site-nav a { margin-right: 1em; }
.page-toc { font-family: system-ui, sans-serif; font-size: .9em; border: 1px solid #d0d7de;
  padding: .5em 1em; margin: 1em 1em 1em 5em; background: #fafbfc; border-radius: 6px; }
.page-toc ul { margin: .3em 0; padding-left: 1.2em; columns: 2; }
.jp-MarkdownOutput details { background: #f6f8fa; padding: .3em .8em; border-radius: 6px; }
"""


class BuildError(RuntimeError):
    """A notebook failed to execute or export; the message names the notebook and cell."""


def navigation(paths: list[Path], index: int) -> str:
    """The markdown navigation line for notebook `index`: previous · contents · next."""
    parts = []
    if index > 0:
        parts.append(f"[← previous: {paths[index - 1].stem}]({paths[index - 1].name})")
    parts.append(f"[contents]({paths[0].name})")
    if index + 1 < len(paths):
        parts.append(f"[next: {paths[index + 1].stem} →]({paths[index + 1].name})")
    return " · ".join(parts)


def with_navigation(nb: nbformat.NotebookNode, line: str) -> nbformat.NotebookNode:
    """The notebook with exactly one navigation cell at the top and one at the bottom."""
    cells = [c for c in nb.cells if NAV_TAG not in c.metadata.get("tags", [])]
    top = nbformat.v4.new_markdown_cell(line, metadata={"tags": [NAV_TAG]})
    bottom = nbformat.v4.new_markdown_cell(line, metadata={"tags": [NAV_TAG]})
    top.pop("id", None)
    bottom.pop("id", None)
    nb.cells = [top, *cells, bottom]
    return nb


def stale_navigation(folder: Path = NOTEBOOKS) -> list[str]:
    """Names of notebooks whose navigation cells are missing or out of date."""
    paths = notebook_paths(folder)
    stale = []
    for i, path in enumerate(paths):
        nb = nbformat.read(path, as_version=4)
        want = navigation(paths, i)
        cells = nb.cells
        ok = (
            len(cells) >= 2
            and all(NAV_TAG in c.metadata.get("tags", []) for c in (cells[0], cells[-1]))
            and cells[0].source == want == cells[-1].source
        )
        if not ok:
            stale.append(path.name)
    return stale


def write_navigation(folder: Path = NOTEBOOKS) -> list[str]:
    """Regenerate the navigation cells of every notebook; return the names it changed."""
    changed = stale_navigation(folder)
    paths = notebook_paths(folder)
    for i, path in enumerate(paths):
        if path.name in changed:
            nb = with_navigation(nbformat.read(path, as_version=4), navigation(paths, i))
            for n, cell in enumerate(nb.cells):  # stable ids keep diffs small
                cell["id"] = cell.get("id") or f"{path.stem[:2]}-{n:03d}"
            nbformat.write(nb, path)
    return changed


def inject_parameters(nb: nbformat.NotebookNode, seeds: Path | None) -> nbformat.NotebookNode:
    """Papermill-style: after the cell tagged `parameters`, set CORPUS to the given folder."""
    if seeds is None:
        return nb
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.metadata.get("tags", []):
            source = f"# Injected by the build: the corpus folder to analyse\nCORPUS = {str(seeds)!r}"
            injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
            nb.cells.insert(i + 1, injected)
            return nb
    raise BuildError("no cell tagged 'parameters' to receive the corpus folder")


WIDGET_TAG = "widget"
STATIC_NOTE = (
    "*In JupyterLab the cell below shows a picker above its view. A static page cannot run Python, "
    "so here the cell shows the view for the default choice only.*"
)


@dataclass
class CellFailure:
    """Why a notebook stopped: which cell (1-based, as committed), its first line, what went wrong."""

    notebook: str
    cell: int
    cells: int
    first_line: str
    reason: str

    def __str__(self) -> str:
        where = f"cell {self.cell} of {self.cells}" if self.cell else "before its first cell"
        line = f" (`{self.first_line}`)" if self.first_line else ""
        return f"{self.notebook}, {where}{line}: {self.reason}"


def note_static_pickers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Put a note above each cell tagged `widget`: on a static page (the kernel runs with
    `helpers.progress.STATIC_PAGE` set, see `static_kernel`) its picker draws the default view alone."""
    for i in reversed(range(len(nb.cells))):
        if WIDGET_TAG in nb.cells[i].metadata.get("tags", []):
            nb.cells.insert(i, nbformat.v4.new_markdown_cell(STATIC_NOTE, metadata={"tags": ["build-note"]}))
    return nb


@contextmanager
def static_kernel():
    """Kernels started inside run with `STATIC_PAGE` set: pickers draw their default view only, and
    no progress bar is drawn."""
    from helpers.progress import STATIC_PAGE

    before = os.environ.get(STATIC_PAGE)
    os.environ[STATIC_PAGE] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(STATIC_PAGE, None)
        else:
            os.environ[STATIC_PAGE] = before


def error_reason(err: Exception, timeout: int) -> str:
    """One line saying what went wrong in a cell."""
    if isinstance(err, CellTimeoutError):
        return f"did not finish within {timeout} s (the cell timeout; raise it with CELL_TIMEOUT=...)"
    if isinstance(err, CellExecutionError):
        said = f"{err.ename}: {err.evalue}" if err.ename else str(err)
        return said.strip().splitlines()[0]
    if isinstance(err, DeadKernelError):
        return "the kernel died (out of memory?)"
    return f"{type(err).__name__}: {err}".splitlines()[0]


def local_kernel(folder: str):
    """Kernel settings for a kernel on this machine: its sockets are files in `folder` (IPC), not TCP
    ports. Over TCP without CurveZMQ keys ipykernel warns, on every start, that anyone on the machine
    could listen in; IPC sockets are files only this user can open, so there is nothing to warn
    about (and nothing for a reader of the build log to act on). Windows has no IPC: TCP there."""
    from traitlets.config import Config

    config = Config()
    if os.name != "nt":
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(folder) / "kernel")
    return config


def execute(
    path: Path, seeds: Path | None = None, timeout: int = 600
) -> tuple[nbformat.NotebookNode, CellFailure | None]:
    """Run a notebook top to bottom in a fresh kernel (in its own folder).

    Returns the notebook with its outputs and, if a cell failed or timed out, which one and why;
    the cells after a failure are left unexecuted. Pickers draw their default view only
    (see `note_static_pickers`).
    """
    nb = note_static_pickers(inject_parameters(nbformat.read(path, as_version=4), seeds))
    current = {"index": None}
    try:
        with tempfile.TemporaryDirectory(prefix="kernel-") as sockets, static_kernel():
            NotebookClient(
                nb,
                timeout=timeout,
                kernel_name="python3",
                shutdown_kernel="immediate",
                store_widget_state=False,  # a static page has no widgets (pickers draw their default view)
                resources={"metadata": {"path": str(path.parent)}},
                on_cell_start=lambda cell, cell_index: current.update(index=cell_index),
                config=local_kernel(sockets),
            ).execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError, TimeoutError) as err:
        index = current["index"]
        cell = nb.cells[index] if index is not None else None
        number = cell_number(nb, index) if index is not None else 0
        lines = [line.strip() for line in (cell.source if cell else "").splitlines() if line.strip()]
        first = lines[0] if lines else ""
        total = cell_number(nb, len(nb.cells) - 1)
        failure = CellFailure(path.name, number, total, first[:80], error_reason(err, timeout))
        mark_failure(nb, index, failure)
        return nb, failure
    return nb, None


ADDED_TAGS = {"injected-parameters", "build-note"}  # cells the build adds: not counted in cell numbers


def cell_number(nb: nbformat.NotebookNode, index: int) -> int:
    """The 1-based number of cell `index` in the notebook as committed (cells the build added skipped)."""
    return sum(1 for c in nb.cells[: index + 1] if not ADDED_TAGS & set(c.metadata.get("tags", [])))


def slowest_cell(nb: nbformat.NotebookNode) -> tuple[int, float]:
    """(cell number as committed, seconds) of the cell that ran longest, from nbclient's timings."""
    best = (0, 0.0)
    for index, cell in enumerate(nb.cells):
        timing = cell.metadata.get("execution", {})
        if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
            began, ended = (iso_seconds(timing[k]) for k in ("iopub.execute_input", "shell.execute_reply"))
            if ended - began > best[1]:
                best = (cell_number(nb, index), ended - began)
    return best


def iso_seconds(stamp: str) -> float:
    """Seconds since the epoch of an ISO timestamp as nbclient writes them."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def mark_failure(nb: nbformat.NotebookNode, index: int | None, failure: CellFailure) -> None:
    """Say on the page itself where the build stopped: a banner on top and a note after the cell."""
    text = f"**⚠ This page did not build completely.** {failure}. The cells after it were not run."
    banner = nbformat.v4.new_markdown_cell(text, metadata={"tags": ["build-note"]})
    if index is not None:
        note = nbformat.v4.new_markdown_cell(
            f"**⚠ The build stopped here:** {failure.reason}.", metadata={"tags": ["build-note"]}
        )
        nb.cells.insert(index + 1, note)
    nb.cells.insert(1 if nb.cells and NAV_TAG in nb.cells[0].metadata.get("tags", []) else 0, banner)


def describe_images(nb: nbformat.NotebookNode) -> None:
    """Give every image output an alt text: the section it is in and the chart function drawn."""
    heading = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = re.findall(r"^#+\s+(.+)$", cell.source, flags=re.M)
            heading = found[-1].strip() if found else heading
            continue
        charts = re.findall(r"(\w+_chart)\(", cell.source)
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                what = f"{', '.join(charts)} chart" if charts else "Chart"
                output.setdefault("metadata", {})["alt"] = f"{what} in the section “{heading}”"


def add_page_toc(page: str) -> str:
    """Insert a table of contents (the page's h2 sections) after the top navigation."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    sections = [(h["id"], h.get_text().rstrip("¶").strip()) for h in soup.find_all("h2") if h.get("id")]
    links = [f'<li><a href="#{html.escape(i, quote=True)}">{html.escape(t)}</a></li>' for i, t in sections]
    first_cell = soup.select_one(".jp-Cell")
    if links and first_cell is not None:
        toc = BeautifulSoup(
            '<nav class="page-toc" aria-label="On this page"><strong>On this page</strong>'
            f"<ul>{''.join(links)}</ul></nav>",
            features="html.parser",
        )
        first_cell.insert_after(toc)
    return str(soup)


def export_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Render an executed notebook as a standalone HTML page that reads offline."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {"hide-input"}
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    exporter = HTMLExporter(config=config, template_name="site", extra_template_basedirs=[str(TEMPLATES)])
    describe_images(nb)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = add_page_toc(body)
    return re.sub(r'href="(\d\d_[a-z0-9_]+)\.ipynb', r'href="\1.html', body)


@dataclass
class Page:
    """One built page: where it is, how big, its tallest image, and the failure if a cell failed."""

    notebook: NotebookInfo
    path: Path
    size: int
    tallest_image: int
    seconds: float
    failure: CellFailure | str | None = None
    slowest: tuple[int, float] = (0, 0.0)


def png_heights(page: str) -> list[int]:
    """Pixel heights of the PNG images embedded in an HTML page (read from each PNG's header)."""
    heights = []
    for data in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]{32})', page):
        header = base64.b64decode(data)
        heights.append(int.from_bytes(header[20:24], "big"))
    return heights


def corpus_line(seeds: Path) -> str:
    """One line about the corpus for the index page: documents loaded and files that could not be."""
    from helpers.corpus import CorpusError, read_corpus

    try:
        docs, bad = read_corpus(seeds)
    except CorpusError as err:
        return str(err)
    line = f"{len(docs):,} document(s) loaded"
    if len(bad):
        line += f", {len(bad)} file(s) could not be read ({bad['file'].iloc[0]}: {bad['reason'].iloc[0]}"
        line += ", ...)" if len(bad) > 1 else ")"
    undated = int(docs["date"].isna().sum())
    if undated:
        line += f"; {undated} without a header date"
    return line + "."


def index_page(pages: list[Page], corpus: str, about: str) -> str:
    """The site's front page: every notebook with its summary, and which pages failed and why."""

    def status(page: Page) -> str:
        if not page.failure:
            return "<td>ok</td>"
        return f'<td class="failed">⚠ failed: {html.escape(str(page.failure))}</td>'

    rows = "\n".join(
        f'<tr><td><a href="{html.escape(p.notebook.html_name)}">{html.escape(p.notebook.title)}</a></td>'
        f"<td>{html.escape(p.notebook.summary)}</td>{status(p)}</tr>"
        for p in pages
    )
    failed = [p for p in pages if p.failure]
    status = (
        f'<p class="failed"><strong>{len(failed)} of {len(pages)} pages failed to build</strong>; '
        "each failed page shows where it stopped.</p>"
        if failed
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>News text analysis: the notebooks</title>
<link rel="stylesheet" href="site.css">
<style>
table {{ border-collapse: collapse; font-family: system-ui, sans-serif; }}
td, th {{ border-bottom: 1px solid #d0d7de; padding: .4em .8em; text-align: left; }}
.failed {{ color: #a40e26; }}
</style></head>
<body><main>
<h1>News text analysis: the notebooks</h1>
<p>Each notebook was executed top to bottom in a fresh kernel on the corpus
<code>{html.escape(corpus)}</code>: {html.escape(about)} Read them in order.</p>
{status}
<table><thead><tr><th>Notebook</th><th>What it covers</th><th>Build</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</main></body></html>
"""


def build_page(path: Path, out: Path, seeds: Path | None, timeout: int = 600) -> Page:
    """Execute one notebook and write its page (also when a cell failed: the page says where)."""
    started = time.perf_counter()
    info = notebook_info(path)
    target = out / info.html_name
    nb, failure = execute(path, seeds, timeout)
    page = export_html(nb, info.title)
    target.write_text(page, encoding="utf-8")
    seconds = time.perf_counter() - started
    tallest = max(png_heights(page), default=0)
    return Page(info, target, len(page.encode()), tallest, seconds, failure, slowest_cell(nb))


def analyse_corpora(notebooks: Path, seeds: Path | None, log=print) -> None:
    """Analyse each corpus the notebooks read into its store once, before they run side by side
    (`helpers.open_corpus` in each then finds nothing to do), and say what was analysed. Any problem
    is left for the notebooks to report, cell by cell."""
    from helpers.store import analyse, default_store

    for corpus in [seeds] if seeds else default_corpora(notebooks):
        try:
            run = analyse(corpus, default_store(corpus), wait=None, progress=False, say=log)
        except Exception as err:  # noqa: BLE001 - the notebooks say what is wrong, cell by cell
            log(f"{corpus}: not analysed before the notebooks ({type(err).__name__}: {err})")
            continue
        log(f"{corpus.name}: {run}")


DEFAULT_CORPUS = re.compile(r"^CORPUS = [\"']([^\"']+)[\"']", flags=re.M)


def default_corpora(notebooks: Path) -> list[Path]:
    """The corpus folders the notebooks read when no SEEDS is given (their `CORPUS` parameter)."""
    found = []
    for path in notebook_paths(notebooks):
        cell = next(
            (
                c
                for c in nbformat.read(path, as_version=4).cells
                if "parameters" in c.metadata.get("tags", [])
            ),
            None,
        )
        match = DEFAULT_CORPUS.search(cell.source) if cell else None
        if match:
            found.append((notebooks / match.group(1)).resolve())
    return list(dict.fromkeys(found))


def build_site(
    notebooks: Path = NOTEBOOKS,
    out: Path = BUILD,
    seeds: Path | None = None,
    log=print,
    workers: int = 2,
    timeout: int = 600,
) -> list[Page]:
    """Execute every notebook (`workers` kernels at a time), write a page each and out/index.html.

    A failing or timed-out cell fails its page only: the others are built, the index says which
    pages failed and why, and then BuildError is raised naming every failure.
    """
    paths = notebook_paths(notebooks)
    if not paths:
        raise BuildError(f"no notebooks named NN_name.ipynb in {notebooks}")
    seeds = Path(seeds).resolve() if seeds else None
    out.mkdir(parents=True, exist_ok=True)
    (out / "site.css").write_text(CSS, encoding="utf-8")

    analyse_corpora(notebooks, seeds, log)
    # Each notebook runs in its own kernel, driven from its own process: kernel clients in threads of
    # one process were seen to hang now and then (a lost message), separate processes never did.
    pages = []
    with ProcessPoolExecutor(max_workers=max(workers, 1)) as pool:
        futures = [pool.submit(build_page, path, out, seeds, timeout) for path in paths]
        for path, future in zip(paths, futures):
            try:
                page = future.result()
            except Exception as err:  # the worker itself died: still list the page as failed
                page = Page(
                    notebook_info(path),
                    out / path.with_suffix(".html").name,
                    0,
                    0,
                    0.0,
                    f"{path.name}: the build process failed: {type(err).__name__}: {err}",
                )
            pages.append(page)
            if page.failure:
                log(f"FAILED {page.failure}")
            else:
                log(
                    f"built {page.path.name}: {page.seconds:.1f} s, {page.size / 1e6:.2f} MB, "
                    f"tallest image {page.tallest_image} px, "
                    f"slowest cell {page.slowest[0]} ({page.slowest[1]:.1f} s)"
                )
    corpus = str(seeds) if seeds else "seeds/ (the project's seed articles)"
    others = [c for c in default_corpora(notebooks) if c != SEEDS.resolve()] if not seeds else []
    if others:  # a notebook that reads another corpus by default (06: the example corpus)
        corpus += "; notebooks whose subject needs many documents read " + ", ".join(
            str(c.relative_to(ROOT)) if c.is_relative_to(ROOT) else str(c) for c in others
        )
    (out / "index.html").write_text(index_page(pages, corpus, corpus_line(seeds or SEEDS)), encoding="utf-8")
    failures = [str(p.failure) for p in pages if p.failure]
    if failures:
        raise BuildError(f"{len(failures)} of {len(pages)} notebooks failed:\n" + "\n".join(failures))
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.site_build", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="execute the notebooks and write the HTML site")
    build.add_argument("--seeds", type=Path, default=None, help="corpus folder (default: seeds/)")
    build.add_argument("--out", type=Path, default=BUILD)
    build.add_argument("--notebooks", type=Path, default=NOTEBOOKS)
    build.add_argument("--workers", type=int, default=2, help="notebooks executed at a time (default 2)")
    build.add_argument("--cell-timeout", type=int, default=600, help="seconds one cell may run (default 600)")
    nav = sub.add_parser("nav", help="regenerate navigation cells from the file names")
    nav.add_argument("--check", action="store_true", help="only report stale navigation")
    nav.add_argument("--notebooks", type=Path, default=NOTEBOOKS)
    args = parser.parse_args(argv)
    if args.command == "nav":
        stale = stale_navigation(args.notebooks) if args.check else write_navigation(args.notebooks)
        for name in stale:
            print(("stale: " if args.check else "updated: ") + name)
        return 1 if (args.check and stale) else 0
    if args.seeds is not None and not args.seeds.is_dir():
        print(f"error: corpus folder {args.seeds} does not exist", file=sys.stderr)
        return 2
    try:
        build_site(args.notebooks, args.out, args.seeds, workers=args.workers, timeout=args.cell_timeout)
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        if (args.out / "index.html").exists():
            print(f"site written to {args.out / 'index.html'}, with the failed pages marked", file=sys.stderr)
        return 1
    print(f"site written to {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
