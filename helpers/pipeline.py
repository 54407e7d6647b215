"""The whole analysis over a folder, in batches: streamed, in processes on one machine, or on Dask.

Each batch of files is loaded, tokenized and analysed on its own (the per-document functions of
the other modules), and only the tables asked for are kept: the tokens are dropped after each
batch and term counts are added up over the corpus, so memory grows with the mentions found,
not with the tokens.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from helpers.context import contexts
from helpers.corpus import corpus_files, in_body_and_title, read_files
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


def combine(parts: Iterable[dict[str, pd.DataFrame]], keep: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Concatenate the batches' tables; repeated strings become categoricals."""
    keep = tuple(name for name in keep if name != "mentions")  # made after combining: all_mentions
    collected: dict[str, list[pd.DataFrame]] = {name: [] for name in keep}
    for part in parts:
        for name in keep:
            collected[name].append(part[name])
    out = {}
    for name, tables in collected.items():
        if name == "term_counts":
            out[name] = add_term_counts(tables)
            continue
        table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
        if name in FINDERS and FINDERS[name].corpus_step is not None and len(table):
            table = FINDERS[name].corpus_step(table)  # what needs the whole corpus (actors: one per person)
        categorical = (*FINDERS[name].categorical, "part") if name in FINDERS else ("doc_id",)
        for column in categorical:
            if column in table and len(table):
                table[column] = table[column].astype("category")
        out[name] = table
    return out


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
) -> dict[str, pd.DataFrame]:
    """Run every stage over a folder in batches, in `workers` processes (0 = one per core)."""
    keep = tables() if keep is None else keep
    chunks = batches(corpus_files(folder), batch_size)
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(chunks) == 1:
        return with_all_mentions(combine((analyse_batch(c, keep) for c in chunks), keep), keep)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return with_all_mentions(combine(pool.map(analyse_batch, chunks, [keep] * len(chunks)), keep), keep)


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
