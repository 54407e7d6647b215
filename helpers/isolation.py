"""One document never takes the others down: a finder that raises on a batch is run again one
document at a time, and a document it still raises on loses only that finder's rows.

What was left out is a problems row (file, path, stage, reason) kept in the returned table's
`attrs["problems"]`, read with `helpers.problems(table)`, and warned of by name as it happens.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd


class LeftOut(UserWarning):
    """A document a finder failed on: its rows of that finder are left out (the message says why)."""


def problem(file: str, path: str, stage: str, error: BaseException) -> dict:
    """A problems row for one document that `stage` failed on."""
    return {
        "file": str(file),
        "path": str(path),
        "stage": stage,
        "reason": f"{type(error).__name__}: {error}",
    }


def problems_of(*tables: pd.DataFrame | None) -> list[dict]:
    """The problems rows the tables carry (their `attrs["problems"]`), in order, without repeats."""
    seen: list[dict] = []
    for table in tables:
        for row in table.attrs.get("problems", []) if table is not None else ():
            if row not in seen:
                seen.append(row)
    return seen


def with_problems(table: pd.DataFrame, rows: Iterable[dict]) -> pd.DataFrame:
    """The table carrying these problems rows (plain records: pandas compares attrs when it combines)."""
    rows = list(rows)
    if rows:
        table.attrs["problems"] = rows
    else:
        table.attrs.pop("problems", None)
    return table


def calling(find, signature: inspect.Signature, args, options, docs: pd.DataFrame, documents=None):
    """`find` called as it was, but on these documents (and their contexts, when it was given some)."""
    call = signature.bind(docs, *args, **options)
    if call.arguments.get("documents") is not None:
        call.arguments["documents"] = documents
    return find(*call.args, **call.kwargs)


def per_document(stage: str, finish: Callable[..., pd.DataFrame] | None = None):
    """Decorate a finder `find(docs, ...)`: when a call raises, each document is found on its own
    (its context alone, when the call was given `documents`); a document that still raises becomes a
    problems row of `stage` and a warning naming the file, and the others' rows are kept. A call that
    fails on no document at all (a wrong argument) is raised at once. `finish(table, arguments)` runs
    on the rows put together again (a corpus-wide step, such as one actor per person), with the
    call's arguments by name."""

    def decorate(find):
        signature = inspect.signature(find)

        @functools.wraps(find)
        def isolated(docs: pd.DataFrame, *args, **options) -> pd.DataFrame:
            try:
                return find(docs, *args, **options)
            except Exception as error:  # found again document by document below, each failure named
                first_error = error
            if len(docs) == 0:
                raise first_error
            try:
                empty = calling(find, signature, args, options, docs.iloc[:0], [])
            except Exception:  # a wrong argument, not a document: the caller hears of it at once
                raise first_error from None
            documents = signature.bind(docs, *args, **options).arguments.get("documents")
            tables, failed = [], []
            for i in range(len(docs)):
                one = docs.iloc[[i]]
                try:
                    if len(docs) == 1:  # already tried on its own
                        raise first_error
                    tables.append(calling(find, signature, args, options, one, documents and [documents[i]]))
                except Exception as error:  # reported by name, never lost silently
                    path = one["path"].iloc[0] if "path" in one else one["doc_id"].iloc[0]
                    failed.append(row := problem(Path(str(path)).name, path, stage, error))
                    warnings.warn(f"{path}: no {stage} for this document ({row['reason']})", LeftOut, 2)
            if not tables:  # every document failed: the empty table, with its columns
                return with_problems(empty, failed)
            table = pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]
            if finish is not None and len(tables) > 1:
                table = finish(table, signature.bind(docs, *args, **options).arguments)
            return with_problems(table, [*problems_of(*tables), *failed])

        return isolated

    return decorate
