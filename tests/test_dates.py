"""Dates: the seed facts, each rule family on paragraphs written for the test, traps, no DCT."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest
from conftest import assert_offsets_exact

from helpers.charts import timeline_chart
from helpers.dates import NEGATIVE_RULES, RULES, date_rules, find_dates

DCT = pd.Timestamp("2023-06-28")  # a Wednesday


def found(text: str, dct=DCT) -> list[tuple]:
    docs = pd.DataFrame({"doc_id": ["t"], "text": [text], "date": [dct]})
    table = find_dates(docs)
    assert_offsets_exact(table, docs)
    return [
        (
            r.text,
            r.type,
            r.value,
            None if pd.isna(r.first) else str(r.first.date()),
            None if pd.isna(r.last) else str(r.last.date()),
        )
        for r in table.itertuples()
    ]


def test_seed_dates(seed_docs):
    """By hand: the body names "2020-2023" twice (the programme) and "26-27 June" once; nothing
    else is a date: not the treaty numbers 165, 018, 141, 127, nor "46 states", nor "Second"."""
    table = find_dates(seed_docs)
    assert_offsets_exact(table, seed_docs)
    rows = [(r.text, r.type, r.value, str(r.first.date()), str(r.last.date())) for r in table.itertuples()]
    assert rows == [
        ("2020-2023", "DURATION", "P4Y", "2020-01-01", "2023-12-31"),
        ("26-27 June", "DURATION", "P2D", "2023-06-26", "2023-06-27"),
        ("2020-2023", "DURATION", "P4Y", "2020-01-01", "2023-12-31"),
    ]


def test_full_dates_in_common_orders():
    assert found("Signed 28 June 2023, June 28, 2023, 2023-06-28 and 1st of July 2023.") == [
        ("28 June 2023", "DATE", "2023-06-28", "2023-06-28", "2023-06-28"),
        ("June 28, 2023", "DATE", "2023-06-28", "2023-06-28", "2023-06-28"),
        ("2023-06-28", "DATE", "2023-06-28", "2023-06-28", "2023-06-28"),
        ("1st of July 2023", "DATE", "2023-07-01", "2023-07-01", "2023-07-01"),
    ]


def test_months_years_and_ranges():
    assert found("In June 2023 and since March; the war of 1957-58 and reforms from 2001 to 2009.") == [
        ("June 2023", "DATE", "2023-06", "2023-06-01", "2023-06-30"),
        ("March", "DATE", "2023-03", "2023-03-01", "2023-03-31"),
        ("1957-58", "DURATION", "P2Y", "1957-01-01", "1958-12-31"),
        ("from 2001 to 2009", "DURATION", "P9Y", "2001-01-01", "2009-12-31"),
    ]


def test_day_ranges_resolve_the_year_from_the_dct():
    """A range is a TIMEX3 DURATION (P3D: 5, 6, 7 June); its first and last days are its beginPoint
    and endPoint, kept for the timeline."""
    assert found("Held on June 5-7 and from 30 June to 2 July.") == [
        ("June 5-7", "DURATION", "P3D", "2023-06-05", "2023-06-07"),
        ("30 June to 2 July", "DURATION", "P3D", "2023-06-30", "2023-07-02"),
    ]
    assert found("Parades run from February 21 to March 4.") == [
        ("February 21 to March 4", "DURATION", "P12D", "2023-02-21", "2023-03-04")
    ]


def test_weekdays_and_relative_days():
    """DCT Wednesday 2023-06-28: past Monday = 26th; "will ... Friday" = 30th; last week = ISO week 25
    (19-25 June); next month = July; yesterday = 27th."""
    assert found(
        "On Monday envoys met; they will meet again on Friday. Yesterday, last week, next month "
        "and this year were busy; tomorrow too."
    ) == [
        ("Monday", "DATE", "2023-06-26", "2023-06-26", "2023-06-26"),
        ("Friday", "DATE", "2023-06-30", "2023-06-30", "2023-06-30"),
        ("Yesterday", "DATE", "2023-06-27", "2023-06-27", "2023-06-27"),
        ("last week", "DATE", "2023-W25", "2023-06-19", "2023-06-25"),
        ("next month", "DATE", "2023-07", "2023-07-01", "2023-07-31"),
        ("this year", "DATE", "2023", "2023-01-01", "2023-12-31"),
        ("tomorrow", "DATE", "2023-06-29", "2023-06-29", "2023-06-29"),
    ]


def test_a_weekday_in_a_clause_that_names_its_week_is_in_that_week():
    """DCT Wednesday 2023-06-28: "last week ... on Monday" is the Monday of last week (the 19th), not
    of this one; "next week ... on Friday" the Friday of next week; a clause without a week keeps the
    tense rule, and "last weekend" names no week."""
    assert found(
        "Last week the envoys met on Monday; next week they meet on Friday; they met on Tuesday. "
        "Last weekend they rested on Sunday."
    ) == [
        ("Last week", "DATE", "2023-W25", "2023-06-19", "2023-06-25"),
        ("Monday", "DATE", "2023-06-19", "2023-06-19", "2023-06-19"),
        ("next week", "DATE", "2023-W27", "2023-07-03", "2023-07-09"),
        ("Friday", "DATE", "2023-07-07", "2023-07-07", "2023-07-07"),
        ("Tuesday", "DATE", "2023-06-27", "2023-06-27", "2023-06-27"),
        ("Last weekend", "DATE", "2023-W25-WE", "2023-06-24", "2023-06-25"),
        ("Sunday", "DATE", "2023-06-25", "2023-06-25", "2023-06-25"),
    ]
    # two weeks in one clause: each weekday goes with the nearer
    assert [r[2] for r in found("They met last week on Monday and will meet next week on Friday.")] == [
        "2023-W25",
        "2023-06-19",
        "2023-W27",
        "2023-07-07",
    ]


def test_seasons_quarters_decades_centuries():
    assert found(
        "In spring 2024, the first quarter of 2023, Q3 2023, last winter, the 1990s and the 21st century."
    ) == [
        ("spring 2024", "DATE", "2024-SP", "2024-03-01", "2024-05-31"),
        ("the first quarter of 2023", "DATE", "2023-Q1", "2023-01-01", "2023-03-31"),
        ("Q3 2023", "DATE", "2023-Q3", "2023-07-01", "2023-09-30"),
        ("last winter", "DATE", "2022-WI", "2022-12-01", "2023-02-28"),
        ("the 1990s", "DATE", "199", "1990-01-01", "1999-12-31"),
        ("the 21st century", "DATE", "20", "2000-01-01", "2099-12-31"),
    ]


def test_durations_sets_times_and_now():
    assert found(
        "It took three years and 18 months, two weeks ago; now it meets every year and weekly, "
        "at 10:00 or 3 p.m."
    ) == [
        ("three years", "DURATION", "P3Y", None, None),
        ("18 months", "DURATION", "P18M", None, None),
        ("two weeks ago", "DATE", "2023-06-14", "2023-06-14", "2023-06-14"),
        ("now", "DATE", "PRESENT_REF", "2023-06-28", "2023-06-28"),
        ("every year", "SET", "P1Y", None, None),
        ("weekly", "SET", "P1W", None, None),
        ("10:00", "TIME", "2023-06-28T10:00", "2023-06-28", "2023-06-28"),
        ("3 p.m.", "TIME", "2023-06-28T15:00", "2023-06-28", "2023-06-28"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The treaty (No. 127) and CETS No. 185 and ETS 2005.",
        "It was signed by 46 states and 2000 troops.",
        "Tickets cost $2023 and €1999; see page 1998.",
        "The Second Regional Steering Committee met; turnout was 2020 people.",
        "Impossible: 31 June and 2023-02-30.",
        "The May meeting may go on.",
    ],
)
def test_numbers_that_are_not_dates(text):
    assert found(text) == []


def test_without_a_header_date_relative_values_stay_unresolved():
    rows = find_dates(
        pd.DataFrame(
            {"doc_id": ["n"], "text": ["On 26-27 June, yesterday and last week; in 2019."], "date": [pd.NaT]}
        )
    )
    by_text = rows.set_index("text")
    assert by_text.loc["26-27 June", "value"] == "P2D"
    assert by_text.loc["yesterday", "value"] == "XXXX-XX-XX"
    assert by_text.loc["last week", "value"] == "XXXX-WXX"
    assert by_text[["first", "last"]].drop(index="2019").isna().all().all()
    assert (by_text.drop(index="2019")["note"].str.len() > 0).all()
    assert by_text.loc["2019", "value"] == "2019"  # a full year needs no DCT
    no_date_column = find_dates(pd.DataFrame({"doc_id": ["n"], "text": ["Yesterday."]}))
    assert no_date_column["value"].tolist() == ["XXXX-XX-XX"]


def example_variants(example: str) -> list[str]:
    """The alternatives of a rule's example ("a; b"), each with and without its optional "(...)" part."""
    variants = []
    for alternative in example.split("; "):
        whole = re.sub(r"\(([^)]*)\)", r"\1", alternative)
        variants += dict.fromkeys([whole, re.sub(r"\([^)]*\)", "", alternative).strip()])
    return variants


