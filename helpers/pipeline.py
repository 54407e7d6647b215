"""The whole analysis over a folder, in batches: streamed, in processes on one machine, or on Dask.

Each batch of files is loaded, tokenized and analysed on its own (the per-document functions of
the other modules), and only the tables asked for are kept: the tokens are dropped after each
batch and term counts are added up over the corpus, so memory grows with the mentions found,
not with the tokens. With `out=folder` each batch's tables go to Parquet files as they come
(`out/<table>/part-00000.parquet`, ... one per batch), and the steps that need the whole corpus (the
actors' linking, `mentions`) read them back one batch at a time: the parent holds one batch at a time.
"""

from __future__ import annotations

import os
import traceback
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from helpers.context import contexts
from helpers.corpus import PROBLEM_COLUMNS, corpus_listing, in_body_and_title, read_files
from helpers.corpus import problems as helpers_problems
from helpers.isolation import LeftOut
from helpers.registry import FINDERS
from helpers.spans import resolve_overlaps
from helpers.terms import term_counts
from helpers.tokens import tokenize

BASE_TABLES = ("documents", "problems", "term_counts")


def tables() -> tuple[str, ...]:
    """Every table the pipeline can make: documents, problems, term counts and one per registered finder."""
    return (*BASE_TABLES, *FINDERS)


def analyse_batch(paths: list[Path], keep: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Load and analyse one batch of files; return the tables named in `keep` (default: all). What a
    finder left out of a document is a row of `problems` (the pipeline warns of it once, by name)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeftOut)
        return analysed_batch(paths, keep)


def analysed_batch(paths: list[Path], keep: tuple[str, ...] | None) -> dict[str, pd.DataFrame]:
    keep = tables() if keep is None else keep
    docs, problems = read_files([Path(p) for p in paths])
    out = {"documents": docs.drop(columns="text")}
    found = [problems]  # a finder that fails on a document says so in its table's problems
    if "term_counts" in keep:
        tokens = tokenize(docs)
        counts = term_counts(tokens, stop_words=True)  # the batch's counts; `combine` adds them up
        out["term_counts"] = counts.assign(words=int((~tokens["is_punct"]).sum()))
        found.append(helpers_problems(tokens))
    try:
        documents = contexts(docs)  # made once: every finder shares its sentences
    except Exception:  # each finder makes its own, document by document, and names the one that fails
        documents = None
    for name, finder in FINDERS.items():
        if name in keep:  # mentions in titles too, marked part == "title"
            out[name] = in_body_and_title(finder.find, docs, documents, finder.corpus_step)
            found.append(helpers_problems(out[name]))
            out[name].attrs.clear()  # written as Parquet: pandas would keep attrs in its metadata
    out["problems"] = pd.concat(found, ignore_index=True)  # always: `watched` warns of what it names
    return {name: table for name, table in out.items() if name in keep or name == "problems"}


MENTION_COLUMNS = ["doc_id", "part", "start", "end", "text", "finder", "label"]


def all_mentions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every finder's mentions in one table (doc_id, part, start, end, text, finder, label), overlaps
    between finders resolved as within one: the longest span wins, then the finder registered first,
    then the earlier. Rows that share a kept span (a name linked to two treaties) all stay. `part`
    ("body" or "title") comes from the tables (body when they have none)."""
    parts = [
        tables[name]
        .assign(part=tables[name]["part"] if "part" in tables[name] else "body")[
            ["doc_id", "part", "start", "end", "text", finder.label]
        ]
        .astype({"doc_id": str, "part": str, finder.label: str})
        .rename(columns={finder.label: "label"})
        .assign(finder=name, rank=rank)
        for rank, (name, finder) in enumerate(FINDERS.items())
        if name in tables and len(tables[name])
    ]
    if not parts:
        return pd.DataFrame(columns=MENTION_COLUMNS)
    rows = pd.concat(parts, ignore_index=True)
    keys = ["doc_id", "part", "start", "end", "finder"]
    spans = rows.drop_duplicates(keys)
    kept = [
        index
        for _, doc in spans.groupby(["doc_id", "part"], sort=False)
        for index in resolve_overlaps(
            doc.index,
            span=lambda i: (int(spans.at[i, "start"]), int(spans.at[i, "end"])),
            priority=lambda i: spans.at[i, "rank"],
        )
    ]
    combined = rows.merge(spans.loc[kept, keys], on=keys)
    return combined.sort_values(["doc_id", "part", "start", "rank"], kind="stable").reset_index(drop=True)[
        MENTION_COLUMNS
    ]


def with_all_mentions(out: dict[str, pd.DataFrame], keep: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Add the "mentions" table (every finder's, overlaps resolved) when `keep` asks for it."""
    if "mentions" in keep:
        out["mentions"] = all_mentions(out)
    return out


