"""Sentences and tokens: the seed facts, and exact offsets as a property over generated texts."""

from __future__ import annotations

import pandas as pd
from conftest import TEXTS
from hypothesis import given, settings

import helpers
from helpers.tokens import TOKEN_COLUMNS, is_punctuation


def docs_of(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts)})


def test_token_columns(seed_tokens):
    assert list(seed_tokens.columns) == TOKEN_COLUMNS
    assert seed_tokens["token_id"].tolist() == list(range(len(seed_tokens)))


def test_seed_sentences_keep_treaty_numbers_inside(seed_docs):
    sents = helpers.sentences(seed_docs)
    assert len(sents) == 12  # dateline "ASTANA." + 11 sentences of the body (counted by hand)
    last = sents.iloc[-1]["text"]
    for number in ["(No. 165)", "(No. 018)", "(No. 141)", "(No. 127)"]:
        assert number in last
    naive = helpers.sentences(seed_docs, abbreviations=())
    assert len(naive) == 16
    assert naive["text"].str.endswith("(No.").sum() == 4


def test_paragraphs_are_always_sentence_boundaries():
    sents = helpers.sentences(docs_of("Heading without a period\n\nThe text starts here. It goes on"))
    assert sents["text"].tolist() == ["Heading without a period", "The text starts here.", "It goes on"]


def test_possessive_and_guillemets(seed_tokens):
    rows = seed_tokens[seed_tokens["start"].between(480, 500)]
    pairs = list(zip(rows["token"], rows["norm"]))
    assert ("Kazakhstan", "kazakhstan") in pairs and ("’s", "'s") in pairs
    assert (seed_tokens["token"] == "«").sum() == 5 and (seed_tokens["token"] == "»").sum() == 5
    assert seed_tokens.loc[seed_tokens["token"] == "’s", "is_stop"].all()


def test_norm_unifies_quotes_and_case():
    tokens = helpers.tokenize(docs_of("“Peace” and ‘Order’ are EU’s words, it's said."))
    assert '"' in tokens["norm"].tolist()
    assert "'s" in tokens["norm"].tolist()
    assert "eu" in tokens["norm"].tolist()
    assert tokens.loc[tokens["token"] == "“", "is_punct"].item()


def test_stop_and_punct_flags(seed_tokens):
    flags = seed_tokens.set_index("token")
    assert flags.loc["the", "is_stop"].all() and not flags.loc["Council", "is_stop"].any()
    assert flags.loc[",", "is_punct"].all() and not flags.loc["2020-2023", "is_punct"].any()
    assert is_punctuation("«") and is_punctuation("...") and not is_punctuation("No.")


def test_empty_table():
    empty = pd.DataFrame({"doc_id": [], "text": []})
    assert helpers.tokenize(empty).empty and list(helpers.tokenize(empty).columns) == TOKEN_COLUMNS
    assert helpers.sentences(empty).empty


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_offsets_are_exact_for_any_text(text):
    docs = docs_of(text)
    tokens = helpers.tokenize(docs)
    sents = helpers.sentences(docs)
    for row in tokens.itertuples():
        assert text[row.start : row.end] == row.token
        assert row.token.strip() == row.token and row.token
    assert (tokens["start"].diff().dropna() > 0).all()
    assert (tokens["start"].iloc[1:].to_numpy() >= tokens["end"].iloc[:-1].to_numpy()).all()
    for row in sents.itertuples():
        assert text[row.start : row.end] == row.text
        inside = tokens[tokens["sent_id"] == row.sent_id]
        assert (inside["start"] >= row.start).all() and (inside["end"] <= row.end).all()
    # nothing but whitespace is left out
    covered = set()
    for row in tokens.itertuples():
        covered.update(range(row.start, row.end))
    assert all(ch.isspace() for i, ch in enumerate(text) if i not in covered)


# ------------------------------------------------ the caches against the plain NLTK objects


def plain_punkt_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs, then NLTK's own PunktSentenceTokenizer (no cache) with our abbreviations."""
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    from helpers.tokens import ABBREVIATIONS, UNIFY, paragraph_spans

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    plain = PunktSentenceTokenizer(params)
    unified = text.translate(UNIFY)
    return [(p + a, p + b) for p, q in paragraph_spans(unified) for a, b in plain.span_tokenize(unified[p:q])]


def real_texts() -> list[str]:
    return list(helpers.load_corpus("tests/data/whitehouse_sample")["text"])


def test_cached_punkt_splits_as_plain_punkt(seed_text):
    from helpers.tokens import sentence_spans

    for text in [seed_text, *real_texts()]:
        assert sentence_spans(text) == plain_punkt_spans(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_cached_punkt_splits_as_plain_punkt_on_any_text(text):
    from helpers.tokens import sentence_spans

    assert sentence_spans(text) == plain_punkt_spans(text)


def test_cache_eviction_keeps_answers_and_bounds_memory(monkeypatch, seed_text):
    from helpers import tokens as module

    monkeypatch.setattr(module, "CACHE_LIMIT", 5)
    splitter = module.CachedPunkt(module.punkt().__dict__["_params"])
    spans = module.sentence_spans(seed_text, splitter)
    assert len(splitter._breaks) <= 6, "the cache is cleared when it grows past its limit"
    assert spans == plain_punkt_spans(seed_text)


def test_two_workers_give_the_same_tokens():
    docs = helpers.load_corpus("tests/data/whitehouse_sample")
    one, two = helpers.tokenize(docs), helpers.tokenize(docs, workers=2)
    pd.testing.assert_frame_equal(one, two)
