"""The whole analysis over a folder, in batches: streamed, in processes on one machine, or on Dask.

Each batch of files is loaded, tokenized and analysed on its own (the per-document functions of
the other modules), and only the tables asked for are kept: the tokens are dropped after each
batch and term counts are added up over the corpus, so memory grows with the mentions found,
not with the tokens. With `out=folder` each batch's tables go to Parquet files as they come
(`out/<table>/part-00000.parquet`, ...): the parent holds one batch at a time (see `analyse_folder`).
"""

from __future__ import annotations

import os
import traceback
import warnings
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from helpers.context import contexts
from helpers.corpus import PROBLEM_COLUMNS, corpus_files, in_body_and_title, read_files
from helpers.registry import FINDERS
from helpers.spans import resolve_overlaps
from helpers.terms import term_counts
from helpers.tokens import tokenize

BASE_TABLES = ("documents", "problems", "term_counts")


def tables() -> tuple[str, ...]:
    """Every table the pipeline can make: documents, problems, term counts and one per registered finder."""
    return (*BASE_TABLES, *FINDERS)


def analyse_batch(paths: list[Path], keep: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """Load and analyse one batch of files; return the tables named in `keep` (default: all)."""
    keep = tables() if keep is None else keep
    docs, problems = read_files([Path(p) for p in paths])
    out = {"documents": docs.drop(columns="text"), "problems": problems}
    if "term_counts" in keep:
        tokens = tokenize(docs)
        counts = term_counts(tokens, stop_words=True)  # the batch's counts; `combine` adds them up
        out["term_counts"] = counts.assign(words=int((~tokens["is_punct"]).sum()))
    documents = contexts(docs)  # made once: every finder shares its sentences
    for name, finder in FINDERS.items():
        if name in keep:  # mentions in titles too, marked part == "title"
            out[name] = in_body_and_title(finder.find, docs, documents, finder.corpus_step)
    return {name: table for name, table in out.items() if name in keep}


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
    """`analyse_batch`, or, when it fails, only a problems table naming each of its files and the error."""
    try:
        return analyse_batch(paths, keep)
    except Exception as error:  # one bad batch must not stop the corpus: it is reported, by file
        reason = f"batch failed: {type(error).__name__}: {error} ({traceback.format_exc(limit=-1).strip()})"
        rows = [(Path(p).name, p, reason) for p in paths]
        return {"problems": pd.DataFrame(rows, columns=PROBLEM_COLUMNS), "failed": True}


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
            if name in part:  # a failed batch has its problems table only
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


def add_term_counts(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Corpus term counts (stop words included, punctuation left out) from the batches' counts."""
    words = sum(int(t["words"].iloc[0]) for t in tables if len(t))
    tables = [t for t in tables if len(t)]
    if not tables:
        return pd.DataFrame(columns=["term", "count", "per_1000"])
    counts = pd.concat(tables)[["term", "count"]].groupby("term", as_index=False)["count"].sum()
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
    chunks = batches(corpus_files(folder), batch_size)
    workers = workers or os.cpu_count() or 1
    show = len(chunks) >= 10 if progress is None else progress
    if workers == 1 or len(chunks) == 1:
        parts = watched((safe_batch(c, keep) for c in chunks), len(chunks), show)
        return finish(parts, keep, out)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = watched(pool.map(safe_batch, chunks, [keep] * len(chunks)), len(chunks), show)
        return finish(parts, keep, out)


def watched(parts: Iterable[dict], total: int, show: bool) -> Iterator[dict]:
    """The batches' tables as they come, with a progress bar when `show`; a failed batch is warned of."""
    if show:
        from tqdm import tqdm

        parts = tqdm(parts, total=total, desc="batches", unit="batch")
    for part in parts:
        if part.get("failed"):
            problems = part["problems"]
            files = ", ".join(problems["file"])
            warnings.warn(f"a batch failed and was left out ({files}): {problems['reason'][0]}", stacklevel=3)
        yield part


def finish(
    parts: Iterable[dict], keep: tuple[str, ...], out: str | Path | None
) -> dict[str, pd.DataFrame] | Path:
    if out is None:
        return with_all_mentions(combine(parts, keep), keep)
    return write_parquet(parts, keep, Path(out))


def write_parquet(parts: Iterable[dict], keep: tuple[str, ...], out: Path) -> Path:
    """Write each batch's tables as they come (`out/<table>/part-NNNNN.parquet`), then what needs the
    whole corpus: term counts added up (one file), the finders' corpus steps (actors: `link_people`,
    on the whole actors table read back, the one table then held in memory) and `mentions`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = tuple(name for name in keep if name != "mentions")
    for name in names:
        (out / name).mkdir(parents=True, exist_ok=True)
        for old in (out / name).glob("*.parquet"):
            old.unlink()  # an earlier run's parts would be read as this run's
    written: dict[str, int] = dict.fromkeys(names, 0)
    empty: dict[str, pd.DataFrame] = {}
    for part in parts:
        for name in names:
            if name not in part:
                continue
            table = part[name]
            if not len(table):
                empty.setdefault(name, table)
                continue
            table.to_parquet(out / name / f"part-{written[name]:05d}.parquet", index=False)
            written[name] += 1
    for name in names:
        files = sorted((out / name).glob("part-*.parquet"))
        if not files:  # no rows in any batch: one empty file, so the table is there with its columns
            empty.get(name, pd.DataFrame()).to_parquet(out / name / "part-00000.parquet", index=False)
            continue
        schema = pa.unify_schemas([pq.read_schema(f) for f in files], promote_options="permissive")
        for f in files:  # a column without a value in one batch (null) takes the others' type
            if not pq.read_schema(f).equals(schema, check_metadata=False):
                pq.write_table(pq.read_table(f).cast(schema), f)
        if name == "term_counts" or (name in FINDERS and FINDERS[name].corpus_step is not None):
            if name == "term_counts":  # each batch's counts with its number of words
                table = add_term_counts([pd.read_parquet(f) for f in files])
            else:
                table = corpus_step(name, pd.read_parquet(out / name))
            for f in files:
                f.unlink()
            table.to_parquet(out / name / "part-00000.parquet", index=False)
    if "mentions" in keep:
        all_mentions(read_tables(out)).to_parquet(out / "mentions.parquet", index=False)
    return out


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
        if p.is_dir()
    }
    if (path / "mentions.parquet").exists():  # made from the others: no categoricals of its own
        found["mentions"] = pq.read_table(path / "mentions.parquet").to_pandas()
    return found


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
    import dask.bag as db

    keep = tables() if keep is None else keep
    chunks = batches(corpus_files(folder), batch_size)
    bag = db.from_sequence(chunks, npartitions=len(chunks)).map(analyse_batch, keep=keep)
    parts = client.compute(bag).result() if client is not None else bag.compute()
    return with_all_mentions(combine(parts, keep), keep)
