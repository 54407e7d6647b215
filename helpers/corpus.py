"""Load a folder of news texts into a documents table, reporting bad files by name."""

from __future__ import annotations

import hashlib
import re
import warnings
from datetime import date
from pathlib import Path

import pandas as pd

from helpers.duplicates import COPY_COLUMNS, copies
from helpers.isolation import problems_of, with_problems

DOC_COLUMNS = ["doc_id", "path", "date", "title", "dateline", "source", "text"]
PROBLEM_COLUMNS = ["file", "path", "stage", "reason"]  # stage: "load", or the finder that failed

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


class EmptyCorpus(CorpusError):
    """A folder whose files were all unreadable: there is nothing to analyse."""

    def _render_traceback_(self) -> list[str]:  # IPython shows the message alone, not a traceback
        return [f"EmptyCorpus: {self}"]


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


def corpus_listing(folder: str | Path) -> tuple[list[Path], pd.DataFrame]:
    """(the .txt files a corpus folder holds, sorted; problems rows for what in it is not read).

    Not read, and said: a subfolder holding .txt files (a corpus is one folder: point the collection
    at the subfolder to read it), a link that leads out of the folder (a corpus never reads a file
    elsewhere on the machine) or to nothing. Not read, and not said: hidden entries (".git",
    ".ipynb_checkpoints", an editor's lock files) and files that do not end in ".txt".
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError(f"corpus folder {folder} does not exist or is not a folder")
    root = folder.resolve()
    paths, unread = [], []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        reason = None
        if entry.is_symlink() and not entry.resolve().is_relative_to(root):
            reason = f"a link to {entry.resolve()}, outside the corpus folder: not followed"
        elif entry.is_dir():
            count = sum(1 for p in entry.rglob("*.txt") if not any(x.startswith(".") for x in p.parts))
            if count:
                reason = (
                    f"a subfolder with {count} .txt file(s), not read: a corpus is one folder "
                    f"(point the collection at {entry} to read them)"
                )
        elif entry.suffix == ".txt":
            if entry.is_file():
                paths.append(entry)
            else:
                reason = "a link to a file that does not exist"
        if reason:
            unread.append({"file": entry.name, "path": str(entry), "stage": "load", "reason": reason})
    if not paths:
        said = f" ({listed(u['file'] + ': ' + u['reason'] for u in unread)})" if unread else ""
        raise CorpusError(f"corpus folder {folder} has no .txt files{said}")
    return paths, pd.DataFrame(unread, columns=PROBLEM_COLUMNS)


def read_corpus(folder: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (documents, problems) for the .txt files of a folder (and what in it was not read)."""
    paths, unread = corpus_listing(folder)
    docs, bad = read_files(paths)
    return docs, pd.concat([unread, bad], ignore_index=True) if len(unread) else bad


def file_hash(raw: bytes) -> str:
    """What tells one version of a file from another: a hash of its bytes."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def read_bytes_whole(path: Path) -> bytes:
    """A file's bytes; an OSError that says so when it vanishes or changes while being read."""
    try:
        before = path.stat()
        raw = path.read_bytes()
        after = path.stat()
    except FileNotFoundError:
        raise OSError("the file vanished while it was being read") from None
    if (before.st_size, before.st_mtime_ns, len(raw)) != (after.st_size, after.st_mtime_ns, after.st_size):
        raise OSError("the file changed while it was being read: read the folder again once it is complete")
    return raw


