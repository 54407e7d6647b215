"""The corpus at a glance: a few computed lines for the contents page, true for any corpus."""

from __future__ import annotations

import pandas as pd

from helpers.actors import actor_summary
from helpers.corpus import Note, in_body_and_title, listed
from helpers.registry import FINDERS
from helpers.treaties import other_treaties_mentioned, treaties_mentioned


def in_titles(table: pd.DataFrame) -> int:
    """How many rows of a mentions table lie in titles."""
    return int((table["part"] == "title").sum()) if "part" in table else 0


def at_a_glance(
    docs: pd.DataFrame, tokens: pd.DataFrame, sentences: pd.DataFrame, found: dict | None = None
) -> Note:
    """Sentences and words, the most named actors, temporal expressions (distinct examples), the
    treaties named kept apart from those only a topic points to, other bodies' treaties; mentions in
    titles counted with the rest, and said how many. `found`: the actors', dates' and treaties' tables
    in bodies and titles when they are made already (a store's `found`); else the registered finders
    run here, as the store runs them."""
    words = tokens[~tokens["is_punct"]]
    names = ("actors", "dates", "treaties")
    if found is None:  # as the store makes them: each finder without its corpus step, then the step once
        found = {
            name: in_body_and_title(
                FINDERS[name].find_each or FINDERS[name].find, docs, finish=FINDERS[name].corpus_step
            )
            for name in names
        }
    # bodies first, then titles, as in_body_and_title gives them (the examples are the first ones)
    found = {name: found[name].sort_values("part", kind="stable") for name in names}
    actors = actor_summary(found["actors"]).head(5)
    top_actors = ", ".join(f"{a} ({n})" for a, n in zip(actors["actor"], actors["mentions"]))
    dates = found["dates"]
    distinct = dates["text"][~dates["text"].str.lower().duplicated()]  # "today" and "Today" are one
    examples = ", ".join(f"“{t}”" for t in distinct.head(3))
    treaties = treaties_mentioned(found["treaties"])
    named = treaties[treaties["strength"] == "strong"]
    guessed = treaties[treaties["strength"] == "weak"]
    numbers = f" (No. {listed(named['number'], 8, sep=', ')})" if len(named) else ""
    others = other_treaties_mentioned(found["treaties"])
    titles = ", ".join(f"{in_titles(table):,} {name}" for name, table in found.items())
    return Note(
        f"- **{len(sentences):,}** sentences, **{len(words):,}** words "
        f"(**{words['norm'].nunique():,}** distinct)\n"
        f"- most named actors: {top_actors or 'none found'}\n"
        f"- **{len(dates):,}** temporal expressions, e.g. {examples or 'none'}\n"
        f"- Council of Europe treaties: **{len(named)}** named by number, title or name{numbers}; "
        f"**{len(guessed)}** more possibly meant (only a topic points to them: a guess)\n"
        f"- treaties of other bodies (not Council of Europe ones): **{len(others)}**"
        + (f" ({listed(others['series'] + ': ' + others['title'], 4, sep='; ')})" if len(others) else "")
        + f"\n- counted above, the mentions in titles: {titles}"
    )