def test_every_rule_finds_its_own_example():
    """Each alternative of each rule's example is found whole by that rule itself, and by no other,
    with the value the rule table gives for it (for a document dated 2023-06-28)."""
    for rule in RULES:
        examples = example_variants(rule.example)
        values = rule.value.split("; ")
        assert len(values) == len(examples), (rule.name, "one value per example alternative")
        for example, value in zip(examples, values):
            expected = re.sub(r"^(?:in|on|at|through) ", "", example)
            rows = find_dates(pd.DataFrame({"doc_id": ["t"], "text": [example], "date": [DCT]}))
            assert list(zip(rows["text"], rows["rule"], rows["value"])) == [(expected, rule.name, value)], (
                rule.name,
                example,
            )
    assert list(date_rules()["rule"]) == [r.name for r in RULES + NEGATIVE_RULES]


def test_negative_rules_keep_their_examples_from_being_dates():
    assert NEGATIVE_RULES, "the traps are rules of the table"
    for rule in NEGATIVE_RULES:
        for example in example_variants(rule.example):
            rows = find_dates(pd.DataFrame({"doc_id": ["t"], "text": [f"In {example}."], "date": [DCT]}))
            assert rows.empty, (rule.name, example, list(rows["text"]))


def test_timeline_chart_shows_one_document(seed_docs):
    ax = timeline_chart(find_dates(seed_docs), seed_docs)
    # "2020-2023" is said twice: one row; "26-27 June", too short to see as a bar, is a point
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2020-2023  (P4Y)  ×2", "26-27 June  (P2D)"]
    assert [h.get_text() for h in ax.get_legend().get_texts()] == [
        "a day (or a few days)",
        "a span of days",
        "published 2023-06-28",
    ]
    assert "Kazakh Deputy FM" in ax.get_title()
    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "text": ["No dates.", "On 3 May 2020 and 4 May 2020."], "date": [DCT, DCT]}
    )
    ax = timeline_chart(find_dates(docs), docs)  # default: the document with the most dates
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "3 May 2020  (2020-05-03)",
        "4 May 2020  (2020-05-04)",
    ]
    assert "Dates mentioned in b" in ax.get_title()


