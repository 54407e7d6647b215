"""Term frequencies on the seed (counts checked by hand), on empty input and on a tiny corpus."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import pandas as pd
import pytest
from conftest import assert_offsets_exact

import helpers
from helpers.charts import dispersion_chart
from helpers.terms import (
    collocations,
    count_of,
    dispersion,
    distinctive_terms,
    kwic,
    kwic_html,
    lexical_diversity,
    merge_phrases,
    ngram_counts,
    organisation_aliases,
    phrase_parts,
    term_counts,
)

TWO = pd.DataFrame(
    {
        "doc_id": ["a", "b"],
        "text": [
            "Rain fell on Paris. Rain fell again.",
            "Sun shone on Rome. The sun, the sun!",
        ],
    }
)


@pytest.fixture(scope="module")
def two_tokens():
    return helpers.tokenize(TWO)


def count(table: pd.DataFrame, term: str) -> int:
    """The test's own reading of a counts table (independent of `count_of`)."""
    return int(table.loc[table["term"] == term, "count"].sum())


def test_count_of():
    table = pd.DataFrame({"term": ["a", "b"], "count": [3, 1], "per_1000": [750.0, 250.0]})
    assert (count_of(table, "a"), count_of(table, "b"), count_of(table, "zzz")) == (3, 1, 0)


def test_seed_counts(seed_tokens):
    """By hand in the body: "Kazakhstan" 8 times (Republic of K., K. and the CoE, K.'s efforts,
    development of K., K.'s keen, projects in K., (K., Kyrgyzstan, K. is not); "the" is never
    a content term; "cooperation" 3 (the headline's is not in the body)."""
    content = term_counts(seed_tokens)
    assert count(content, "kazakhstan") == 8
    assert count(content, "cooperation") == 3
    assert count(content, "the") == 0 and count(content, ",") == 0
    everything = term_counts(seed_tokens, stop_words=True, punct=True)
    assert count(everything, "the") > 20 and count(everything, ",") > 0
    words = (~seed_tokens["is_punct"]).sum()
    assert content.loc[content["term"] == "kazakhstan", "per_1000"].item() == pytest.approx(8000 / words)
    assert content["count"].is_monotonic_decreasing


def test_aliases_council_of_europe_15_and_eu_3(seed_docs, seed_tokens):
    """By hand: the body names "Council of Europe" 8 times and "CoE" 6 times (14); the headline
    adds one "Council of Europe" (15 in the file). "European Union" 2 + "EU" 1 = 3."""
    apart = term_counts(seed_tokens)
    assert count(apart, "council") == 8 and count(apart, "europe") == 8
    phrases = merge_phrases(seed_tokens, seed_docs)
    assert_offsets_exact(phrases.rename(columns={"token": "text"}), seed_docs)
    merged = term_counts(phrases, aliases=organisation_aliases())
    assert count(merged, "council of europe") == 14
    assert count(merged, "european union") == 3
    assert count(merged, "coe") == 0 and count(merged, "council") == 0
    titles = helpers.headlines(seed_docs)
    head = term_counts(merge_phrases(helpers.tokenize(titles), titles), aliases=organisation_aliases())
    assert count(merged, "council of europe") + count(head, "council of europe") == 15


def test_acronym_that_is_a_word_is_not_an_alias():
    aliases = organisation_aliases()
    assert aliases["coe"] == "council of europe" and "who" not in aliases


def test_ngrams_stay_inside_sentences(two_tokens, seed_tokens):
    """ "Paris. Rain" crosses a sentence end: no bigram "paris rain". By hand: "rain fell" 2."""
    bigrams = ngram_counts(two_tokens, 2, stop_words=True).set_index("ngram")["count"]
    assert bigrams["rain fell"] == 2 and "paris rain" not in bigrams
    assert "sun the" not in bigrams  # "sun, the" has a comma between
    seed = ngram_counts(seed_tokens, 2).set_index("ngram")["count"]
    assert seed["central asia"] == 2 and seed["human rights"] == 2
    assert ngram_counts(seed_tokens, 3).set_index("ngram")["count"]["rule of law"] == 4


