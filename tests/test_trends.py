"""A corpus over time: per-period counts add up, keyness matches a hand computation, drill-down and
temporal focus keep their offsets."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.dates import find_dates
from helpers.terms import words_only
from helpers.treaties import find_treaties
from helpers.trends import (
    choose_period,
    document_item_table,
    documents_about,
    documents_between,
    documents_per_period,
    export_tables,
    keyness,
    log_likelihood,
    log_ratio,
    mentions_per_period,
    peak_item,
    peak_periods,
    temporal_focus,
)

EXAMPLE = Path(__file__).parent.parent / "corpora" / "whitehouse_diplomacy"


def corpus(texts: dict[str, tuple[str, str | None]]) -> pd.DataFrame:
    """A documents table from {doc_id: (text, date or None)}."""
    return pd.DataFrame(
        {
            "doc_id": list(texts),
            "text": [t for t, _ in texts.values()],
            "date": [pd.Timestamp(d) if d else pd.NaT for _, d in texts.values()],
            "title": [f"Title {k}" for k in texts],
        }
    )


@pytest.fixture(scope="module")
def example():
    docs = helpers.load_corpus(EXAMPLE)
    return docs, helpers.tokenize(docs)


def test_the_period_is_the_finest_that_keeps_the_chart_readable():
    days = corpus({"a": ("x", "2024-01-01"), "b": ("y", "2024-01-20")})
    months = corpus({"a": ("x", "2020-01-01"), "b": ("y", "2023-06-20")})
    decades = corpus({"a": ("x", "1990-01-01"), "b": ("y", "2024-06-20")})
    assert [choose_period(d) for d in (days, months, decades)] == ["D", "M", "Y"]
    assert choose_period(corpus({"a": ("x", None)})) == "M"


def test_documents_per_period_sum_to_the_dated_documents_with_empty_periods_kept(example):
    docs, tokens = example
    table = documents_per_period(docs, tokens)
    assert table["documents"].sum() == docs["date"].notna().sum() == 409  # 410 files, one a copy
    assert table["words"].sum() == len(words_only(tokens))
    assert list(table["period"]) == sorted(table["period"])
    assert (table["documents"] == 0).any(), "a quarter without documents keeps its row (2025Q2)"
    by_month = documents_per_period(docs, period="M")
    assert by_month["documents"].sum() == 409 and len(by_month) == 62


def test_undated_documents_are_left_out_and_counted():
    docs = corpus({"a": ("one text", "2024-01-01"), "b": ("two", None), "c": ("three", "2024-03-05")})
    table = documents_per_period(docs, period="M")
    assert list(table["documents"]) == [1, 0, 1] and table.attrs["undated"] == 1
    by = documents_per_period(docs.assign(source=["X", "", "Y"]), period="M", by="source")
    assert by["documents"].sum() == 2 and len(by) == 3 * 2


def test_term_and_treaty_mentions_per_period_sum_to_the_corpus_totals(example):
    docs, tokens = example
    words = words_only(tokens, stop_words=False)
    terms = mentions_per_period(words, docs, tokens, "norm", top=20)
    totals = words["norm"].astype(str).value_counts()
    sums = terms.groupby("item")["mentions"].sum()
    assert len(sums) == 20 and all(sums[t] == totals[t] for t in sums.index)
    assert sums.min() >= totals.iloc[19], "the top 20 are the 20 most frequent"
    treaties = find_treaties(docs)
    by_title = mentions_per_period(treaties, docs, tokens, "title", top=5)
    named = treaties[treaties["title"] != ""]["title"].value_counts()
    assert by_title.groupby("item")["mentions"].sum().to_dict() == named.head(5).to_dict()
    assert "" not in set(by_title["item"]), "a mention without a linked title is not an item"
    per_period = documents_per_period(docs, tokens)
    first = terms[terms["item"] == terms["item"].iloc[0]]
    assert list(first["words"]) == list(per_period["words"])
    expected = 1000 * first["mentions"] / first["words"].where(first["words"] > 0)
    assert first["per_1000"].equals(expected)


def test_a_corpus_without_dates_or_items_gives_empty_tables_not_errors():
    docs = corpus({"a": ("Peace talks.", None)})
    tokens = helpers.tokenize(docs)
    words = words_only(tokens)
    assert mentions_per_period(words, docs, tokens, "norm").empty
    assert mentions_per_period(
        words, docs.assign(date=pd.Timestamp("2024-01-01")), tokens, "norm", items=[]
    ).empty
    assert documents_per_period(docs, tokens).empty


def test_peaks_and_the_most_eventful_item():
    docs = corpus(
        {"a": ("Peace peace talks.", "2024-01-01"), "b": ("Talks talks talks and more", "2024-02-01")}
    )
    tokens = helpers.tokenize(docs)
    counts = mentions_per_period(words_only(tokens, stop_words=False), docs, tokens, "norm", period="M")
    peaks = peak_periods(counts).set_index("item")
    assert str(peaks.loc["peace", "peak"]) == "2024-01" and peaks.loc["peace", "mentions"] == 2
    assert str(peaks.loc["talks", "peak"]) == "2024-02" and peaks.loc["talks", "mentions"] == 4
    # peace: all of its 2 mentions in one month; talks: 3 of 4
    assert peak_item(counts, least=2) == "peace"
    assert peak_item(counts, least=3) == "talks"


def test_keyness_matches_a_hand_computed_log_likelihood():
    # target: 4 words, "cat" 3 times; reference: 6 words, "cat" once.
    # E1 = 4 * 4 / 10 = 1.6, E2 = 6 * 4 / 10 = 2.4
    # G2 = 2 * (3 ln(3 / 1.6) + 1 ln(1 / 2.4)) = 2 * (1.885826 - 0.875469) = 2.020715
    # Log Ratio = log2((3 / 4) / (1 / 6)) = log2(4.5) = 2.169925
    docs = corpus({"t": ("cat cat cat dog.", "2024-01-01"), "r": ("cat dog dog dog dog dog.", "2024-02-01")})
    table = keyness(helpers.tokenize(docs), {"t"}, min_freq=1).set_index("term")
    assert table.loc["cat", "g2"] == pytest.approx(2.020715, abs=1e-5)
    assert table.loc["cat", "log_ratio"] == pytest.approx(2.169925, abs=1e-5)
    assert table.loc["cat", "key"] == "target" and table.loc["dog", "key"] == "reference"
    assert table.loc["cat", "p"] == pytest.approx(math.erfc(math.sqrt(2.020715 / 2)), abs=1e-6)
    assert (table.loc["cat", "target"], table.loc["cat", "reference"]) == (3, 1)
    assert log_likelihood(5, 5, 100, 100) == 0.0 and log_ratio(0, 4, 10, 10) == pytest.approx(-3.0)


def test_keyness_leaves_out_rare_words_stop_words_and_empty_sides():
    docs = corpus({"t": ("The cat and the dog.", "2024-01-01"), "r": ("The cat sat.", "2024-02-01")})
    tokens = helpers.tokenize(docs)
    assert set(keyness(tokens, {"t"}, min_freq=2)["term"]) == {"cat"}
    assert "the" in set(keyness(tokens, {"t"}, min_freq=2, stop_words=True)["term"])
    assert keyness(tokens, {"t", "r"}).empty and keyness(tokens, set()).empty


def test_keyness_against_a_chosen_reference_leaves_the_other_documents_out():
    docs = corpus(
        {
            "t": ("cat cat cat dog.", "2024-01-01"),
            "r": ("cat dog dog dog dog dog.", "2024-02-01"),
            "u": ("cat cat cat cat cat cat cat cat.", None),
        }
    )
    tokens = helpers.tokenize(docs)
    chosen = keyness(tokens, {"t"}, {"r"}, min_freq=1).set_index("term")
    assert chosen.loc["cat", "g2"] == pytest.approx(2.020715, abs=1e-5)  # as in the hand computation above
    assert (chosen.attrs["target_words"], chosen.attrs["reference_words"]) == (4, 6)
    assert keyness(tokens, {"t"}, min_freq=1).attrs["reference_words"] == 14, "by default: all the rest"


def test_keyness_on_real_text_finds_the_war_in_texts_naming_ukraine(example):
    docs, tokens = example
    ukraine = set(docs.loc[docs["text"].str.contains("Ukrain"), "doc_id"])
    table = keyness(tokens, ukraine)
    assert {"ukraine", "russia"} <= set(table[table["key"] == "target"]["term"].head(5))
    assert table["g2"].is_monotonic_decreasing


def test_documents_about_an_item_rank_by_density_and_keep_offsets(example):
    docs, tokens = example
    treaties = find_treaties(docs)
    item = treaties["title"].value_counts().index[0]
    table = documents_about(treaties, docs, tokens, "title", item, top=10)
    texts = docs.set_index("doc_id")["text"]
    assert len(table) == 10 and table["per_1000"].is_monotonic_decreasing
    assert all(
        texts[d][s:e] == t for d, s, e, t in zip(table["doc_id"], table["start"], table["end"], table["text"])
    )
    mine = treaties[treaties["title"] == item]
    firsts = mine.sort_values("start").groupby("doc_id")["start"].first()
    assert all(firsts[d] == s for d, s in zip(table["doc_id"], table["start"]))
    later = docs[docs["date"] >= "2024-01-01"]
    assert (documents_about(treaties, later, tokens, "title", item)["date"] >= "2024-01-01").all()


def test_a_long_highlighted_text_is_cut_at_a_line_and_says_what_follows():
    from helpers.trends import highlighted_documents

    text = "India and Japan.\n" * 300
    docs = corpus({"a": (text, "2024-01-01")})
    mentions = pd.DataFrame({"doc_id": "a", "start": range(0, len(text), 17), "actor": "India"})
    mentions = mentions.assign(end=mentions["start"] + 5, text="India")
    table = pd.DataFrame({"doc_id": ["a"], "anchor": ["doc-a"]})
    page = highlighted_documents(docs, mentions, table, label="actor", most_chars=170)
    assert page.count("<mark") == 10 and 'id="doc-a"' in page
    assert f"goes on for {len(text) - 170:,} more characters, with 290 more mention(s)" in page


def test_document_item_table_counts_the_mentions():
    mentions = pd.DataFrame(
        {"doc_id": ["a", "a", "b", "b", "b", "c"], "actor": ["X", "Y", "X", "X", "Y", "Z"]}
    )
    table = document_item_table(mentions, "actor", top=2)
    assert list(table.columns) == ["X", "Y"] and list(table.index) == ["b", "a"]
    assert table.loc["b"].tolist() == [2, 1]


def test_temporal_focus_measures_how_far_back_and_ahead():
    docs = corpus(
        {
            "a": (
                "Last year we met. Today we meet. We meet again next month. In 2019 it began.",
                "2024-06-12",
            ),
            "b": ("No date here.", None),
        }
    )
    dates = find_dates(docs)
    focus = temporal_focus(dates, docs).set_index("text")
    assert focus.loc["Last year", "days"] == (pd.Timestamp("2023-12-31") - pd.Timestamp("2024-06-12")).days
    assert focus.loc["Today", "days"] == 0 and focus.loc["Today", "reach"] == "within a week"
    assert focus.loc["next month", "days"] == (pd.Timestamp("2024-07-01") - pd.Timestamp("2024-06-12")).days
    assert focus.loc["next month", "reach"] == "1-4 weeks ahead"
    assert focus.loc["2019", "reach"] == "over a year back"
    text = docs.set_index("doc_id")["text"]
    assert all(
        text[d][s:e] == t
        for d, s, e, t in temporal_focus(dates, docs)[["doc_id", "start", "end", "text"]].itertuples(
            index=False
        )
    )


def test_temporal_focus_of_a_corpus_without_header_dates_is_empty():
    docs = corpus({"a": ("They met on 5 May 2024 and will meet next week.", None)})
    focus = temporal_focus(find_dates(docs), docs)
    assert focus.empty and "reach" in focus.columns


def test_documents_between_includes_both_ends():
    docs = corpus({"a": ("x", "2024-01-01"), "b": ("y", "2024-02-01"), "c": ("z", None)})
    assert documents_between(docs, "2024-01-01", "2024-02-01") == {"a", "b"}
    assert documents_between(docs, first="2024-01-02") == {"b"}


def test_tables_are_exported_as_csv(tmp_path):
    table = pd.DataFrame({"period": pd.period_range("2024-01", periods=2, freq="M"), "documents": [3, 0]})
    written = export_tables({"documents_per_period": table}, tmp_path / "out")
    back = pd.read_csv(written["file"].iloc[0])
    assert list(back["period"]) == ["2024-01", "2024-02"] and list(back["documents"]) == [3, 0]
    assert written["rows"].tolist() == [2]


def test_notebook_06_says_plainly_that_one_article_shows_no_trend(tmp_path):
    from tools.site_build import NOTEBOOKS, SEEDS, execute

    executed, failure = execute(NOTEBOOKS / "06_corpus_over_time.ipynb", SEEDS)
    assert failure is None, failure
    shown = "\n".join(
        str(o.get("data", {}).get("text/markdown", "")) for c in executed.cells for o in c.get("outputs", [])
    )
    assert "Trends need more documents" in shown
    assert "**1** of 1 documents have a date" in shown
