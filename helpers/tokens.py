"""Sentences and tokens with exact character offsets, using only data-free parts of NLTK."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import chain

import numpy as np
import pandas as pd
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from helpers.resources import word_list

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

# Punkt's abbreviations (helpers/data/en/abbreviations.txt): a period after them ends no sentence.
ABBREVIATIONS = frozenset(word_list("abbreviations.txt"))

# A blank line (possibly with spaces or \r) always ends a paragraph, and so a sentence.
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")

# Typographic apostrophes and quotes, unified one character for one (offsets stay the same).
UNIFY = str.maketrans({"’": "'", "‘": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"'})


@cache
def stopwords() -> frozenset[str]:
    """The English stop word list shipped in helpers/data/en/stopwords.txt."""
    return frozenset(word_list("stopwords.txt"))


@cache
def punkt(abbreviations: frozenset[str] = ABBREVIATIONS) -> PunktSentenceTokenizer:
    """An untrained Punkt sentence splitter that knows the given abbreviations."""
    params = PunktParameters()
    params.abbrev_types = set(abbreviations)
    return CachedPunkt(params)


WORDS = NLTKWordTokenizer()
CACHE_LIMIT = 500_000  # entries per cache; cleared when full, so memory stays bounded


class CachedPunkt(PunktSentenceTokenizer):
    """Punkt, remembering its decision for each candidate context ("Astana. The").

    Punkt decides each possible sentence end from a short context string alone, so the answer for
    a context seen before is the same answer: caching it changes nothing but the speed.
    """

    def __init__(self, params: PunktParameters):
        super().__init__(params)
        self._breaks: dict[str, bool] = {}

    def text_contains_sentbreak(self, text: str) -> bool:
        hit = self._breaks.get(text)
        if hit is None:
            if len(self._breaks) > CACHE_LIMIT:
                self._breaks.clear()
            hit = self._breaks[text] = super().text_contains_sentbreak(text)
        return hit


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
    return unified_sentence_spans(text.translate(UNIFY), splitter)


def unified_sentence_spans(unified: str, splitter: PunktSentenceTokenizer | None = None) -> list[tuple]:
    """`sentence_spans` of a text whose quotes are already unified."""
    splitter = splitter or punkt()
    return [
        (p_start + a, p_start + b)
        for p_start, p_end in paragraph_spans(unified)
        for a, b in splitter.span_tokenize(unified[p_start:p_end])
    ]


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of NLTKWordTokenizer's tokens in text[start:end], as offsets into text."""
    piece = text[start:end].translate(UNIFY)
    return [(start + a, start + b) for a, b in WORDS.span_tokenize(piece)]


# A sentence's whitespace-separated chunks are tokenized alone, with a dummy word "x" standing for
# their neighbours, and the result is remembered per chunk (as spaCy does). NLTK's rules look only
# inside a chunk and at the whitespace around it, except at the start and at the end of the
# sentence: the first chunk and the tail (the last chunk with a letter or digit, and the closing
# quotes and brackets after it) are tokenized as such. The tests compare it with NLTK itself.
CHUNK = re.compile(r"\S+")
LOOSE_APOSTROPHE = re.compile(r"'(?![^\W_])|(?<![^\W_])'")
CLOSERS = frozenset("]})>\"'»”’")
_CHUNKS: dict[tuple[str, str], tuple | None] = {}
CONTEXT = {"only": ("", ""), "first": ("", " x"), "mid": ("x ", " x"), "last": ("x ", "")}


def chunk_spans(chunk: str, place: str) -> tuple | None:
    """Token spans of a chunk at a place in its sentence, or None if its tokens reach the dummy words."""
    key = (place, chunk)
    if key in _CHUNKS:
        return _CHUNKS[key]
    before, after = CONTEXT[place]
    padded = before + chunk + after
    spans = list(WORDS.span_tokenize(padded))
    if before:
        spans = spans[1:] if spans and spans[0] == (0, 1) else None
    if after and spans is not None:
        n = len(padded)
        spans = spans[:-1] if spans and spans[-1] == (n - 1, n) else None
    found = None if spans is None else tuple((a - len(before), b - len(before)) for a, b in spans)
    if len(_CHUNKS) > CACHE_LIMIT:
        _CHUNKS.clear()
    _CHUNKS[key] = found
    return found


