"""The seed's tables stay exactly as they were: every finder's output compared with a stored copy.

The copies in tests/data/seed_tables/ were written by this file (`python tests/test_seed_tables.py`)
before the code was reorganised; a refactoring that changes any row, column or value fails here.
Regenerate them only for a change of behaviour that is meant, and say so in the commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

STORED = Path(__file__).parent / "data" / "seed_tables"


def seed_tables() -> dict[str, pd.DataFrame]:
    """Every table the helpers make from the seed, by name."""
    import helpers
    from helpers.actors import actor_summary, cooccurrence, find_actors
    from helpers.dates import find_dates
    from helpers.events import actor_events
    from helpers.terms import collocations, merge_phrases, ngram_counts, organisation_aliases, term_counts
    from helpers.treaties import find_treaties, treaties_mentioned, treaty_counts_claimed

    docs = helpers.load_corpus(Path(__file__).resolve().parent.parent / "seeds")
    tokens = helpers.tokenize(docs)
    actors = find_actors(docs)
    treaties = find_treaties(docs)
    return {
        "documents": docs.drop(columns="path"),
        "sentences": helpers.sentences(docs),
        "tokens": tokens,
        "term_counts": term_counts(tokens),
        "phrase_counts": term_counts(merge_phrases(tokens, docs), aliases=organisation_aliases()),
        "bigrams": ngram_counts(tokens, 2),
        "collocations": collocations(tokens, min_freq=2),
        "actors": actors,
        "headline_actors": find_actors(helpers.headlines(docs)),
        "actor_summary": actor_summary(actors),
        "events": actor_events(docs, tokens, actors),
        "cooccurrence": cooccurrence(actors, tokens),
        "dates": find_dates(docs),
        "treaties": treaties,
        "treaties_mentioned": treaties_mentioned(treaties),
        "claims": treaty_counts_claimed(docs),
    }


def as_text(table: pd.DataFrame) -> pd.DataFrame:
    """Every cell as its string, floats rounded to 9 places, so a CSV round trip compares exactly."""
    table = table.reset_index(drop=True).copy()
    for column in table.columns:
        if pd.api.types.is_float_dtype(table[column]):
            table[column] = table[column].round(9)
    return table.astype(str)


@pytest.fixture(scope="module")
def tables():
    return seed_tables()


@pytest.mark.parametrize("name", sorted(p.stem for p in STORED.glob("*.csv")))
def test_seed_table_is_unchanged(tables, name):
    stored = pd.read_csv(STORED / f"{name}.csv", dtype=str, keep_default_na=False)
    now = as_text(tables[name])
    assert list(now.columns) == list(stored.columns)
    pd.testing.assert_frame_equal(now, stored.astype(str), check_dtype=False)


def test_every_table_has_a_stored_copy(tables):
    assert sorted(tables) == sorted(p.stem for p in STORED.glob("*.csv"))


if __name__ == "__main__":
    STORED.mkdir(parents=True, exist_ok=True)
    for table_name, table in seed_tables().items():
        as_text(table).to_csv(STORED / f"{table_name}.csv", index=False)
        print(f"wrote {table_name}: {len(table)} rows", file=sys.stderr)
