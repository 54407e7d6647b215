"""Treaties: the seed's eight, a paragraph per match kind, numbers that are not treaties."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest
from conftest import assert_offsets_exact

import helpers
from helpers.charts import treaty_series_chart
from helpers.treaties import (
    canonical_number,
    find_treaties,
    normalise_title,
    other_treaties,
    other_treaties_mentioned,
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
    table = treaties_of(
        "Council of Europe ministers discussed money laundering. "
        "They urged treaties against money laundering."
    )
    assert list(zip(table["number"], table["match"], table["strength"])) == [
        ("141", "topic", "weak"),
        ("198", "topic", "weak"),
    ]
    assert table["start"].min() > len("Council of Europe ministers discussed money laundering.")


def test_topics_link_only_where_the_council_of_europe_is_the_context():
    """By hand: the same sentence links by topic only when the text names the CoE or a CoE treaty."""
    sentence = "Both states will ratify the conventions on corruption."
    assert rows(sentence) == []
    assert rows("The CoE welcomed it. " + sentence) == [
        ("corruption", "173", "topic"),
        ("corruption", "174", "topic"),
    ]
    assert [r[1] for r in rows("Armenia ratified CETS No. 185. " + sentence)] == ["185", "173", "174"]
    assert rows("The coe welcomed it. " + sentence) == [], "CoE is an acronym, in capitals"


def test_human_rights_is_no_topic_of_one_treaty():
    """By hand (after two such links were wrong on real statements): the CoE is named, the sentence
    speaks of a treaty, yet "human rights" names no one convention."""
    assert rows("The Council of Europe treaty on AI affirms existing human rights obligations.") == []


def test_never_a_topic_link_in_a_sentence_naming_another_bodys_treaty():
    """By hand: the Council of Europe is named, but the second sentence's corruption is the UN's, and
    the third's torture the UN's too (by its own name); the fourth sentence has no other treaty."""
    table = treaties_of(
        "The Council of Europe met. They upheld the UN Convention against Corruption on corruption. "
        "The Convention against Torture bans torture. Both signed conventions on corruption."
    )
    assert list(zip(table["text"], table["number"], table["series"], table["match"])) == [
        ("UN Convention against Corruption", "", "UN", "not_coe"),
        ("Convention against Torture", "", "UN", "not_coe"),
        ("corruption", "173", "CoE", "topic"),
        ("corruption", "174", "CoE", "topic"),
    ]
    assert table["start"].iloc[-1] > table["start"].iloc[1]


def test_treaties_of_other_bodies_are_rows_of_their_own():
    """By hand: six treaties of the UN, OECD, UNESCO and the Geneva Conventions, and a "<body> charter";
    "North Atlantic Treaty Organization" is a body, not the treaty; none gets a CETS number."""
    table = treaties_of(
        "Under the U.N. Charter, the ICCPR and the Geneva Conventions, and the 1970 UNESCO Convention, "
        "the OECD Anti-Bribery Convention and the United Nations Convention against Transnational "
        "Organized Crime, the North Atlantic Treaty Organization and an African Union charter; not the uncac."
    )
    assert list(zip(table["text"], table["series"])) == [
        ("U.N. Charter", "UN"),
        ("ICCPR", "UN"),
        ("Geneva Conventions", "Geneva"),
        ("1970 UNESCO Convention", "UNESCO"),
        ("OECD Anti-Bribery Convention", "OECD"),
        ("United Nations Convention against Transnational Organized Crime", "UN"),
        ("African Union charter", "AU"),
    ]
    assert (table["number"] == "").all() and (table["match"] == "not_coe").all()
    assert table["title"].iloc[0] == "Charter of the United Nations" and table["title"].iloc[-1] == ""
    assert treaties_mentioned(table).empty, "not Council of Europe treaties"
    others = other_treaties_mentioned(table)
    assert list(others["series"]) == ["UN", "UN", "Geneva", "UNESCO", "OECD", "UN", "AU"]


def test_names_the_news_uses():
    """By hand: a name with "Budapest", a title without "Council of Europe", a name in lower case."""
    assert rows("Japan joined the Budapest Cybercrime Convention.") == [
        ("Budapest Cybercrime Convention", "185", "short_name")
    ]
    assert rows("It joined the Convention on Cybercrime and left the Istanbul convention.") == [
        ("Convention on Cybercrime", "185", "title"),
        ("Istanbul convention", "210", "short_name"),
    ]
    assert rows(
        "Turkey left the Convention on preventing and combating violence against women and domestic violence."
    ) == [
        (
            "Convention on preventing and combating violence against women and domestic violence",
            "210",
            "title",
        )
    ]
    assert rows(
        "The US signed the Council of Europe’s Framework Convention on AI and Human Rights, "
        "Democracy, and the Rule of Law."
    ) == [
        ("Framework Convention on AI and Human Rights, Democracy, and the Rule of Law", "225", "short_name")
    ]


def test_the_lisbon_convention_only_when_the_context_settles_it():
    """By hand: "Lisbon Convention" alone names nothing for sure; words of No. 165's subject, or a
    text naming the CoE, settle it; the Luxembourg Convention's subject picks one of its two."""
    assert rows("The Lisbon Convention was ratified.") == []
    assert rows("The Lisbon Convention on the recognition of qualifications was ratified.")[0] == (
        "Lisbon Convention",
        "165",
        "short_name",
    )
    assert rows("The Council of Europe's Lisbon Convention was ratified.") == [
        ("Lisbon Convention", "165", "short_name")
    ]
    assert [r[1] for r in rows("The Luxembourg Convention protects the profession of lawyer.")] == [
        "226",
        "226",
    ]
    assert [r[1] for r in rows("The Luxembourg Convention was cited.")] == ["105", "226"]