def read_files(paths: list[Path], hashes: dict | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (documents, problems) for the given .txt files. `hashes`, when given, gets each file's
    name -> `file_hash` of the bytes read (the store keeps them)."""
    rows, problems = [], []
    for path in paths:
        try:
            raw = read_bytes_whole(path)
            if hashes is not None:
                hashes[path.name] = file_hash(raw)
            doc = parse_document(decode(raw))
        except (BadDocument, OSError) as err:
            problems.append({"file": path.name, "path": str(path), "stage": "load", "reason": str(err)})
            continue
        rows.append({"doc_id": path.stem, "path": str(path), **doc})
    docs = pd.DataFrame(rows, columns=DOC_COLUMNS)
    docs["date"] = pd.to_datetime(docs["date"])
    return docs, pd.DataFrame(problems, columns=PROBLEM_COLUMNS)


WARN_EACH = 5  # files warned of one by one at most


def load_corpus(folder: str | Path, keep_copies: bool = False) -> pd.DataFrame:
    """Load every .txt file of a folder as one row; bad files warn and go to `problems(docs)` (one
    warning each, or one for them all past WARN_EACH: a page is not a wall of warnings).

    A document whose body is an exact copy of another's (the same statement under two file names)
    is left out, so that each text counts once; `keep_copies=True` keeps it. Exact and near copies
    are listed by `copies_found(docs)` and named by `corpus_overview`."""
    docs, bad = read_corpus(folder)
    found = copies(docs)
    if not keep_copies:
        exact = found.loc[found["kind"] == "exact", "doc_id"]
        docs = docs[~docs["doc_id"].astype(str).isin(exact)].reset_index(drop=True)
    if len(bad) > WARN_EACH:
        named = listed((f"{f}: {r}" for f, r in zip(bad["file"], bad["reason"])), WARN_EACH)
        warnings.warn(f"{len(bad)} files in {folder} could not be read ({named})", stacklevel=2)
    for row in bad.itertuples() if len(bad) <= WARN_EACH else ():
        warnings.warn(f"{row.path}: {row.reason}", stacklevel=2)
    # plain records, not a DataFrame: pandas compares attrs when it combines frames (concat, astype)
    docs.attrs["problems"] = bad.to_dict("records")
    docs.attrs["folder"] = str(folder)
    docs.attrs["copies"] = found.to_dict("records")
    docs.attrs["copies_kept"] = keep_copies
    return docs


def copies_found(docs: pd.DataFrame) -> pd.DataFrame:
    """The copies `load_corpus` found: doc_id, copy_of, kind ("exact" or "near"), similarity."""
    return pd.DataFrame(docs.attrs.get("copies", []), columns=COPY_COLUMNS)


def problems(table: pd.DataFrame) -> pd.DataFrame:
    """What was left out of a table, one row per file and stage with the reason: for documents, the
    files `load_corpus` could not load; for a finder's table, the documents it failed on."""
    return pd.DataFrame(table.attrs.get("problems", []), columns=PROBLEM_COLUMNS)


def offsets_exact(table: pd.DataFrame, docs: pd.DataFrame, column: str = "text") -> bool:
    """True when every row's `column` is exactly its document's text[start:end] (one pass per document);
    a row whose `part` is "title" is read in its document's title."""
    texts = {(d, "body"): t for d, t in zip(docs["doc_id"].astype(str), docs["text"])}
    if "title" in docs:
        texts |= {(d, "title"): t for d, t in zip(docs["doc_id"].astype(str), docs["title"])}
    parts = table["part"].astype(str) if "part" in table else pd.Series("body", index=table.index)
    for (doc_id, part), rows in table.groupby([table["doc_id"].astype(str), parts], sort=False):
        text = texts[doc_id, part]
        if any(text[s:e] != t for s, e, t in zip(rows["start"], rows["end"], rows[column])):
            return False
    return True


def far_dated(docs: pd.DataFrame) -> pd.Series:
    """True for each document whose header date lies far from the others': more than three times the
    spread of the middle half, and a year, beyond it (a mistyped year: 0001, 9999, 2203). Charts and
    tables over time leave these out, and `corpus_overview` names them."""
    days = docs["date"] if "date" in docs else pd.Series(pd.NaT, index=docs.index)
    known = days.dropna()
    if len(known) < 4:
        return pd.Series(False, index=docs.index)
    q1, q3 = known.quantile(0.25), known.quantile(0.75)
    reach = 3 * (q3 - q1) + pd.Timedelta(days=366)
    # distances, not q1 - reach: that date could fall before year 1
    return days.notna() & ((q1 - days > reach) | (days - q3 > reach))


def publication_dates(docs: pd.DataFrame) -> pd.Series:
    """The header dates that place documents in time: every one but those far from the rest."""
    return docs.loc[~far_dated(docs), "date"].dropna()


class Note(str):
    """Markdown text that notebooks display as Markdown (and tests read as text)."""

    def _repr_markdown_(self) -> str:
        return str(self)


def listed(names, most: int = 3, sep: str = "; ") -> str:
    """The first `most` items joined by `sep`, with a count of the rest."""
    names = [str(n) for n in names]
    more = f"{sep}and {len(names) - most} more" if len(names) > most else ""
    return sep.join(names[:most]) + more


def corpus_overview(docs: pd.DataFrame) -> Note:
    """What was loaded, in a few lines: documents, dates, files left out, documents without a date.

    Raises EmptyCorpus, naming every bad file and its reason, when no document could be loaded.
    """
    bad = problems(docs)
    folder = docs.attrs.get("folder", "the corpus folder")
    reasons = [f"{f}: {r}" for f, r in zip(bad["file"], bad["reason"])]
    if docs.empty:
        raise EmptyCorpus(
            f"no document could be loaded from {folder}: all {len(bad)} file(s) are unreadable "
            f"({listed(reasons, 5)}). Nothing below can run; fix or remove these files."
        )
    dated = publication_dates(docs)
    first, last = (f"{dated.min():%d %B %Y}", f"{dated.max():%d %B %Y}") if len(dated) else ("", "")
    when = f", published {first}" + (f" to {last}" if last != first else "") if first else ""
    lines = [f"**Corpus** `{Path(folder).name}`: **{len(docs)}** document(s){when}."]
    if len(bad):
        lines.append(
            f"**{len(bad)}** file(s) could not be read and are left out (`helpers.problems(docs)` "
            f"lists them): {listed(reasons)}."
        )
    far = docs[far_dated(docs)]
    if len(far):
        named = [f"{d} ({day.date().isoformat()})" for d, day in zip(far["doc_id"], far["date"])]
        lines.append(
            f"**{len(far)}** document(s) are dated far from all the others ({listed(named)}): a mistyped "
            "year? Charts and tables over time leave them out."
        )
    lines += copies_said(docs)
    undated = docs.loc[docs["date"].isna(), "doc_id"]
    if len(undated):
        lines.append(
            f"**{len(undated)}** document(s) have no header line `date YYYY-MM-DD Title` "
            f'({listed(undated)}): relative dates in them ("last week") cannot be resolved.'
        )
    return Note("  \n".join(lines))


def copies_said(docs: pd.DataFrame) -> list[str]:
    """The overview's lines on copies: exact ones (left out, or kept when asked), near ones (kept)."""
    found, lines = copies_found(docs), []
    exact, near = found[found["kind"] == "exact"], found[found["kind"] == "near"]
    if len(exact):
        pairs = [f"`{d}` = `{c}`" for d, c in zip(exact["doc_id"], exact["copy_of"])]
        what = (
            "kept, as asked (`keep_copies=True`): they count twice"
            if docs.attrs.get("copies_kept")
            else "each is counted once: the copy (the first named) is left out; `load_corpus(CORPUS, "
            "keep_copies=True)` keeps it"
        )
        lines.append(f"**{len(exact)}** document(s) are exact copies of another ({listed(pairs)}): {what}.")
    if len(near):
        pairs = [
            f"`{d}` ~ `{c}` ({s:.0%})" for d, c, s in zip(near["doc_id"], near["copy_of"], near["similarity"])
        ]
        lines.append(
            f"**{len(near)}** pair(s) of documents are near copies, sharing at least 90% of their "
            f"five-word phrases ({listed(pairs)}): both are kept; read them before counting them twice."
        )
    return lines


def headlines(docs: pd.DataFrame) -> pd.DataFrame:
    """The titles as a documents table of their own (doc_id "<id>#title"), for finders to read.

    Offsets of findings in it index the title, not the body.
    """
    titled = docs[docs["title"].astype(bool)]
    return titled.assign(doc_id=titled["doc_id"] + "#title", text=titled["title"]).reset_index(drop=True)


def in_body_and_title(find, docs: pd.DataFrame, documents=None, finish=None) -> pd.DataFrame:
    """A finder's mentions in the bodies and in the titles, in one table: `part` says where ("body" or
    "title") and the offsets index that part. `find(docs, documents)` is called as it is, on `docs` and
    on `headlines(docs)`; title rows keep their document's doc_id. `finish(table)`, when given, runs
    on the whole table (the actors' corpus-wide linking: one person in a title and a body is one)."""
    body = (find(docs) if documents is None else find(docs, documents)).assign(part="body")
    if "title" not in docs or not docs["title"].astype(bool).any():
        return body
    titles = find(headlines(docs))
    titles = titles.assign(doc_id=titles["doc_id"].astype(str).str.removesuffix("#title"), part="title")
    both = pd.concat([t for t in (body, titles) if len(t)] or [body], ignore_index=True)
    both = finish(both) if finish is not None and len(both) else both
    return with_problems(both, problems_of(body, titles))
