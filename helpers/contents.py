"""The collection's table of contents, read from the notebooks themselves (title and first line)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

NOTEBOOK_NAME = re.compile(r"^\d\d_[a-z0-9_]+\.ipynb$")
NAV_TAG = "nav"


@dataclass
class NotebookInfo:
    path: Path
    title: str
    summary: str

    @property
    def html_name(self) -> str:
        return self.path.with_suffix(".html").name


def notebook_paths(folder: str | Path = ".") -> list[Path]:
    """The collection's notebooks, NN_name.ipynb, in teaching order."""
    return sorted(p for p in Path(folder).glob("*.ipynb") if NOTEBOOK_NAME.match(p.name))


def notebook_info(path: Path) -> NotebookInfo:
    """Title (the first `# ` heading) and summary (the first plain line after it) of a notebook."""
    nb = nbformat.read(path, as_version=4)
    title, summary = path.stem, ""
    for cell in nb.cells:
        if cell.cell_type != "markdown" or NAV_TAG in cell.metadata.get("tags", []):
            continue
        lines = [line.strip() for line in cell.source.splitlines() if line.strip()]
        for i, line in enumerate(lines):
            if line.startswith("# "):
                title = line[2:].strip()
                rest = [x for x in lines[i + 1 :] if not x.startswith(("#", "|", "-", "*", ">"))]
                summary = rest[0] if rest else ""
                return NotebookInfo(path, title, summary)
    return NotebookInfo(path, title, summary)


def contents_table(folder: str | Path = ".") -> str:
    """A markdown table of the notebooks (link, title, summary), read from the notebooks themselves."""
    lines = ["| # | Notebook | What it covers |", "|---|---|---|"]
    for path in notebook_paths(folder):
        info = notebook_info(path)
        lines.append(f"| {path.name[:2]} | [{info.title}]({path.name}) | {info.summary} |")
    return "\n".join(lines)
