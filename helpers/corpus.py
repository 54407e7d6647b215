"""Load a folder of news texts into a documents table, reporting bad files by name."""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"

DOC_COLUMNS = ["doc_id", "path", "date", "title", "dateline", "source", "text"]
PROBLEM_COLUMNS = ["file", "path", "reason"]

# `date YYYY-MM-DD Title` on the first line, leading spaces allowed.
HEADER = re.compile(r"\A[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?:[ \t]+([^\r\n]*?))?[ \t]*(?:\r?\n|\Z)")
# Blank lines between the header and the body.
BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)+")
# `ASTANA. KAZINFORM - ` / `LONDON, REUTERS — `: an upper-case place, then an upper-case source.
DATELINE = re.compile(
    r"\A[ \t]*(?P<dateline>[A-Z][A-Z .'-]*?[A-Z])[.,][ \t]+(?P<source>[A-Z][A-Z&.'-]*[A-Z])"
    r"[ \t]+[-–—][ \t]+"
)


class CorpusError(Exception):
    """A folder that cannot be loaded at all (missing, or without .txt files)."""


class BadDocument(ValueError):
    """One file that cannot be loaded; the message says why."""


def decode(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM); anything else is a BadDocument, never a guess."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadDocument("UTF-16 text (byte-order mark found); save it as UTF-8")
    if b"\x00" in raw:
        raise BadDocument("binary file (contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = raw[err.start : err.start + 4]
        raise BadDocument(
            f"not valid UTF-8: byte {bad[:1]!r} at offset {err.start} ({err.reason}); save the file as UTF-8"
        ) from None
    if not text.strip():
        raise BadDocument("empty file (nothing but whitespace)")
    return text


def parse_document(text: str) -> dict:
    """Split an optional `date YYYY-MM-DD Title` header from the body and find the dateline."""
    doc = {"date": pd.NaT, "title": "", "dateline": "", "source": "", "text": text}
    header = HEADER.match(text)
    if header:
        year, month, day, title = header.groups()
        try:
            doc["date"] = pd.Timestamp(date(int(year), int(month), int(day)))
        except ValueError as err:
            raise BadDocument(f"header has an impossible date {year}-{month}-{day} ({err})") from None
        doc["title"] = (title or "").strip()
        body = text[header.end() :]
        body = BLANK_LINES.sub("", body, count=1)
        if not body.strip():
            raise BadDocument("header line but no text after it")
        doc["text"] = body
    dateline = DATELINE.match(doc["text"])
    if dateline:
        doc["dateline"] = dateline["dateline"]
        doc["source"] = dateline["source"]
    return doc


def corpus_files(folder: str | Path | None = None) -> list[Path]:
    """The .txt files of a corpus folder (default: the seeds), sorted; an error names a bad folder."""
    folder = Path(folder) if folder is not None else SEEDS
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist or is not a folder")
    paths = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if not paths:
        raise CorpusError(f"corpus folder {folder} has no .txt files")
    return paths


def read_corpus(folder: str | Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (documents, problems) for the .txt files of a folder (default: the seeds)."""
    return read_files(corpus_files(folder))


def read_files(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (documents, problems) for the given .txt files."""
    rows, problems = [], []
    for path in paths:
        try:
            doc = parse_document(decode(path.read_bytes()))
        except (BadDocument, OSError) as err:
            problems.append({"file": path.name, "path": str(path), "reason": str(err)})
            continue
        rows.append({"doc_id": path.stem, "path": str(path), **doc})
    docs = pd.DataFrame(rows, columns=DOC_COLUMNS)
    docs["date"] = pd.to_datetime(docs["date"])
    return docs, pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


def load_corpus(folder: str | Path | None = None) -> pd.DataFrame:
    """Load every .txt file of a folder as one row; bad files warn and go to `problems(docs)`."""
    docs, bad = read_corpus(folder)
    for row in bad.itertuples():
        warnings.warn(f"{row.path}: {row.reason}", stacklevel=2)
    docs.attrs["problems"] = bad
    return docs


def problems(docs: pd.DataFrame) -> pd.DataFrame:
    """The files `load_corpus` could not load, with the reason for each."""
    return docs.attrs.get("problems", pd.DataFrame(columns=PROBLEM_COLUMNS))


def headlines(docs: pd.DataFrame) -> pd.DataFrame:
    """The titles as a documents table of their own (doc_id "<id>#title"), for finders to read.

    Offsets of findings in it index the title, not the body.
    """
    titled = docs[docs["title"].astype(bool)]
    return titled.assign(doc_id=titled["doc_id"] + "#title", text=titled["title"]).reset_index(drop=True)