def test_collocations(seed_tokens):
    """By hand: "Deputy Minister" occurs twice and "deputy"/"minister" nowhere else, so it has the
    highest PMI of the pairs seen twice: log2(N / 2) with N the bigram count."""
    table = collocations(seed_tokens, min_freq=2)
    assert list(table.columns) == ["w1", "w2", "count", "pmi", "likelihood"]
    assert (table["count"] >= 2).all()
    top = table.iloc[0]
    assert (top["w1"], top["w2"]) in {("deputy", "minister"), ("human", "rights")}
    assert top["pmi"] == pytest.approx(table["pmi"].max())
    assert not table["w1"].isin(["the", "of", ","]).any()
    assert len(collocations(seed_tokens, min_freq=1)) > len(table)


def test_kwic_offsets_and_phrases(seed_docs, seed_tokens):
    table = kwic(seed_docs, seed_tokens, "cooperation")
    assert len(table) == 3
    assert_offsets_exact(table, seed_docs)
    assert (table["keyword"] == table["text"]).all()
    coe = kwic(seed_docs, seed_tokens, "council of europe")
    assert len(coe) == 8 and (coe["text"] == "Council of Europe").all()
    assert_offsets_exact(coe, seed_docs)
    assert kwic(seed_docs, seed_tokens, "nonexistentword").empty


def test_kwic_html_escapes(seed_docs):
    docs = pd.DataFrame(
        {"doc_id": ["x<y>"], "text": ["Before <script>alert(1)</script> the keyword & after."]}
    )
    page = kwic_html(kwic(docs, helpers.tokenize(docs), "keyword"))
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp;" in page
    assert "<mark>keyword</mark>" in page and "x&lt;y&gt;" in page
    assert "no occurrences" in kwic_html(kwic(docs, helpers.tokenize(docs), "absent"))


def test_dispersion_and_its_chart(seed_docs, seed_tokens):
    table = dispersion(seed_docs, seed_tokens, ["Vassilenko", "Neukirch"])
    assert_offsets_exact(table, seed_docs)
    assert sorted(table.groupby("term").size().items()) == [("Neukirch", 2), ("Vassilenko", 2)]
    assert table["position"].between(0, 1).all()
    ax = dispersion_chart(table, ["Vassilenko", "Neukirch"])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Vassilenko", "Neukirch"]
    bottom, top = ax.get_ylim()
    assert bottom > top, "first term must be drawn at the top"
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    for label in ax.get_yticklabels():
        assert label.get_window_extent(renderer).x0 >= 0, "label clipped"


def test_lexical_diversity(two_tokens):
    """By hand: a = rain fell on paris rain fell again (7 words, 5 types);
    b = sun shone on rome the sun the sun (8 words, 5 types: sun shone on rome the)."""
    table = lexical_diversity(two_tokens).set_index("doc_id")
    assert table.loc["a", ["words", "types"]].tolist() == [7, 5]
    assert table.loc["b", ["words", "types"]].tolist() == [8, 5]
    assert table.loc["b", "ttr"] == pytest.approx(5 / 8)


def test_distinctive_terms_across_documents(two_tokens):
    """By hand, content words: a = rain rain fell fell paris (5: "on", "again" are stop words),
    b = sun sun sun shone rome (5).
    idf with N=2 and df=1: ln(3/2)+1. "sun": 3/5 * (ln 1.5 + 1)."""
    table = distinctive_terms(TWO, two_tokens, top=2)
    assert set(table["unit"]) == {"document"}
    b = table[table["unit_id"] == "b"]
    assert b.iloc[0]["term"] == "sun"
    assert b.iloc[0]["tfidf"] == pytest.approx(3 / 5 * (math.log(1.5) + 1))
    assert list(table["rank"]) == [1, 2, 1, 2]