def test_empty():
    empty = pd.DataFrame(
        {
            "doc_id": pd.Series([], dtype=str),
            "text": pd.Series([], dtype=str),
            "date": pd.Series([], dtype="datetime64[ns]"),
        }
    )
    assert find_dates(empty).empty


# ---------------------------------------------------------------- TIMEX3 as TempEval-3 applied it to news
# Each case worked out by hand, on sentences written for the test: (text, type, value, first, last).

MONDAY = pd.Timestamp("2013-03-18")
FRIDAY = pd.Timestamp("2013-03-22")


@pytest.mark.parametrize(
    "text, dct, expected",
    [
        # said on Monday 18 March: the coming Wednesday is the 20th, the last one the 13th
        (
            "He'll be out there Wednesday.",
            MONDAY,
            [("Wednesday", "DATE", "2013-03-20", "2013-03-20", "2013-03-20")],
        ),
        (
            "He was out there Wednesday.",
            MONDAY,
            [("Wednesday", "DATE", "2013-03-13", "2013-03-13", "2013-03-13")],
        ),
        (
            "The talks will resume this Thursday.",
            MONDAY,
            [("this Thursday", "DATE", "2013-03-21", "2013-03-21", "2013-03-21")],
        ),
        (
            "The talks resumed this Thursday.",
            MONDAY,
            [("this Thursday", "DATE", "2013-03-14", "2013-03-14", "2013-03-14")],
        ),
        # dated 22 March 2013: a past November is 2012's, a future one 2013's
        (
            "The vote took place in November.",
            FRIDAY,
            [("November", "DATE", "2012-11", "2012-11-01", "2012-11-30")],
        ),
        (
            "The vote will take place in November.",
            FRIDAY,
            [("November", "DATE", "2013-11", "2013-11-01", "2013-11-30")],
        ),
        # the nearest tense cue decides: "will travel", not "said"
        (
            "He said he will travel there in November.",
            FRIDAY,
            [("November", "DATE", "2013-11", "2013-11-01", "2013-11-30")],
        ),
        # "last <Month>" is the one before the document's month, and in the span: last March is 2012's
        (
            "She visited last November and last March.",
            FRIDAY,
            [
                ("last November", "DATE", "2012-11", "2012-11-01", "2012-11-30"),
                ("last March", "DATE", "2012-03", "2012-03-01", "2012-03-31"),
            ],
        ),
        # "held" after "be" is a participle, no past tense; "will" decides
        (
            "The summit will be held in November.",
            FRIDAY,
            [("November", "DATE", "2013-11", "2013-11-01", "2013-11-30")],
        ),
        # a day without a year is read the same way: held in June, said in January 2024, is 2023's;
        # a summit that will open on 5 February, said in June 2023, opens in 2024
        (
            "The meeting was held on 26-27 June.",
            pd.Timestamp("2024-01-10"),
            [("26-27 June", "DURATION", "P2D", "2023-06-26", "2023-06-27")],
        ),
        (
            "The summit will open on 5 February.",
            DCT,
            [("5 February", "DATE", "2024-02-05", "2024-02-05", "2024-02-05")],
        ),
    ],
)
def test_tense_decides_the_direction(text, dct, expected):
    assert found(text, dct) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # DCT Wednesday 2023-06-28; "a couple of" is about two (the note says mod APPROX)
        (
            "We met a couple of weeks ago.",
            [("a couple of weeks ago", "DATE", "2023-06-14", "2023-06-14", "2023-06-14")],
        ),
        # "X from now" is one DATE, not a duration and "now"
        (
            "They meet again two weeks from now, a year from now at the latest.",
            [
                ("two weeks from now", "DATE", "2023-07-12", "2023-07-12", "2023-07-12"),
                ("a year from now", "DATE", "2024", "2024-01-01", "2024-12-31"),
            ],
        ),
        (
            "Shots were fired last night; the team rests this weekend.",
            [
                ("last night", "TIME", "2023-06-27TNI", "2023-06-27", "2023-06-27"),
                ("this weekend", "DATE", "2023-W26-WE", "2023-07-01", "2023-07-02"),
            ],
        ),
        # mid = the middle third of April (11-20); early = the first third of 2024 (122 of 366 days:
        # to 1 May); the end = the last third of 2023 (121 of 365 days: from 2 September)
        ("Prices peaked in mid-April.", [("mid-April", "DATE", "2023-04", "2023-04-11", "2023-04-20")]),
        ("A vote is due early next year.", [("early next year", "DATE", "2024", "2024-01-01", "2024-05-01")]),
        (
            "It ends at the end of the year.",
            [("the end of the year", "DATE", "2023", "2023-09-02", "2023-12-31")],
        ),
        # a fiscal year's calendar days depend on who keeps it: none are claimed
        ("Spending rose this fiscal year.", [("this fiscal year", "DATE", "FY2023", None, None)]),
        # periods up to now or from now are durations, one expression each
        (
            "Talks stalled in recent weeks; the next few months decide.",
            [
                ("recent weeks", "DURATION", "PXW", None, None),
                ("the next few months", "DURATION", "PXM", None, None),
            ],
        ),
        (
            "Prices doubled in the past several months.",
            [("the past several months", "DURATION", "PXM", None, None)],
        ),
        # "through November" in a past clause of 28 June 2023 is November 2022
        ("Prices rose through November.", [("November", "DATE", "2022-11", "2022-11-01", "2022-11-30")]),
        (
            "He left in November of 2011.",
            [("November of 2011", "DATE", "2011-11", "2011-11-01", "2011-11-30")],
        ),
        (
            "The rite goes back 2,500 years; the meeting lasted an hour and a half.",
            [
                ("2,500 years", "DURATION", "P2500Y", None, None),
                ("an hour and a half", "DURATION", "PT1.5H", None, None),
            ],
        ),
        (
            "The site went down within minutes and stayed dark for days.",
            [("minutes", "DURATION", "PTXM", None, None), ("days", "DURATION", "PXD", None, None)],
        ),
    ],
)
def test_missing_families(text, expected):
    assert found(text) == expected


