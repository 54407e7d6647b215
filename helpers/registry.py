"""The finders, in one place: what each finds, its columns, its colours, its categorical columns.

The pipeline, the highlighting and the charts read this table; adding a finder means writing its
module and one `register(Finder(...))` entry (see `tests/test_registry.py` for a toy one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

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


def _register_builtin() -> None:
    from helpers.actors import ACTOR_COLUMNS, find_actors, relink
    from helpers.context import quoted_titles
    from helpers.dates import DATE_COLUMNS, find_dates
    from helpers.treaties import TREATY_COLUMNS, find_treaties, treaty_name_spans

    # quoted titles («...») and treaty names ("Istanbul Convention") are names of works, not actors
    EXCLUSIONS["quoted titles"] = quoted_titles
    EXCLUSIONS["treaty names"] = treaty_name_spans

    register(
        Finder(
            "actors",
            find_actors,
            tuple(ACTOR_COLUMNS),
            "kind",
            {"person": "#C44E52", "organisation": "#4C72B0", "country": "#55A868", "place": "#DD8452"},
            ("doc_id", "kind", "actor", "actor_id", "source"),
            excludes=("quoted titles", "treaty names"),
            corpus_step=relink,
            find_each=partial(find_actors, link=False),
        )
    )
    register(
        Finder(
            "dates",
            find_dates,
            tuple(DATE_COLUMNS),
            "type",
            {"DATE": "#8172B3", "DURATION": "#2A9D8F", "TIME": "#DA8BC3", "SET": "#8C8C8C"},
            ("doc_id", "type"),
        )
    )
    register(
        Finder(
            "treaties",
            find_treaties,
            tuple(TREATY_COLUMNS),
            "match",
            {
                "number+title": "#B2182B",
                "number+short_name": "#B2182B",
                "title": "#E08214",
                "short_name": "#7B3294",
                "number": "#937860",
                "topic": "#4393C3",
                "not_coe": "#A6761D",  # another body's treaty (UN, OECD, ...): named, not linked
            },
            ("doc_id", "match", "strength", "series"),
        )
    )


_register_builtin()
