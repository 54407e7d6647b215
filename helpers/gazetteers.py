"""The organisation gazetteer (with aliases) and the trie patterns that match many names at once."""

from __future__ import annotations

import re

import pandas as pd

from helpers.resources import cached_table, read_table


@cached_table
def organisations() -> pd.DataFrame:
    """The organisation gazetteer: one row per (name, canonical organisation, its country)."""
    table = read_table("en/organisations.csv")
    rows = []
    for org in table.itertuples(index=False):
        for name in [org.name, *filter(None, org.aliases.split("|"))]:
            rows.append({"name": name.strip(), "organisation": org.name, "country": org.country})
    return pd.DataFrame(rows)


def is_acronym(name: str) -> bool:
    """Short upper-case names (EU, CoE, WHO) only match with their own case."""
    letters = [c for c in name if c.isalpha()]
    return len(name) <= 6 and sum(c.isupper() for c in letters) >= 2


def trie_pattern(names) -> str:
    """One regular expression for many literal names, as a character trie ("Kaz(?:akh(?:stan)?|...)").

    Python's `re` tries the branches of a plain alternation one by one at every position; a trie
    shares prefixes, so a text is scanned once whatever the number of names. Longer names win.

    >>> trie_pattern(["Kazakh", "Kazakhstan", "Kyiv"])
    'K(?:azakh(?:stan)?|yiv)'
    """
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = []
        for ch, child in sorted(node.items()):
            if not ch:
                continue
            run = [ch]  # a chain of single children is one literal: recursion only at branches
            while len(child) == 1 and "" not in child:
                ((ch, child),) = child.items()
                run.append(ch)
            branches.append("".join(map(re.escape, run)) + build(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)
