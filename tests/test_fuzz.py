"""Every registered finder (and the tokens and sentences) fuzzed: random Unicode, odd headers,
pathological repeats. None may raise or leave a document out, and every row is exact text inside
its document. A finder added through the registry is fuzzed here without a new test.
(Time linear in length: `bench/run.py`'s linearity rows, on the same pathological inputs.)"""

from __future__ import annotations

import re
import warnings
from datetime import date

import pandas as pd
import pytest
from conftest import PIECES, assert_offsets_exact
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import helpers
from helpers.corpus import BadDocument, in_body_and_title, parse_document
from helpers.isolation import LeftOut
from helpers.registry import FINDERS
from helpers.spans import quotations

# What real folders hold that a test author forgets: other scripts, combining marks, controls,
# no-break, zero-width and direction marks, endless words, lines of punctuation, names and dates.
ODD = st.sampled_from(
    [
        "\u0301", "\u0308", "\u200b", "\u200d", "\u2060", "\ufeff", "\u202e", "\u200f", "\u2028",
        "\x00", "\x01", "\x1c", "\x1f", "\x7f", "\r", "\xa0", "\u3000",
        "مرحبا بالعالم", "北京市", "Москва", "ქართული", "🇰🇿", "👍🏽",
        "a" * 3000, "Ḁ" * 200, "!!!???...;;;", "\n---\n", "«««", "»»»", "(((", ")))", "[[[", '"""',
    ]
)  # fmt: skip
# What the finders look for, so that random text reaches their rules: names, titles, treaties, dates.
FOUND = st.sampled_from(
    [
        "President Biden", "Deputy Minister of Foreign Affairs Roman Vassilenko", "Council of Europe",
        "Convention No. 185", "CETS 108", "computer crime", "26-27 June", "last week", "Tomorrow",
        "yesterday", "next year", "last month", "this week", "on Monday", "in March", "the 1990s",
        "in 2023", "9999", "No. 1. ", "U.S.", "JOSEPH R. BIDEN JR.", "the United\xa0States", " said ",
    ]
)  # fmt: skip
WORDS = st.lists(st.one_of(PIECES, ODD, FOUND, st.text(max_size=12)), min_size=1, max_size=60).map("".join)
REPEATS = st.tuples(
    st.sampled_from(["No. 1. ", "“‘«(", ")»’”", "President ", "June 26-", "\u0301"]), st.integers(1, 400)
)
TEXTS = st.one_of(WORDS, REPEATS.map(lambda r: r[0] * r[1])).filter(lambda t: t.strip())
EDGES = [
    date(1, 1, 1),
    date(1, 1, 7),
    date(1677, 9, 21),
    date(2262, 4, 11),
    date(9999, 12, 25),
    date(9999, 12, 31),
]
HEADER_DATES = st.one_of(st.none(), st.sampled_from(EDGES), st.dates(date(1, 1, 1), date(9999, 12, 31)))


def documents(texts: list[str], days: list, titles: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(len(texts))],
            "text": texts,
            "date": pd.to_datetime(pd.Series([pd.Timestamp(d) if d else pd.NaT for d in days], dtype=object)),
            "title": titles,
        }
    )


STAGES = {"tokens": helpers.tokenize, "sentences": helpers.sentences} | {
    name: finder.find for name, finder in FINDERS.items()
}


@pytest.fixture(scope="module", autouse=True)
def no_disk_cache():
    """Random texts are parsed in memory only: they must not fill a parse cache on disk."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("HELPERS_PARSE_CACHE", raising=False)
        yield


@pytest.mark.parametrize("stage", STAGES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(TEXTS, min_size=1, max_size=3),
    days=st.lists(HEADER_DATES, min_size=3, max_size=3),
    titles=st.lists(st.one_of(st.just(""), WORDS), min_size=3, max_size=3),
)
def test_every_stage_survives_random_text(stage, texts, days, titles):
    docs = documents(texts, days[: len(texts)], [t.replace("\n", " ") for t in titles[: len(texts)]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeftOut)  # a document left out is a failure here
        table = in_body_and_title(STAGES[stage], docs) if stage in FINDERS else STAGES[stage](docs)
    assert helpers.problems(table).empty
    if len(table):
        assert (table["start"] >= 0).all() and (table["start"] <= table["end"]).all()
        text_column = "text" if "text" in table else None
        if text_column:
            assert_offsets_exact(table, docs)
        else:  # tokens: the token is the text between its offsets (typographic quotes kept)
            lengths = table["doc_id"].astype(str).map(dict(zip(docs["doc_id"], docs["text"].str.len())))
            assert (table["end"].to_numpy() <= lengths.to_numpy(dtype=int)).all()


@settings(max_examples=200, deadline=None)
@given(day=st.text(alphabet="0123456789-", min_size=1, max_size=12), title=WORDS, text=TEXTS)
def test_any_header_is_read_or_refused_by_name(day, title, text):
    """A header line with any date-like word: read, or a BadDocument that says why, never a crash."""
    try:
        doc = parse_document(f"date {day} {title}\n\n{text}")
    except BadDocument as error:
        assert str(error)
    else:
        assert doc["text"] and (pd.isna(doc["date"]) or 1 <= doc["date"].year <= 9999)


def test_the_fuzzer_covers_every_registered_finder():
    assert set(FINDERS) <= set(STAGES) and {"actors", "dates", "treaties"} <= set(STAGES)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["«", "»", "“", "”", '"', "\n", "a", " ", "Bb"]), max_size=60).map("".join))
def test_quotations_in_one_pass_are_the_patterns_matches(text):
    """`quotations` finds what the plain pattern finds, without its quadratic scan of unclosed marks."""
    pattern = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"\n]*\"")
    assert quotations(text) == [m.span() for m in pattern.finditer(text)]