def test_distinctive_terms_across_paragraphs_for_one_document(seed_docs, seed_tokens):
    table = distinctive_terms(seed_docs, seed_tokens, top=3)
    assert set(table["unit"]) == {"paragraph"}
    assert table["unit_id"].nunique() == 8  # the body has 8 paragraphs
    last = table[table["unit_id"].str.endswith("¶8")]
    assert "no." not in set(last["term"])  # an abbreviation is a stop word


def test_empty_tokens_table():
    empty_docs = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)})
    empty = helpers.tokenize(empty_docs)
    assert term_counts(empty).empty and term_counts(empty, by_doc=True).empty
    assert ngram_counts(empty).empty
    assert collocations(empty).empty
    assert kwic(empty_docs, empty, "x").empty
    assert lexical_diversity(empty).empty
    assert distinctive_terms(empty_docs, empty).empty
    assert merge_phrases(empty, empty_docs).empty
    assert dispersion(empty_docs, empty, ["x"]).empty


def test_per_document_counts(two_tokens):
    table = term_counts(two_tokens, by_doc=True)
    assert table.loc[(table["doc_id"] == "b") & (table["term"] == "sun"), "count"].item() == 3
    assert table.loc[(table["doc_id"] == "b") & (table["term"] == "sun"), "per_1000"].item() == pytest.approx(
        3000 / 8
    )


# ------------------------------------------------ the vectorised finders against NLTK's per-sentence recipes


@pytest.fixture(scope="module")
def real():
    docs = helpers.load_corpus("tests/data/whitehouse_sample")
    return docs, helpers.tokenize(docs)


def per_sentence(tokens):
    return [s for _, s in tokens.groupby(["doc_id", "sent_id"], sort=False, observed=True)]


def test_merge_phrases_is_mwetokenizer(real):
    from nltk import MWETokenizer

    docs, tokens = real
    phrases = ["United States", "United States of America", "United Nations", "White House", "of America"]
    merged = merge_phrases(tokens, docs, phrases)
    mwe = MWETokenizer([phrase_parts(p) for p in phrases], separator=" ")
    expected = [n for s in per_sentence(tokens) for n in mwe.tokenize(list(s["norm"]))]
    assert list(merged["norm"]) == expected
    assert "united states of america" in expected or "united states" in expected
    assert_offsets_exact(merged.rename(columns={"token": "text"}), docs)


def test_phrases_never_merge_across_sentences():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["He praised the Council. Of Europe we know little."]})
    merged = merge_phrases(helpers.tokenize(docs), docs, ["Council of Europe", "Council"])
    assert "council of europe" not in set(merged["norm"])


def test_ngrams_and_kwic_match_a_per_sentence_count(real):
    from collections import Counter

    from nltk.util import ngrams

    docs, tokens = real
    expected = Counter()
    for s in per_sentence(tokens):
        for gram in ngrams(zip(s["norm"], s["is_punct"], s["is_stop"]), 3):
            if not any(p for _, p, _ in gram) and not (gram[0][2] or gram[-1][2]):
                expected[" ".join(w for w, _, _ in gram)] += 1
    assert dict(zip(*ngram_counts(tokens, 3).T.to_numpy())) == dict(expected)
    hits = sum(
        1
        for s in per_sentence(tokens)
        for a, b in zip(s["norm"], list(s["norm"])[1:])
        if (a, b) == ("united", "states")
    )
    assert len(kwic(docs, tokens, "United States")) == hits > 0


def test_collocations_match_nltk_from_documents(real):
    from nltk import BigramAssocMeasures, BigramCollocationFinder

    _, tokens = real
    finder = BigramCollocationFinder.from_documents([list(s["norm"]) for s in per_sentence(tokens)])
    finder.apply_freq_filter(2)
    ours = collocations(tokens, min_freq=1, stop_words=True)
    pmi = dict(finder.score_ngrams(BigramAssocMeasures().pmi))
    mine = {(a, b): p for a, b, c, p in ours[["w1", "w2", "count", "pmi"]].itertuples(index=False) if c >= 2}
    punct = set(tokens.loc[tokens["is_punct"], "norm"])
    assert mine == pytest.approx({k: v for k, v in pmi.items() if not ({*k} & punct)})
