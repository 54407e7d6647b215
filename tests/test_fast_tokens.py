"""The fast paths of helpers.tokens against NLTK itself: chunk by chunk, Punkt context by context, and
whole documents (1,000 of the 3,000 real statements and generated texts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TEXTS
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

import helpers
from helpers.tokens import (
    ABBREVIATIONS,
    WORDS,
    known_spans,
    nltk_chunk_spans,
    paragraph_spans,
    punkt,
    unify,
)

STATEMENTS = Path(__file__).resolve().parents[1] / "corpora" / "whitehouse_statements"
PLACES = st.sampled_from(["only", "first", "mid", "last"])
# the characters NLTK's rules look at, and pieces of words that its rules treat specially
CHUNK_PIECES = st.sampled_from(
    [*"aAzZn09.,:;-/()[]{}<>@#$%&*?!'\"_`~^|+=\\—–‒é", "cannot", "Gonna", "U.S", "..", "'s", "n't", "N'T"]
    + ["'re", "'LL", "'T", "'ve", "'d", "'tis"]
    + ["ß", "İ", "ñ", "²", "٣", "Ⅻ", "\u0301", "\u200b", '""', "«", "»"]  # other scripts, marks, quote runs
    + ["…", "°", "£", "\u2011", "</a>", '">', "),", ".)", "(a).", "a'b", "'82", "s'"]  # symbols, markup, dots
    + ["gımme"]  # NLTK's (?i) contractions also take a dotless i
)
CHUNKS = st.lists(CHUNK_PIECES, min_size=1, max_size=8).map("".join)


def plain_punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def nltk_tokens(text: str, splitter: PunktSentenceTokenizer) -> list[tuple[int, int, int]]:
    """(sentence, start, end) of every token by NLTK alone: paragraphs, Punkt, NLTKWordTokenizer."""
    unified = unify(text)
    sentences = [
        (p + a, p + b) for p, q in paragraph_spans(unified) for a, b in splitter.span_tokenize(unified[p:q])
    ]
    return [
        (i, a + x, a + y) for i, (a, b) in enumerate(sentences) for x, y in WORDS.span_tokenize(unified[a:b])
    ]


def assert_nltk_tokens(texts: list[str], splitter: PunktSentenceTokenizer) -> None:
    docs = pd_docs(texts)
    got = helpers.tokenize(docs)
    for doc_id, text in zip(docs["doc_id"], texts):
        mine = got[got["doc_id"] == doc_id]
        expected = nltk_tokens(text, splitter)
        assert list(zip(mine["sent_id"], mine["start"], mine["end"])) == expected, doc_id


def pd_docs(texts: list[str]):
    import pandas as pd

    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})


@settings(max_examples=3000, deadline=None)
@given(CHUNKS, PLACES)
def test_known_chunks_are_tokenized_as_nltk_does(chunk, place):
    known = known_spans(chunk, place)
    if known is not None:
        assert known == nltk_chunk_spans(chunk, place)


def test_known_chunks_are_the_common_ones():
    """The fast path is taken for these (so the differential tests above test something)."""
    common = ["Council", "2023", "Europe,", "(No.", "165)", "U.S.", "it's", "don't", "—", "1,000", "$3.88"]
    common += ["violence—including", "(NATO).", "Ohio).", "1.5°C", "businesses…", "</a>", "£265"]
    for chunk in common:
        assert known_spans(chunk, "mid") is not None, chunk
    assert known_spans("U.S.", "last") == ((0, 3), (3, 4))
    assert known_spans("cannot", "mid") is None and known_spans("a--b", "mid") is None


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCNJ0123456789.-", min_size=1, max_size=6)


def test_punkt_shortcuts_decide_the_common_contexts():
    """The shortcuts answer these without Punkt (so the differential test above tests something)."""
    from helpers.tokens import simple_decision

    abbreviations = set(ABBREVIATIONS)
    expected = {"said. The": True, "2016. He": True, "2016. he": False, "(NATO). The": True}
    expected |= {"E. Brown,": False, "E. 5": True, "Dr. Smith": False, 'said."': True, "now? it": True}
    for context, decision in expected.items():
        assert simple_decision(context, abbreviations) is decision, context
        assert plain_punkt().text_contains_sentbreak(context) is decision, context
    assert simple_decision("O'Neil. He", abbreviations) is None  # left to Punkt


@settings(max_examples=4000, deadline=None)
@given(
    st.one_of(
        WORD, st.sampled_from(sorted(ABBREVIATIONS)), st.sampled_from(["(NATO)", "Ohio)", "x.y)", "U.S"])
    ),
    st.sampled_from(".?!"),
    st.sampled_from([" ", "\n", "  ", " \n ", "\xa0", "\xa0 ", "\t", "\u2003", "\x0c", ""]),
    st.one_of(
        WORD,
        st.sampled_from(['"The', "(b", "the", "And", "$5", "’s", "Brown,", "Brown.", "brown:", "5;", "-"]),
        st.sampled_from(list(")\";}]*:@'({[?!,.")),
    ),
)
def test_punkt_decisions_are_nltks(word, end, space, after):
    """Punkt's decisions with and without the shortcuts (`simple_decision`), on made-up contexts: a word
    or number, an end, whitespace and a next chunk, or no whitespace and punctuation."""
    context = word + end + space + after
    assert punkt().text_contains_sentbreak(context) == plain_punkt().text_contains_sentbreak(context)


@settings(max_examples=1500, deadline=None)
@given(TEXTS)
def test_punkt_spans_are_nltks(text):
    """The one-pass `span_tokenize` (candidate ends, Punkt's look-back for the word before them, the
    realignment of closing quotes) against NLTK's generators, on whole texts."""
    assert punkt().span_tokenize(text) == list(plain_punkt().span_tokenize(text))


@settings(max_examples=500, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=3))
def test_generated_documents_get_nltks_tokens(texts):
    assert_nltk_tokens(texts, plain_punkt())


@pytest.mark.skipif(not STATEMENTS.is_dir(), reason="the 3,000 statements are not in this checkout")
def test_real_statements_get_nltks_tokens():
    """Every third of the 3,000 real statements (1,000 texts, 8 MB): the same sentences and tokens as
    NLTK's (about a minute: NLTK itself is the slow part)."""
    texts = list(helpers.load_corpus(STATEMENTS, keep_copies=True)["text"])[::3]
    assert len(texts) >= 1000
    splitter = plain_punkt()
    for i in range(0, len(texts), 100):
        assert_nltk_tokens(texts[i : i + 100], splitter)