def test_notes_carry_the_timex3_mod():
    docs = pd.DataFrame(
        {
            "doc_id": ["t"],
            "text": ["We met a couple of weeks ago, in mid-April and at the end of the year."],
            "date": [DCT],
        }
    )
    assert find_dates(docs)["note"].tolist() == ["TIMEX3 mod=APPROX", "TIMEX3 mod=MID", "TIMEX3 mod=END"]


@pytest.mark.parametrize(
    "text",
    [
        "The coalition began to fall apart.",
        "Hackers used two zero days and a zero-day exploit.",
        "It was in the Presidential Daily Brief.",
        "Vaccines for everyone 6 months and older; a 12-year-old girl; adults 65 years or older.",
        "The city is 2,500 years old.",
        "Agenda 2030 and Coronavirus Disease 2019 were discussed.",
        "The Arab Spring ended; after the fall of Kabul, aid resumed.",
        "She launched the 100 Days Masking Challenge and 30 Days of Action.",
        "Congress must act as soon as possible.",
    ],
)
def test_not_dates(text):
    assert found(text) == []


def test_rates_only_where_they_are_rates():
    """ "24 hours a day" is a SET (every day, 24 hours of it); "two days a week ago" is a duration
    and a date a week before 28 June."""
    assert found("Crews worked 24 hours a day, seven days a week.") == [
        ("24 hours a day", "SET", "P1D", None, None),
        ("seven days a week", "SET", "P1W", None, None),
    ]
    assert found("The storm lasted two days a week ago.") == [
        ("two days", "DURATION", "P2D", None, None),
        ("a week ago", "DATE", "2023-06-21", "2023-06-21", "2023-06-21"),
    ]