def fast_word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Exactly `word_spans`, computed chunk by chunk from a cache (see above)."""
    return unified_word_spans(text.translate(UNIFY), start, end)


def unified_word_spans(unified: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """`fast_word_spans` of a text whose quotes are already unified."""
    piece = unified[start:end]
    if LOOSE_APOSTROPHE.search(piece):  # quote clusters: NLTK's substitutions interact, ask NLTK
        return [(start + a, start + b) for a, b in WORDS.span_tokenize(piece)]
    chunks = [m.span() for m in CHUNK.finditer(piece)]
    if not chunks:
        return []
    tail = len(chunks) - 1
    while tail > 0 and set(piece[chunks[tail][0] : chunks[tail][1]]) <= CLOSERS:
        tail -= 1
    out = []
    for i in range(tail):
        a, b = chunks[i]
        spans = chunk_spans(piece[a:b], "mid" if i else "first")
        if spans is None:
            return [(start + x, start + y) for x, y in WORDS.span_tokenize(piece)]
        a += start
        out += [(a + x, a + y) for x, y in spans]
    a = chunks[tail][0]
    spans = chunk_spans(piece[a : chunks[-1][1]], "last" if tail else "only")
    if spans is None:
        return [(start + x, start + y) for x, y in WORDS.span_tokenize(piece)]
    a += start
    return out + [(a + x, a + y) for x, y in spans]


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


_FEATURES: dict[str, tuple[str, bool, bool]] = {}


def token_features(token: str) -> tuple[str, bool, bool]:
    """(norm, is_stop, is_punct) of a token, remembered per token string."""
    hit = _FEATURES.get(token)
    if hit is None:
        norm = normalise(token)
        if len(_FEATURES) > CACHE_LIMIT:
            _FEATURES.clear()
        hit = _FEATURES[token] = (norm, norm in stopwords(), is_punctuation(token))
    return hit


def tokenize_text(doc_id: str, text: str) -> dict[str, list]:
    """The token columns of one document (see `tokenize`)."""
    unified = text.translate(UNIFY)
    cols = {c: [] for c in TOKEN_COLUMNS}
    sent_ids, starts, ends, tokens = cols["sent_id"], cols["start"], cols["end"], cols["token"]
    for sent_id, (s_start, s_end) in enumerate(unified_sentence_spans(unified)):
        for a, b in unified_word_spans(unified, s_start, s_end):
            sent_ids.append(sent_id)
            starts.append(a)
            ends.append(b)
            tokens.append(text[a:b])
    features = [token_features(t) for t in tokens]
    cols["doc_id"] = [doc_id] * len(tokens)
    cols["token_id"] = list(range(len(tokens)))
    cols["norm"] = [f[0] for f in features]
    cols["is_stop"] = [f[1] for f in features]
    cols["is_punct"] = [f[2] for f in features]
    return cols


def tokenize(docs: pd.DataFrame, workers: int = 1) -> pd.DataFrame:
    """One row per token: doc_id, sent_id, token_id, start, end, token, norm, is_stop, is_punct.

    `workers` > 1 tokenizes batches of documents in that many processes (worth it from a few
    thousand documents on); the table is the same.
    """
    pairs = list(zip(docs["doc_id"], docs["text"], strict=True))
    if workers <= 1 or len(pairs) < 4 * workers:
        return token_table([tokenize_text(d, t) for d, t in pairs])
    size = -(-len(pairs) // (4 * workers))
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(tokenize_batch, [pairs[i : i + size] for i in range(0, len(pairs), size)]))
    return token_table(parts)


def tokenize_batch(pairs: list[tuple[str, str]]) -> dict[str, list]:
    """The token columns of several (doc_id, text) pairs, joined."""
    return join_columns([tokenize_text(d, t) for d, t in pairs])


def join_columns(parts: list[dict[str, list]]) -> dict[str, list]:
    """Per-document token columns, one list per column."""
    return {c: list(chain.from_iterable(part[c] for part in parts)) for c in TOKEN_COLUMNS}


def token_table(parts: list[dict[str, list]]) -> pd.DataFrame:
    """Join per-document token columns into the tokens table.

    doc_id, token and norm are categoricals (each distinct string stored once): on a large corpus
    that makes the table several times smaller and quicker to build than plain strings.
    """
    column = join_columns(parts)
    table = pd.DataFrame(
        {
            "doc_id": pd.Categorical(column["doc_id"]),
            "sent_id": np.array(column["sent_id"], dtype=np.int64),
            "token_id": np.array(column["token_id"], dtype=np.int64),
            "start": np.array(column["start"], dtype=np.int64),
            "end": np.array(column["end"], dtype=np.int64),
            "token": pd.Categorical(column["token"]),
            "norm": pd.Categorical(column["norm"]),
            "is_stop": np.array(column["is_stop"], dtype=bool),
            "is_punct": np.array(column["is_punct"], dtype=bool),
        },
        columns=TOKEN_COLUMNS,
    )
    return table
