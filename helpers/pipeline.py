"""The whole analysis of a folder as tables: the store's (helpers.store), returned or left on disk.

`analyse_folder(folder)` analyses the folder into a store (a temporary one, or `out`) and returns the
tables; `analyse_folder(folder, out=path)` keeps the store and returns its path (`read_tables(path)`,
`helpers.store.open_store(path)`). One analysis path: on one machine (`workers`) or on a Dask cluster
(`client`), each batch written as Parquet where it is made, the corpus-wide steps run on the parts.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pandas as pd

from helpers.registry import FINDERS
from helpers.spans import resolve_overlaps
from helpers.store import BATCH_SIZE, analyse, open_store

BASE_TABLES = ("documents", "problems", "term_counts")


def tables() -> tuple[str, ...]:
    """Every table the pipeline can make: documents, problems, term counts and one per registered finder."""
    return (*BASE_TABLES, *FINDERS)


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
    spans = rows.drop_duplicates(keys).reset_index(drop=True)
    starts, ends, ranks = (spans[c].to_numpy() for c in ("start", "end", "rank"))
    kept = [
        index
        for positions in spans.groupby(["doc_id", "part"], sort=False).indices.values()
        for index in resolve_overlaps(
            positions.tolist(), span=lambda i: (int(starts[i]), int(ends[i])), priority=lambda i: ranks[i]
        )
    ]
    combined = rows.merge(spans.loc[kept, keys], on=keys)
    return combined.sort_values(["doc_id", "part", "start", "rank"], kind="stable").reset_index(drop=True)[
        MENTION_COLUMNS
    ]


def categorical_columns(name: str) -> tuple[str, ...]:
    return (*FINDERS[name].categorical, "part") if name in FINDERS else ("doc_id",)


def as_categoricals(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """The table's repeated strings as categoricals (the finder's `categorical` columns, or doc_id)."""
    for column in categorical_columns(name):
        if column in table and len(table):
            table[column] = table[column].astype("category")
    return table


def analyse_folder(
    folder: str | Path,
    batch_size: int = BATCH_SIZE,
    workers: int = 1,
    keep: tuple[str, ...] | None = None,
    out: str | Path | None = None,
    progress: bool | None = None,
    client=None,
) -> dict[str, pd.DataFrame] | Path:
    """Every stage over a folder, in batches of files, in `workers` processes or on a Dask `client`.

    Returns the tables named in `keep` (default: all, `tables()` and "mentions"); with `out`, the
    store stays there (analysed again only where the folder changed) and its path is returned. What a
    finder left out of a document, or a file left out whole, is a problems row, warned of by name."""
    keep = (*tables(), "mentions") if keep is None else keep
    if out is not None:
        analysed(folder, Path(out), batch_size, workers, progress, client)
        return Path(out)
    with tempfile.TemporaryDirectory(prefix="helpers-store-") as store:
        analysed(folder, Path(store), batch_size, workers, progress, client)
        found = read_tables(store)
    return {name: table for name, table in found.items() if name in keep or name == "problems"}


def analysed(folder, store: Path, batch_size: int, workers: int, progress, client) -> None:
    analyse(folder, store, client, workers, batch_size, progress, say=lambda _: None)
    problems = open_store(store).problems
    failed = problems[problems["stage"] != "load"]
    for path, stage, reason in zip(failed["path"], failed["stage"], failed["reason"]):
        warnings.warn(f"{path}: {stage} left out ({reason})", stacklevel=3)


def read_tables(path: str | Path) -> dict[str, pd.DataFrame]:
    """A store's tables: documents (without texts), problems, term_counts, one per finder (bodies and
    titles, `part`), mentions; exact copies left out; repeated strings as categoricals."""
    store = open_store(path)
    documents = store.documents[~store.documents["copy"]]
    found = {
        "documents": documents.drop(columns=["file", "hash", "words", "copy"]).reset_index(drop=True),
        "problems": store.problems,
        "term_counts": store.term_counts,
        **{name: as_categoricals(name, store.table(name)) for name in FINDERS},
        "mentions": store.mentions,
    }
    return found
