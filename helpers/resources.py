"""The one loader of the data shipped in helpers/data/: tables, word lists and pattern records.

English resources live in helpers/data/en/ (name lists, word lists, calendar words, pattern
records); the Council of Europe treaty list in helpers/data/. Everything is read once.
"""

from __future__ import annotations

import io
import json
from functools import cache, wraps
from importlib import resources

import pandas as pd

LANGUAGE = "en"


def data_file(name: str):
    """A file in helpers/data/ ("coe_treaties.csv") or in the language folder ("en/roles.txt")."""
    return resources.files("helpers").joinpath("data", *name.split("/"))


def cached_table(function):
    """`functools.cache` for a function that returns a table: computed once, and each caller gets a copy
    of its own (a notebook that edits the gazetteer it was given changes no finder's)."""
    kept = cache(function)

    @wraps(function)
    def copied(*args, **kwargs):
        return kept(*args, **kwargs).copy()

    copied.cache_clear = kept.cache_clear
    return copied


@cached_table
def read_table(name: str, comment: str | None = None, sep: str = ",") -> pd.DataFrame:
    """A CSV (or, with sep="\\t", TSV) file of helpers/data/, every cell a string (empty cells stay "").

    With `comment`, lines starting with it are left out. Nothing is unquoted in a TSV: its cells
    (regular expressions) are read exactly as written.
    """
    quoting = 3 if sep == "\t" else 0  # csv.QUOTE_NONE for TSV
    with data_file(name).open(encoding="utf-8") as f:
        lines = [line for line in f if not (comment and line.startswith(comment))]
    return pd.read_csv(
        io.StringIO("".join(lines)), dtype=str, keep_default_na=False, sep=sep, quoting=quoting
    )


@cache
def word_list(name: str) -> tuple[str, ...]:
    """A list of one entry per line; blank lines and lines starting with # are left out."""
    lines = data_file(f"{LANGUAGE}/{name}").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cached_table
def pattern_records() -> pd.DataFrame:
    """The word patterns of the rules, as spaCy's EntityRuler/SpanRuler keeps them: one record a
    line in en/patterns.jsonl with `label`, `pattern` (a regular expression for one word or
    phrase) and, where it has one, `id` (the canonical form: the lemma of a verb form)."""
    lines = data_file(f"{LANGUAGE}/patterns.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return pd.DataFrame(records, columns=["label", "pattern", "id"]).fillna("")


def patterns(label: str) -> list[str]:
    """The patterns of one label, in file order."""
    table = pattern_records()
    return list(table.loc[table["label"] == label, "pattern"])


def alternation(label: str) -> str:
    """The patterns of one label as one regular-expression alternation (no group)."""
    return "|".join(patterns(label))


@cache
def months() -> dict[str, int]:
    """Month names and abbreviations, lower case -> month number."""
    table = read_table(f"{LANGUAGE}/months.csv")
    return {name.lower(): int(n) for name, n in zip(table["name"], table["month"])}


def month_names(form: str = "full") -> list[str]:
    """Month names as written ("January"), or their abbreviations ("Jan", "Sept"), in table order."""
    table = read_table(f"{LANGUAGE}/months.csv")
    return list(table.loc[table["form"] == form, "name"])


@cache
def weekdays() -> tuple[str, ...]:
    """Monday ... Sunday."""
    return word_list("weekdays.txt")


@cache
def number_words() -> dict[str, int | str]:
    """Number words -> value ("three" -> 3); vague ones ("several") -> "X", as TIMEX3 writes them."""
    table = read_table(f"{LANGUAGE}/number_words.csv")
    return {w: (int(v) if v.isdigit() else v) for w, v in zip(table["word"], table["value"])}