def test_a_year_before_a_singular_noun_in_s_stays_a_year():
    """The "plural noun after a year" guard ("2000 troops") must not drop "2009 analysis"."""
    assert found("The 2009 analysis and the 2022 crisis; 2000 soldiers; the Act of 1964 as read.") == [
        ("2009", "DATE", "2009", "2009-01-01", "2009-12-31"),
        ("2022", "DATE", "2022", "2022-01-01", "2022-12-31"),
        ("1964", "DATE", "1964", "1964-01-01", "1964-12-31"),
    ]


def test_decades_are_de_everywhere():
    assert [row[2] for row in found("It took a decade, over the past decade, for decades.")] == [
        "P1DE",
        "P1DE",
        "PXDE",
    ]


TIMEX3_VALUE = re.compile(
    r"""(?:P(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|DE|CE)|PT(?:\d+(?:\.\d+)?|X)(?:H|M)    # durations
    |(?:\d{4}|XXXX)(?:-(?:\d\d|XX)(?:-(?:\d\d|XX))?)?(?:T(?:\d\d:\d\d|MO|AF|EV|NI))?  # dates, times
    |(?:\d{4}|XXXX)-(?:W\d\d|WXX)(?:-(?:\d|WE))?|(?:\d{4}|XXXX)-(?:SP|SU|FA|WI|Q[1-4]|H[12])  # weeks, parts
    |\d{2,3}|FY(?:\d{4}|XXXX)|PAST_REF|PRESENT_REF|FUTURE_REF)""",
    re.VERBOSE,
)


def test_every_value_of_the_rule_table_is_a_timex3_value():
    """No ISO interval ("2020/2023"): ranges are durations; every example value is TIMEX3."""
    for rule in RULES:
        for value in rule.value.split("; "):
            assert TIMEX3_VALUE.fullmatch(value), (rule.name, value)


EDGE_DATES = [
    "0001-01-01",
    "0001-01-02",
    "0001-12-31",
    "1677-09-21",
    "2262-04-11",
    "9999-01-01",
    "9999-12-31",
]


@pytest.mark.parametrize("header", EDGE_DATES)
def test_every_rule_at_the_edges_of_the_calendar(header):
    """Each rule's examples (every relative rule among them) in a document dated at the first or
    last days of the calendar: no exception and no problem; a value that would leave years 1 to 9999
    is an unresolved date with a note, and every calendar day found is a real one."""
    text = " ".join(f"{example}." for example in date_rules()["example"])
    docs = pd.DataFrame({"doc_id": ["edge"], "text": [text], "date": [pd.Timestamp(header)]})
    table = find_dates(docs)
    assert "problems" not in table.attrs
    assert_offsets_exact(table, docs)
    outside = table["note"].str.contains("outside the years 1 to 9999")
    assert (table.loc[outside, "value"] == "XXXX-XX-XX").all()
    assert table.loc[outside, ["first", "last"]].isna().all().all()
    assert len(table) >= len(RULES)


@pytest.mark.parametrize(
    ("header", "text", "value"),
    [
        ("9999-12-31", "Tomorrow.", "XXXX-XX-XX"),
        ("9999-12-31", "Yesterday.", "9999-12-30"),
        ("9999-12-31", "next year", "XXXX-XX-XX"),
        ("0001-01-01", "Yesterday.", "XXXX-XX-XX"),
        ("0001-01-01", "last year", "XXXX-XX-XX"),
        ("0001-01-01", "Tomorrow.", "0001-01-02"),
    ],
)
def test_relative_dates_past_the_calendar_have_no_value(header, text, value):
    assert found(text, pd.Timestamp(header))[0][2] == value