def test_chart(seed_docs):
    ax = treaty_series_chart(treaty_list(), treaties_mentioned(find_treaties(seed_docs)))
    assert len(ax.collections) == 2  # number+title, topic
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 9 and labels[0].startswith("No. 18 ") and labels[-1].startswith("the whole series")
    assert [t.get_text() for t in ax.figure.legends[0].get_texts()] == [
        "linked by number+title",
        "linked by topic (a guess)",
    ]


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


CORPORA = Path(__file__).resolve().parents[1] / "corpora"


@pytest.mark.parametrize("corpus", ["whitehouse_diplomacy", "whitehouse_statements"])
def test_on_real_statements_topics_need_the_coe_and_other_bodies_treaties_get_no_number(corpus):
    """The 410 and the 3,000 real statements (UN, OECD and UNESCO conventions among them): every topic
    link sits in a text that names the Council of Europe or a CoE treaty, and no listed name of
    another body's treaty (found here by plain search) lies under a row with a CETS number. Only
    the 410 have texts about the Council of Europe, so only they must have topic links."""
    docs = helpers.load_corpus(CORPORA / corpus)
    table = find_treaties(docs)
    assert_offsets_exact(table, docs)
    texts = docs.set_index("doc_id")["text"]
    coe_named = {d for d in texts.index if re.search(r"Council of Europe|\bCoE\b", texts[d])}
    strong = table[(table["strength"] == "strong") & (table["series"] == "CoE") & (table["title"] != "")]
    topics = table[table["match"] == "topic"]
    assert len(topics) or corpus == "whitehouse_statements", "topic links in texts about the CoE"
    assert set(topics["doc_id"]) <= coe_named | set(strong["doc_id"])
    names = [n for cell in other_treaties()["names"] for n in cell.split(" | ")] + list(
        other_treaties()["title"]
    )
    any_name = re.compile("|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True)))
    found = pd.DataFrame(
        [(d, m.start(), m.end()) for d, text in texts.items() for m in any_name.finditer(text)],
        columns=["doc_id", "a", "b"],
    )
    assert {"UN", "OECD", "UNESCO"} <= set(table["series"]), "the corpus names other bodies' treaties"
    assert len(found) >= 20
    linked = table[table["number"] != ""].merge(found, on="doc_id")
    overlapping = linked[(linked["start"] < linked["b"]) & (linked["a"] < linked["end"])]
    assert overlapping.empty, overlapping[["doc_id", "text", "number"]]


def test_a_topic_linked_to_two_treaties_is_one_mark_naming_both(seed_docs):
    """ "conventions on combating corruption" links to Nos. 173 and 174: the highlight shows one mark
    that says so, not two nested marks of which the reader sees one."""
    from helpers.highlight import highlight_document

    page = str(highlight_document(seed_docs, find_treaties(seed_docs), label="match"))
    marks = re.findall(r'title="([^"]*)">corruption<', page)
    assert len(marks) == 1 and "2 links" in marks[0] and "173 | 174" in marks[0]
    assert "topic ×2" in page