def batches(paths: list[Path], size: int) -> list[list[str]]:
    return [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]


def safe_batch(paths: list[str], keep: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """`analyse_batch`; when it fails as a whole, each file analysed as a batch of its own, so that only
    the file that fails is left out (a problems row naming it and the error), never its batch."""
    try:
        return analyse_batch(paths, keep)
    except Exception as error:  # one bad file must not stop the corpus: it is reported, by name
        if len(paths) == 1:
            reason = f"{type(error).__name__}: {error} ({traceback.format_exc(limit=-1).strip()})"
            row = (Path(paths[0]).name, paths[0], "analysis", reason)
            return {"problems": pd.DataFrame([row], columns=PROBLEM_COLUMNS)}
    return together([safe_batch([path], keep) for path in paths], keep)


def together(parts: list[dict[str, pd.DataFrame]], keep: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """The tables of several one-file batches as one batch's: rows concatenated, term counts added
    up (with the words of all), the finders' corpus steps run over the whole (actors: one per person)."""
    out = {}
    for name in (*keep, "problems"):
        found = [part[name] for part in parts if name in part]
        if name == "term_counts":
            counts = add_term_counts(found).drop(columns="per_1000")
            out[name] = counts.assign(words=sum(int(t["words"].iloc[0]) for t in found if len(t)))
        elif found:
            out[name] = corpus_step(name, pd.concat(found, ignore_index=True))
    return out


def categorical_columns(name: str) -> tuple[str, ...]:
    return (*FINDERS[name].categorical, "part") if name in FINDERS else ("doc_id",)


def as_categoricals(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """The table's repeated strings as categoricals (the finder's `categorical` columns, or doc_id)."""
    for column in categorical_columns(name):
        if column in table and len(table):
            table[column] = table[column].astype("category")
    return table


def combine(parts: Iterable[dict[str, pd.DataFrame]], keep: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Concatenate the batches' tables; repeated strings become categoricals."""
    keep = tuple(name for name in keep if name != "mentions")  # made after combining: all_mentions
    collected: dict[str, list[pd.DataFrame]] = {name: [] for name in keep}
    for part in parts:
        for name in keep:
            if name in part:  # a file that failed whole has its problems row only
                collected[name].append(part[name])
    out = {}
    for name, tables in collected.items():
        if name == "term_counts":
            out[name] = add_term_counts(tables)
            continue
        table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
        out[name] = as_categoricals(name, corpus_step(name, table))
    return out


def corpus_step(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """What needs the whole corpus's table (actors: one actor per person), when the finder has it."""
    if name in FINDERS and FINDERS[name].corpus_step is not None and len(table):
        return FINDERS[name].corpus_step(table)
    return table


def add_term_counts(tables: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Corpus term counts (stop words included, punctuation left out) from the batches' counts, added
    up as they come (memory grows with the vocabulary, not with the batches)."""
    words, counts = 0, None
    for table in tables:
        if not len(table):
            continue
        words += int(table["words"].iloc[0])
        both = table[["term", "count"]] if counts is None else pd.concat([counts, table[["term", "count"]]])
        counts = both.groupby("term", as_index=False)["count"].sum()
    if counts is None:
        return pd.DataFrame(columns=["term", "count", "per_1000"])
    counts["per_1000"] = 1000 * counts["count"] / max(words, 1)
    return counts.sort_values(["count", "term"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def analyse_folder(
    folder: str | Path,
    batch_size: int = 500,
    workers: int = 1,
    keep: tuple[str, ...] | None = None,
    out: str | Path | None = None,
    progress: bool | None = None,
) -> dict[str, pd.DataFrame] | Path:
    """Run every stage over a folder in batches, in `workers` processes (0 = one per core).

    Returns the tables; with `out`, writes them as Parquet under that folder and returns its path
    (`read_tables(path)`, or `pandas.read_parquet(path / "actors")`, or Dask's `read_parquet`).
    A batch that fails is reported in `problems`, one row per file, and the others go on.
    `progress` shows a bar (tqdm) over the batches; by default from 10 batches on.
    """
    keep = tables() if keep is None else keep
    paths, unread = corpus_listing(folder)
    chunks = batches(paths, batch_size)
    workers = workers or os.cpu_count() or 1
    show = len(chunks) >= 10 if progress is None else progress
    if workers == 1 or len(chunks) == 1:
        parts = watched((safe_batch(c, keep) for c in chunks), len(chunks), show)
        return finish(with_unread(parts, unread), keep, out)
    with ProcessPoolExecutor(workers, initializer=parses_per_batch, initargs=(batch_size,)) as pool:
        parts = watched(in_order(pool, chunks, keep, ahead=2 * workers), len(chunks), show)
        return finish(with_unread(parts, unread), keep, out)


def with_unread(parts: Iterable[dict], unread: pd.DataFrame) -> Iterator[dict]:
    """The batches' tables, the first batch's problems led by what the folder holds and was not read
    (subfolders, links out of it: `corpus_listing`)."""
    for number, part in enumerate(parts):
        if number == 0 and len(unread):
            part = {**part, "problems": pd.concat([unread, part["problems"]], ignore_index=True)}
        yield part


def parses_per_batch(batch_size: int) -> None:
    """In a worker: keep the model's parses of about one batch (bodies and titles) in memory, not of
    every batch done (helpers.model keeps up to CACHE_LIMIT texts per process), so a worker's memory
    does not grow with the corpus; a worker's batches seldom share a text."""
    from helpers import model

    model.CACHE_LIMIT = 2 * batch_size


def in_order(
    pool: ProcessPoolExecutor, chunks: list[list[str]], keep: tuple[str, ...], ahead: int
) -> Iterator[dict]:
    """The batches' tables in order, as `pool.map` gives them, but with at most `ahead` batches given
    out and not yet taken: finished batches do not pile up in the parent when it writes them slower
    than the workers make them (`map` gives out every batch at once)."""
    pending: deque[Future] = deque()
    for chunk in chunks:
        pending.append(pool.submit(safe_batch, chunk, keep))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def watched(parts: Iterable[dict], total: int, show: bool) -> Iterator[dict]:
    """The batches' tables as they come, with a progress bar when `show`; what a finder left out of a
    document, or a file left out whole, is warned of by name (a worker process's own warnings are lost)."""
    if show:
        from tqdm import tqdm

        parts = tqdm(parts, total=total, desc="batches", unit="batch")
    for part in parts:
        failed = part["problems"][part["problems"]["stage"] != "load"]
        for path, stage, reason in zip(failed["path"], failed["stage"], failed["reason"]):
            warnings.warn(f"{path}: {stage} left out ({reason})", stacklevel=3)
        yield part


def finish(
    parts: Iterable[dict], keep: tuple[str, ...], out: str | Path | None
) -> dict[str, pd.DataFrame] | Path:
    if out is None:
        return with_all_mentions(combine(parts, keep), keep)
    return write_parquet(parts, keep, Path(out))


def part_file(folder: Path, number: int) -> Path:
    """Batch `number`'s file of a table: every table's part of one batch has the same name."""
    return folder / f"part-{number:05d}.parquet"


def write_parquet(parts: Iterable[dict], keep: tuple[str, ...], out: Path) -> Path:
    """Write each batch's tables as they come (`out/<table>/part-NNNNN.parquet`, NNNNN the batch's
    number; no file where a batch has no rows), then what needs the whole corpus, one batch's part in
    memory at a time: term counts added up (one file), the finders' corpus steps (actors: one actor
    per person, `Finder.corpus_step_on_parts`) and `mentions`, per batch from its part of each table."""
    names = tuple(name for name in keep if name != "mentions")
    folders = (*names, "mentions") if "mentions" in keep else names
    for name in folders:
        (out / name).mkdir(parents=True, exist_ok=True)
        for old in (out / name).glob("*.parquet"):
            old.unlink()  # an earlier run's parts would be read as this run's
    empty: dict[str, pd.DataFrame] = {}
    written = 0
    for number, part in enumerate(parts):
        written = number + 1
        for name in names:
            if name in part and len(part[name]):
                part[name].to_parquet(part_file(out / name, number), index=False)
            elif name in part:
                empty.setdefault(name, part[name])
    for name in names:
        files = sorted((out / name).glob("part-*.parquet"))
        if name == "term_counts" and files:  # each batch's counts with its number of words
            table = add_term_counts(pd.read_parquet(f) for f in files)
            for f in files:
                f.unlink()
            table.to_parquet(part_file(out / name, 0), index=False)
        elif name in FINDERS and files:
            corpus_step_on_parts(name, files)
    if "mentions" in keep:
        for number in range(written):
            found = {
                name: pd.read_parquet(part_file(out / name, number))
                for name in names
                if name in FINDERS and part_file(out / name, number).exists()
            }
            mentions = all_mentions(found)
            if len(mentions):
                mentions.to_parquet(part_file(out / "mentions", number), index=False)
        empty["mentions"] = all_mentions({})
    for name in folders:
        one_schema(out / name, empty.get(name, pd.DataFrame()))
    return out


def corpus_step_on_parts(name: str, files: list[Path]) -> None:
    """A finder's corpus step on its table's part files: its own streamed step when it has one, else
    `corpus_step` on the whole table read back, each document's rows written back to its batch's file."""
    finder = FINDERS[name]
    if finder.corpus_step_on_parts is not None:
        finder.corpus_step_on_parts(files)
    elif finder.corpus_step is not None:
        tables = [pd.read_parquet(f) for f in files]
        batch_of = {doc_id: f for f, t in zip(files, tables) for doc_id in t["doc_id"].astype(str)}
        whole = corpus_step(name, pd.concat(tables, ignore_index=True))
        for f in files:
            f.unlink()
        for f, rows in whole.groupby(whole["doc_id"].astype(str).map(batch_of), sort=False):
            rows.to_parquet(f, index=False)


def one_schema(folder: Path, empty: pd.DataFrame) -> None:
    """One schema over a table's part files: a column without a value in one batch (null) takes the
    others' type; a table without rows gets one empty file, so it is there with its columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = sorted(folder.glob("part-*.parquet"))
    if not files:
        empty.to_parquet(part_file(folder, 0), index=False)
        return
    schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
    for f in files:
        if not pq.read_schema(f).equals(schema, check_metadata=False):
            pq.write_table(pq.read_table(f).cast(schema), f)


def read_tables(path: str | Path) -> dict[str, pd.DataFrame]:
    """The tables `analyse_folder(..., out=path)` wrote, as its in-memory path returns them: the same
    rows, values and categoricals; strings as pandas' `str` (in memory a table concatenated with an
    empty batch has them as object) and dates as `datetime.date` objects (pandas' and Dask's own
    `read_parquet` give datetime64)."""
    import pyarrow.parquet as pq

    path = Path(path)
    found = {
        p.name: as_categoricals(p.name, pq.read_table(p).to_pandas(date_as_object=True))
        for p in sorted(path.iterdir())
        if p.is_dir() and p.name != "mentions"
    }
    if (path / "mentions").is_dir():  # made from the others: no categoricals of its own
        found["mentions"] = in_mention_order(pq.read_table(path / "mentions").to_pandas())
    return found


def in_mention_order(mentions: pd.DataFrame) -> pd.DataFrame:
    """The batches' mentions in the order of `all_mentions` over the whole corpus: by doc_id, part,
    start and finder (each batch is in that order; a file name's order can differ from its doc_id's)."""
    rank = mentions["finder"].map({name: rank for rank, name in enumerate(FINDERS)})
    order = mentions.assign(rank=rank).sort_values(["doc_id", "part", "start", "rank"], kind="stable").index
    return mentions.loc[order].reset_index(drop=True)


def analyse_with_dask(
    folder: str | Path,
    batch_size: int = 500,
    keep: tuple[str, ...] | None = None,
    client=None,
) -> dict[str, pd.DataFrame]:
    """The same tables, computed by Dask: one task per batch of files (a `dask.bag`).

    With `client` (a `distributed.Client`) the work runs on that cluster; every worker must see
    the files at the same paths (a shared file system) and have this package installed.
    """
    try:
        import dask.bag as db
    except ImportError as error:  # a reader's install (requirements.txt) has no Dask
        raise ImportError(
            "analyse_with_dask needs Dask: `pip install -r requirements-dev.txt` (or `pip install "
            "'helpers[dask]'`); analyse_folder(..., workers=N) runs on one machine without it"
        ) from error

    keep = tables() if keep is None else keep
    paths, unread = corpus_listing(folder)
    chunks = batches(paths, batch_size)
    bag = db.from_sequence(chunks, npartitions=len(chunks)).map(safe_batch, keep=keep)
    parts = client.compute(bag).result() if client is not None else bag.compute()
    return with_all_mentions(combine(with_unread(parts, unread), keep), keep)
