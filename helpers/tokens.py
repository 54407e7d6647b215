"""Sentences and tokens with exact character offsets, using only data-free parts of NLTK."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

import pandas as pd
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

SENTENCE_COLUMNS = ["doc_id", "sent_id", "start", "end", "text"]
TOKEN_COLUMNS = [
    "doc_id",
    "sent_id",
    "token_id",
    "start",
    "end",
    "token",
    "norm",
    "is_stop",
    "is_punct",
]

# Abbreviations Punkt must not end a sentence at (lower case, no final period).
ABBREVIATIONS = frozenset(
    """no nos nr art para vol pp p fig ch sec dr mr mrs ms prof st mt ft gen col lt maj capt sgt
    cmdr adm gov sen rep amb pres rev hon jr sr inc ltd co corp plc dept est approx vs etc al
    e.g i.e u.s u.k u.n jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)

# A blank line (possibly with spaces or \r) always ends a paragraph, and so a sentence.
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# Typographic apostrophes and quotes, unified one character for one (offsets stay the same).
UNIFY = str.maketrans({"’": "'", "‘": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"'})


@cache
def stopwords() -> frozenset[str]:
    """The English stop word list shipped in helpers/data/stopwords_en.txt."""
    text = resources.files("helpers").joinpath("data/stopwords_en.txt").read_text("utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def punkt(abbreviations: frozenset[str] = ABBREVIATIONS) -> PunktSentenceTokenizer:
    """An untrained Punkt sentence splitter that knows the given abbreviations."""
    params = PunktParameters()
    params.abbrev_types = set(abbreviations)
    return PunktSentenceTokenizer(params)


WORDS = NLTKWordTokenizer()


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, without the surrounding whitespace."""
    spans, start = [], 0
    for brk in PARAGRAPH_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        chunk = text[a:b]
        a, b = a + len(chunk) - len(chunk.lstrip()), a + len(chunk.rstrip())
        if b > a:
            out.append((a, b))
    return out


def sentence_spans(text: str, splitter: PunktSentenceTokenizer | None = None) -> list[tuple]:
    """(start, end) of each sentence: paragraphs first, then Punkt inside each paragraph."""
    splitter = splitter or punkt()
    unified = text.translate(UNIFY)
    return [
        (p_start + a, p_start + b)
        for p_start, p_end in paragraph_spans(unified)
        for a, b in splitter.span_tokenize(unified[p_start:p_end])
    ]


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of NLTKWordTokenizer's tokens in text[start:end], as offsets into text."""
    piece = text[start:end].translate(UNIFY)
    return [(start + a, start + b) for a, b in WORDS.span_tokenize(piece)]


def is_punctuation(token: str) -> bool:
    """True when every character of the token is punctuation or a symbol."""
    return all(unicodedata.category(ch)[0] in "PS" for ch in token)


def normalise(token: str) -> str:
    """Case-folded token with typographic apostrophes and quotes unified."""
    return token.translate(UNIFY).casefold()


def sentences(docs: pd.DataFrame, abbreviations: Iterable[str] = ABBREVIATIONS) -> pd.DataFrame:
    """One row per sentence: doc_id, sent_id, start, end, text (offsets into the document text).

    `abbreviations` are the words Punkt must not end a sentence at; pass `()` to see why it needs them.
    """
    splitter = punkt(frozenset(a.lower().rstrip(".") for a in abbreviations))
    rows = [
        (doc_id, sent_id, a, b, text[a:b])
        for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True)
        for sent_id, (a, b) in enumerate(sentence_spans(text, splitter))
    ]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS).astype(
        {"sent_id": "int64", "start": "int64", "end": "int64"}
    )


def tokenize_text(doc_id: str, text: str) -> list[tuple]:
    """Token rows for one document (see `tokenize`)."""
    stops = stopwords()
    rows = []
    for sent_id, (s_start, s_end) in enumerate(sentence_spans(text)):
        for a, b in word_spans(text, s_start, s_end):
            token = text[a:b]
            norm = normalise(token)
            rows.append((doc_id, sent_id, len(rows), a, b, token, norm, norm in stops, is_punctuation(token)))
    return rows


def tokenize(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per token: doc_id, sent_id, token_id, start, end, token, norm, is_stop, is_punct."""
    rows = [
        row
        for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True)
        for row in tokenize_text(doc_id, text)
    ]
    return pd.DataFrame(rows, columns=TOKEN_COLUMNS).astype(
        {
            "sent_id": "int64",
            "token_id": "int64",
            "start": "int64",
            "end": "int64",
            "is_stop": "bool",
            "is_punct": "bool",
        }
    )
