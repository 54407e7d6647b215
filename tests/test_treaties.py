"""Treaties: the seed's eight, a paragraph per match kind, numbers that are not treaties."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import pandas as pd
from conftest import assert_offsets_exact

from helpers.charts import treaty_series_chart
from helpers.treaties import (
    canonical_number,
    find_treaties,
    normalise_title,
    treaties_mentioned,
    treaty_counts_claimed,
    treaty_list,
)


def treaties_of(text: str) -> pd.DataFrame:
    docs = pd.DataFrame({"doc_id": ["t"], "text": [text]})
    table = find_treaties(docs)
    assert_offsets_exact(table, docs)
    return table


def rows(text: str) -> list[tuple[str, str, str]]:
    return [(r.text, r.number, r.match) for r in treaties_of(text).itertuples()]


def test_treaty_list_is_the_shared_one_plus_topics():
    table = treaty_list()
    assert len(table) == 232
    assert {"12A", "48A", "230"} <= set(table["number"]) and not {"3", "11"} & set(table["number"])
    assert table.set_index("number").loc["185", "topics"].startswith("cybercrime")
    assert (table.loc[table["is_protocol"], "topics"] == "").all(), (
        "topics are for conventions, not protocols"
    )


def test_seed_treaties(seed_docs):
    """By hand: the last sentence names four treaties, each by title and number (165, 018 = 18,
    141, 127); the second paragraph speaks of conventions on corruption (173, 174), computer
    crime (185) and domestic violence (210) without naming them."""
    table = find_treaties(seed_docs)
    assert_offsets_exact(table, seed_docs)
    strong = table[table["strength"] == "strong"]
    assert list(strong["number"]) == ["165", "18", "141", "127"]
    assert set(strong["match"]) == {"number+title"}
    weak = table[table["strength"] == "weak"]
    assert list(zip(weak["text"], weak["number"])) == [
        ("corruption", "173"),
        ("corruption", "174"),
        ("computer crime", "185"),
        ("domestic violence", "210"),
    ]
    assert set(weak["match"]) == {"topic"}
    assert not table["text"].str.contains("four").any()
    assert set(treaties_mentioned(table)["number"]) == {"165", "18", "141", "127", "173", "174", "185", "210"}


def test_a_count_is_a_claim_not_a_treaty(seed_docs):
    claims = treaty_counts_claimed(seed_docs)
    assert list(zip(claims["text"], claims["count"])) == [("four CoE conventions", 4)]
    assert_offsets_exact(claims, seed_docs)


def test_by_number():
    assert rows("Armenia signed CETS No. 185 and ETS 5; the convention (No. 018) too.") == [
        ("CETS No. 185", "185", "number"),
        ("ETS 5", "5", "number"),
        ("(No. 018)", "18", "number"),
    ]
    assert canonical_number("012a") == "12A"


def test_numbers_that_are_not_treaties():
    assert rows("Flat No. 5 was sold in 2023 for 141 euros.") == []  # no treaty word in the sentence
    assert rows("The court applied Protocol No. 7 to the Convention.") == []  # a protocol's own number
    assert rows("On page 185 of the 2001 report, 46 states are listed.") == []


def test_unknown_number_is_reported_not_invented():
    table = treaties_of("The conventions No. 999 and No. 3 were discussed.")
    assert list(table["number"]) == ["999", "3"]
    assert (table["title"] == "").all()
    assert table["note"].str.contains("not in the Council of Europe treaty list").all()


def test_by_title_and_close_variants():
    assert rows("He cited the Convention on Cybercrime and «The European Cultural Convention».") == [
        ("Convention on Cybercrime", "185", "title"),
        ("«The European Cultural Convention»", "18", "title"),
    ]
    variant = treaties_of(
        "Kazakhstan joined «On Laundering, Search, Seizure and Confiscation of Proceeds from Crime»."
    )
    assert list(variant["number"]) == ["141"] and "close variant" in variant["note"].iloc[0]
    assert rows("The programme «The Rule of Law in Central Asia» continues.") == []
    assert normalise_title("The Council of Europe Convention on X and Y") == "on x and y"


def test_by_short_name():
    assert rows(
        "Poland left the Istanbul Convention; the ECHR and the Lisbon Recognition Convention stay."
    ) == [
        ("Istanbul Convention", "210", "short_name"),
        ("ECHR", "5", "short_name"),
        ("Lisbon Recognition Convention", "165", "short_name"),
    ]
    ambiguous = treaties_of("The Luxembourg Convention was cited.")
    assert list(ambiguous["number"]) == ["105", "226"] and ambiguous["note"].str.contains("ambiguous").all()
    settled = rows("The Luxembourg Convention (No. 226) was cited.")
    assert settled == [("Luxembourg Convention (No. 226)", "226", "number+short_name")]


def test_number_and_title_agree_or_disagree():
    assert rows("It ratified «The European Cultural Convention» (No. 18).") == [
        ("«The European Cultural Convention» (No. 18)", "18", "number+title")
    ]
    table = treaties_of("It ratified the Budapest Convention (No. 18).")
    assert list(table["number"]) == ["185", "18"]
    assert table["note"].str.contains("but the number says No. 18").all()


def test_by_topic_only_in_a_sentence_about_conventions():
    table = treaties_of("Ministers discussed money laundering. They urged treaties against money laundering.")
    assert list(zip(table["number"], table["match"], table["strength"])) == [
        ("141", "topic", "weak"),
        ("198", "topic", "weak"),
    ]
    assert table["start"].min() > len("Ministers discussed money laundering.")


def test_chart(seed_docs):
    ax = treaty_series_chart(treaty_list(), treaties_mentioned(find_treaties(seed_docs)))
    assert len(ax.collections) == 3  # the series, number+title, topic
    assert sum(t.get_text().startswith("No. ") for t in ax.texts) == 8


def test_empty():
    empty = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)})
    assert find_treaties(empty).empty and treaties_mentioned(find_treaties(empty)).empty


def test_zero_and_numeral_counts_are_claims():
    docs = pd.DataFrame(
        {"doc_id": ["a"], "text": ["It has ratified zero conventions so far, and 12 treaties are pending."]}
    )
    claims = treaty_counts_claimed(docs)
    assert list(zip(claims["text"], claims["count"])) == [("zero conventions", 0), ("12 treaties", 0 + 12)]


def test_a_weaker_link_never_overlaps_a_stronger_one_or_a_quoted_title():
    # a name inside a quoted title that is not a treaty is no link
    assert rows("They read «The Istanbul Convention Decade in Review», a report.") == []
    # "Corruption" inside a title is part of the title, not a topic link; the first "corruption" is one
    assert rows("Conventions on corruption: the Criminal Law Convention on Corruption was signed.") == [
        ("corruption", "173", "topic"),
        ("corruption", "174", "topic"),
        ("Criminal Law Convention on Corruption", "173", "title"),
    ]
