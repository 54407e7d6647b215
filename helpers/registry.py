"""The finders, in one place: what each finds, its columns, its colours, its categorical columns.

The pipeline, the highlighting and the charts read this table; adding a finder means writing its
module and one `register(Finder(...))` entry (see `tests/test_registry.py` for a toy one). The
registry imports no finder: the built-in ones register themselves from `helpers.finders`, which
`import helpers` runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

GREY = "#888888"


@dataclass(frozen=True)
class Finder:
    """A finder: `find(docs, documents=None)` returns one row per mention, `doc_id, start, end, text`
    first; `documents` are the contexts (helpers.context) the pipeline makes once per batch."""

    name: str  # the table's name in the pipeline ("actors")
    find: Callable[..., pd.DataFrame]
    columns: tuple[str, ...]  # every column of its table, in order
    label: str  # the column whose values name the kind of a mention, for colours and legends
    colours: dict[str, str] = field(default_factory=dict)  # label value -> colour
    categorical: tuple[str, ...] = ()  # repeated strings kept as categoricals in large tables
    excludes: tuple[str, ...] = ()  # names of EXCLUSIONS: spans of text this finder never reports in
    # applied to the whole corpus's table once the batches are combined (actors: one actor per person)
    corpus_step: Callable[[pd.DataFrame], pd.DataFrame] | None = None
    # the finder without its corpus step, for one batch of documents (the store links once over all)
    find_each: Callable[..., pd.DataFrame] | None = None


FINDERS: dict[str, Finder] = {}
# Spans of a document a finder can be told to leave alone: name -> function(Document) -> [(start, end)].
EXCLUSIONS: dict[str, Callable[..., Iterable[tuple[int, int]]]] = {}


def register(finder: Finder) -> Finder:
    """Add (or replace) a finder in the registry; return it."""
    assert finder.columns[:4] == ("doc_id", "start", "end", "text"), "the house columns come first"
    assert finder.label in finder.columns, f"label {finder.label!r} is not a column"
    FINDERS[finder.name] = finder
    return finder


def excluded_spans(name: str, doc) -> list[tuple[int, int]]:
    """The spans of a document (helpers.context) that finder `name` leaves alone (its `excludes`)."""
    return [span for exclusion in FINDERS[name].excludes for span in EXCLUSIONS[exclusion](doc)]


def palette() -> dict[str, str]:
    """One colour per label value over every finder: the same in charts and in highlighted text."""
    colours: dict[str, str] = {}
    for finder in FINDERS.values():
        for value, colour in finder.colours.items():
            colours.setdefault(value, colour)
    return colours


def colour(value: str) -> str:
    """The colour of one label value (grey when no finder names it)."""
    return palette().get(value, GREY)
