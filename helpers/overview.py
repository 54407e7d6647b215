"""The corpus at a glance: a few computed lines for the contents page, true for any corpus."""

from __future__ import annotations

import pandas as pd

from helpers.actors import actor_summary, find_actors
from helpers.corpus import Note, listed
from helpers.dates import find_dates
from helpers.treaties import find_treaties, treaties_mentioned


def at_a_glance(docs: pd.DataFrame, tokens: pd.DataFrame, sentences: pd.DataFrame) -> Note:
    """Sentences and words, the most named actors, temporal expressions (distinct examples), and the
    treaties named kept apart from those only a topic points to."""
    words = tokens[~tokens["is_punct"]]
    actors = actor_summary(find_actors(docs)).head(5)
    top_actors = ", ".join(f"{a} ({n})" for a, n in zip(actors["actor"], actors["mentions"]))
    dates = find_dates(docs)
    distinct = dates["text"][~dates["text"].str.lower().duplicated()]  # "today" and "Today" are one
    examples = ", ".join(f"“{t}”" for t in distinct.head(3))
    treaties = treaties_mentioned(find_treaties(docs))
    named = treaties[treaties["strength"] == "strong"]
    guessed = treaties[treaties["strength"] == "weak"]
    numbers = f" (No. {listed(named['number'], 8, sep=', ')})" if len(named) else ""
    return Note(
        f"- **{len(sentences):,}** sentences, **{len(words):,}** words "
        f"(**{words['norm'].nunique():,}** distinct)\n"
        f"- most named actors: {top_actors or 'none found'}\n"
        f"- **{len(dates):,}** temporal expressions, e.g. {examples or 'none'}\n"
        f"- Council of Europe treaties: **{len(named)}** named by number, title or name{numbers}; "
        f"**{len(guessed)}** more possibly meant (only a topic points to them: a guess)"
    )
