"""Sentences and tokens with exact character offsets, using only data-free parts of NLTK."""

from __future__ import annotations

import re
import string
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import cache
from itertools import accumulate, chain, compress
from operator import sub

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import regex
from nltk.tokenize import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from helpers.isolation import per_document
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
TYPOGRAPHIC = re.compile("[’‘‛′“”„]")


def unify(text: str) -> str:
    """`text.translate(UNIFY)`, done as one str.replace per quote (several times quicker on long texts)."""
    for quote, plain in UNIFY.items():
        if chr(quote) in text:
            text = text.replace(chr(quote), plain)
    return text


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


# Punkt's decision for the common contexts, as Punkt makes it with no parameters learnt but the
# abbreviations (no collocations, sentence starters or orthographic statistics): an ASCII word (letters,
# inner periods or hyphens) or number, or anything ending in ")", then . ? or !, then whitespace and the
# next chunk, or one of Punkt's non-word characters. ? and ! always end the sentence, as does a period
# after ")" (Punkt makes it a token of its own). After a word's period, an abbreviation never does (when
# the next chunk is one word or number, perhaps with , ; : or . after it); another word of two or more
# characters always does; a number does unless a lower-case word or ; : , . ! ? follows; an initial
# ("J.") only before something neither a letter nor such punctuation. Other contexts: Punkt itself.
SIMPLE_CONTEXT = re.compile(
    r"(?:(\S*\))|([A-Za-z]+(?:[.-][A-Za-z]+)*|[0-9]+))([.?!])(?:\s+(\S+)|([)\";}\]*:@'({\[?!]))"
)
NEXT_TOKEN = re.compile(r"(?:[A-Za-z]+|[0-9]+)[,;:.]?")


def simple_decision(context: str, abbreviations: set[str]) -> bool | None:
    """Whether untrained Punkt breaks in a context of the kind described above; None for other contexts."""
    m = SIMPLE_CONTEXT.fullmatch(context)
    if m is None:
        return None
    paren, word, end, after, mark = m.groups()
    if paren or end != ".":
        return True
    lower = word.lower()
    abbreviation = lower in abbreviations or lower.split("-")[-1] in abbreviations
    if len(word) > 1 and not word.isdigit() and not abbreviation:
        return True  # whatever follows: the break is decided before the next token is looked at
    if after is not None and not NEXT_TOKEN.fullmatch(after):
        return None
    if abbreviation:
        return False
    first = after[0] if after is not None else mark
    quiet = first.islower() or first in ";:,.!?"  # Punkt's orthographic heuristic says "no starter"
    if word.isdigit():
        return not quiet
    return not (quiet or first.isupper())  # an initial


# Punkt's patterns, compiled with the engine NLTK uses (`regex`) without its per-call timeout wrapper.
LANGUAGE = PunktLanguageVars()
END_CONTEXT = regex.compile(LANGUAGE.period_context_re().pattern, LANGUAGE.period_context_re().flags)
REALIGN = regex.compile(LANGUAGE.re_boundary_realignment.pattern, LANGUAGE.re_boundary_realignment.flags)


class CachedPunkt(PunktSentenceTokenizer):
    """Punkt, remembering its decision for each candidate context ("Astana. The").

    Punkt decides each possible sentence end from a short context string alone, so the answer for
    a context seen before is the same answer: caching it changes nothing but the speed.
    """

    def __init__(self, params: PunktParameters):
        super().__init__(params)
        self._breaks: dict[str, bool] = {}

    def text_contains_sentbreak(self, text: str) -> bool:
        hit = simple_decision(text, self._params.abbrev_types)
        if hit is not None:
            return hit
        hit = self._breaks.get(text)
        if hit is None:
            if len(self._breaks) > CACHE_LIMIT:
                self._breaks.clear()
            hit = self._breaks[text] = super().text_contains_sentbreak(text)
        return hit

    def span_tokenize(self, text: str, realign_boundaries: bool = True) -> list[tuple[int, int]]:
        """NLTK's `span_tokenize`, done in one pass over the candidate ends (its generators and slices
        cost more than the decisions). The tests hold it to NLTK's own."""
        if not realign_boundaries or self._lang_vars.__class__ is not PunktLanguageVars:
            return list(super().span_tokenize(text, realign_boundaries))
        return realigned(text, self.unaligned_spans(text))

    def unaligned_spans(self, text: str) -> list[tuple[int, int]]:
        """NLTK's `_slices_from_text` (with its `_match_potential_end_contexts`), as (start, end)."""
        spaces = [c for c in string.whitespace if c in text]  # what Punkt looks back for
        candidates, prev, p_start, p_stop = [], None, 0, 0
        for m in END_CONTEXT.finditer(text):
            at = m.start()
            last = max(text.rfind(c, p_stop, at) for c in spaces) if spaces else -1
            w_start = last + 1 if last > p_stop else p_start  # as Punkt: a space right at p_stop is no space
            if prev is not None and p_stop <= w_start:
                candidates.append((prev, p_start, p_stop))
            prev, p_start, p_stop = m, w_start, at
        if prev is not None:
            candidates.append((prev, p_start, p_stop))
        spans, last_break = [], 0
        for m, a, b in candidates:
            if self.text_contains_sentbreak(text[a:b] + m.group() + m.group("after_tok")):
                spans.append((last_break, m.end()))
                last_break = m.start("next_tok") if m.group("next_tok") else m.end()
        spans.append((last_break, len(text.rstrip())))
        return spans


def realigned(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """NLTK Punkt's `_realign_boundaries`: closing quotes and brackets after a break join the sentence."""
    out, shift = [], 0
    for k, (a, b) in enumerate(spans):
        a += shift
        if k + 1 < len(spans):
            a2, b2 = spans[k + 1]
            m = REALIGN.match(text[a2:b2])
            if m:
                out.append((a, a2 + len(m.group(0).rstrip())))
                shift = m.end()
                continue
            shift = 0
        if b > a:
            out.append((a, b))
    return out


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
    return unified_sentence_spans(unify(text), splitter)


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
# quotes and brackets after it) are tokenized as such. Which whitespace character it is matters to
# one rule (an apostrophe before a space: "States' x" but not "States'\nx", before NLTK makes all
# whitespace spaces), so a chunk with an apostrophe is remembered with its neighbouring characters.
# The tests compare it with NLTK itself.
CHUNK = re.compile(r"\S+")
CLOSERS = frozenset("]})>\"'»”’")
_CHUNKS: dict[tuple, tuple | None] = {}


# Most chunks need no NLTK at all. They are runs of three kinds of piece:
# - words: characters no rule of NLTK's touches (letters, digits and most symbols of any script), with
#   inner periods and , or : before a digit, then perhaps a period ("Dr.", "U.S.") or a clitic ('s, 're,
#   n't, ...: NLTK's own list) — and then the chunk's end or a pad;
# - pads, which NLTK sets apart one by one wherever they are: brackets, dashes, ;@#$%&*?! and double
#   quotes, and , or : unless a digit (or another , or :) follows;
# - a period after a pad, before a pad or the chunk's end ("(NATO).").
# In the tail NLTK splits the sentence's period off when nothing but closing brackets follows it.
# Apostrophes elsewhere, backquotes, guillemets, runs of periods or hyphens go to NLTK, as do
# MacIntyre's contractions ("cannot", "gonna"), which it splits.
_CHAR = "[^\\s\"'`«».,:;@#$%&?!()\\[\\]{}<>*\u2012-\u2015\x00]"  # "--": see NEEDS_NLTK and DASH
_CORE = rf"{_CHAR}+(?:(?:\.|[,:](?=\d)){_CHAR}+)*"
_WORD = rf"{_CHAR}++(?:(?:\.|[,:](?=\d)){_CHAR}++)*+"  # _CORE taken whole (possessive): a plain word
_CLITIC = r"'(?<=[A-Za-z0-9]')(?:[sSmMdD]|ll|LL|re|RE|ve|VE)"
_NT = r"(?<=[A-Za-z0-9])(?:n't|N'T)"
_PAD_CHAR = '[()\\[\\]{}<>;@#$%&*?!\u2012-\u2015"]'
_PAD = rf"{_PAD_CHAR}|[,:](?![\d,:])"  # ",," : NLTK's rule takes the second , as the char after
_ENDS = r"(?=[()\[\]{}<>;@#$%&*?!,:\u2012-\u2015\"\x00]|\s|\Z)"  # a pad (or , :), DASH, whitespace, the end
_DOT = rf"(?<={_PAD_CHAR[:-1]},:])\.{_ENDS}"
_KNOWN = rf"(?:{_PAD}|{_DOT}|{_CORE}(?:\.|{_CLITIC})?{_ENDS})+"  # n't ("do", "n't") only in KNOWN_CHUNK
KNOWN_CHUNK = re.compile(rf"(?:{_PAD}|{_DOT}|{_CORE}(?:\.|{_CLITIC}|{_NT})?{_ENDS})+")
KNOWN_CHUNK_TOKEN = re.compile(rf"{_CORE}(?=n't|N'T)|n't|N'T|{_CORE}\.?|{_CLITIC}|{_PAD_CHAR}|[,:.]")
# A run of such chunks before the tail, and its tokens (each with the whitespace before it): the same
# as the chunks' own, one by one.
KNOWN_HEAD = re.compile(rf"\s*(?:{_KNOWN}\s+)*")
KNOWN_ALL = re.compile(rf"\s*(?:{_KNOWN}(?:\s+|\Z))*")  # the same up to the end, where no contraction cuts
# The tokens of known chunks, each with the whitespace before it, in one pattern that takes nothing a
# known chunk would not hold: where its matches leave no character out, the text is known chunks only.
# Besides clitics it takes n't and a bare closing apostrophe ("States' "), which NLTK sets apart before a
# space or a pad (a \" after one goes to NLTK).
_APOS = r"'(?<=[A-Za-z0-9]')(?=[()\[\]{}<>;@#$%&*?!,:\u2012-\u2015]|\s|\Z)"
_PIECE_TOKEN = (  # words first: the commonest, and twice as quick as trying them last
    rf"{_WORD}\.?{_ENDS}|{_CORE}(?=(?:{_CLITIC}|{_NT}){_ENDS}|{_APOS})|{_PAD}|{_DOT}|(?:{_CLITIC}|{_NT}){_ENDS}|{_APOS}|\x00\x00"
)
KNOWN_PIECE = re.compile(rf"\s*(?:{_PIECE_TOKEN})")
KNOWN_TOKEN = re.compile(rf"\s*(?:{_CORE}\.?|{_CLITIC}|{_PAD_CHAR}|[,:.])")
# The same for a whole text: `split` gives what the pieces leave out, the whitespace and the token of
# each piece in turn (left out, space, token, left out, space, token, ..., left out).
KNOWN_SPLIT = re.compile(rf"(\s*)({_PIECE_TOKEN})")
# NLTK pads "--" with spaces after the rules that look at the characters around it: between letters,
# digits, whitespace or marks that NLTK pads whatever stands around them (not in a run of hyphens, not
# next to . , : or quotes: "<!-- x -->" but not "x.--") it is a token whatever stands around it. The
# whole-text pass sees such a "--" as DASH (the same length), which KNOWN_SPLIT takes as a token.
_DASH_SIDE = r"[^A-Za-z0-9\s!?;@#$%&*()\[\]{}<>\u2012-\u2015]"  # a character that makes "--" unsafe
DOUBLE_DASH = re.compile(rf"--(?<!{_DASH_SIDE}--)(?!{_DASH_SIDE})")  # "--" first: quick to find
DASH = "\x00\x00"
# Characters str.split() and re's \s take for whitespace but NLTK's regex engine does not (its "\s+" to
# " " step leaves them, so its rules see no space there): a text with one goes to NLTK sentence by sentence.
SEPARATORS = re.compile("[\x1c-\x1f]")
# What NLTK splits that the patterns above would not: MacIntyre's contractions ("cannot", "gonna") and
# double hyphens. NLTK finds the contractions with (?i), which also takes "ı", "İ", "ſ" and "K" (Kelvin) for
# i, s and k; here the first letter is a plain class, so the engine can skip to the next candidate quickly.
CONTRACTIONS = ("cannot", "gimme", "gonna", "gotta", "lemme", "wanna")
_FIRSTS = sorted({w[0] for w in CONTRACTIONS})
NEEDS_NLTK = re.compile(
    f"[-{''.join(f.upper() + f for f in _FIRSTS)}](?:(?<=-)-|"
    + "|".join(
        f"(?<=[{f.upper()}{f}])(?i:{'|'.join(w[1:] for w in CONTRACTIONS if w[0] == f)})" for f in _FIRSTS
    )
    + ")"
)


def needs_nltk(text: str) -> bool:
    """Whether NEEDS_NLTK occurs in text (plain string tests first: they rule out most texts quicker)."""
    if "--" not in text and "\u0131" not in text and "\u0130" not in text:  # ı, İ: (?i) takes them for i
        lower = text.lower()
        if not any(w in lower for w in CONTRACTIONS):
            return False
    return NEEDS_NLTK.search(text) is not None


def known_spans(chunk: str, place: str) -> tuple | None:
    """`chunk_spans` of a chunk whose tokens are certain without NLTK (see above), else None."""
    if chunk.isalnum():  # the common case: one plain word or number (of any script)
        return None if NEEDS_NLTK.search(chunk) else ((0, len(chunk)),)
    if not KNOWN_CHUNK.fullmatch(chunk) or NEEDS_NLTK.search(chunk) or '""' in chunk:
        return None
    starts, ends = map(list, zip(*(m.span() for m in KNOWN_CHUNK_TOKEN.finditer(chunk))))
    if place in ("last", "only"):  # the sentence's final period, before closing brackets only, goes alone
        split_final_period(chunk, 0, starts, ends)
    return tuple(zip(starts, ends))


def chunk_spans(chunk: str, place: str, spaces: tuple[str, str] | None = None) -> tuple | None:
    """Token spans of a chunk at a place in its sentence, or None if its tokens reach the dummy words.
    `spaces`: the whitespace characters around it in the text (used for a chunk with an apostrophe)."""
    known = known_spans(chunk, place)
    if known is not None:
        return known
    spaces = spaces if "'" in chunk else None
    key = (place, chunk, spaces)
    if key not in _CHUNKS:
        if len(_CHUNKS) > CACHE_LIMIT:
            _CHUNKS.clear()
        _CHUNKS[key] = nltk_chunk_spans(chunk, place, spaces)
    return _CHUNKS[key]


def nltk_chunk_spans(chunk: str, place: str, spaces: tuple[str, str] | None = None) -> tuple | None:
    """`chunk_spans` as NLTKWordTokenizer gives them, between the dummy words of its place and the
    whitespace characters `spaces` ("" at the sentence's edges; by default a space between chunks)."""
    word_before, word_after = place in ("mid", "last"), place in ("first", "mid")
    space_before, space_after = spaces or (" " * word_before, " " * word_after)
    before, after = "x" * word_before + space_before, space_after + "x" * word_after
    padded = before + chunk + after
    spans = list(WORDS.span_tokenize(padded))
    if word_before:
        spans = spans[1:] if spans and spans[0] == (0, 1) else None
    if word_after and spans is not None:
        n = len(padded)
        spans = spans[:-1] if spans and spans[-1] == (n - 1, n) else None
    return None if spans is None else tuple((a - len(before), b - len(before)) for a, b in spans)


def fast_word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Exactly `word_spans`, computed chunk by chunk from a cache (see above)."""
    unified = unify(text)
    starts: list[int] = []
    ends: list[int] = []
    end = len(text) if end is None else end
    if SEPARATORS.search(unified):
        add_nltk_offsets(unified[start:end], start, starts, ends)
    else:
        add_word_offsets(unified, start, end, needs_nltk(unified), starts, ends)
    return list(zip(starts, ends))


def add_word_offsets(unified: str, start: int, end: int, hard: bool, starts: list, ends: list) -> None:
    """Append the starts and ends of `fast_word_spans(unified, start, end)` (quotes already unified;
    `hard`: as `needs_nltk(unified)`; `SEPARATORS` not in it) to the two lists."""
    piece = unified[start:end]
    if not (hard and NEEDS_NLTK.search(piece)):  # the common case: the sentence is known chunks only
        pieces = KNOWN_PIECE.findall(piece)
        lengths = list(map(len, pieces))
        # all taken, and no chunk of closing brackets and quotes after the tail (see below)
        if pieces and sum(lengths) == len(piece.rstrip()) and not closers_after_tail(pieces):
            found = list(accumulate(lengths, initial=start))
            del found[0]
            mark = len(starts)
            starts += map(sub, found, map(len, map(str.lstrip, pieces)))
            ends += found
            split_final_period(unified, mark, starts, ends)
            return
    words = piece.split()  # the chunks, as CHUNK finds them (both split at str.isspace)
    if not words:
        return
    tail = len(words) - 1
    while tail > 0 and set(words[tail]) <= CLOSERS:
        tail -= 1
    # the tail chunk is the last with more than closers, so rfind finds it; the first is the first
    first = start + len(piece) - len(piece.lstrip())
    tail_at = start + piece.rfind(words[tail]) if tail else first
    end_at = start + len(piece.rstrip())
    # with no closers after the tail chunk, the run may take the tail too (its final period: see below)
    limit = end_at if tail == len(words) - 1 else tail_at
    mark, at, stop = len(starts), start, -1
    while at < tail_at:  # runs of known chunks in one regex pass, the other chunks one by one
        if stop < at:  # the next contraction or "--" (its chunk goes to NLTK), searched for once
            contraction = NEEDS_NLTK.search(unified, at, limit) if hard else None
            stop = limit if contraction is None else contraction.start()
        known = (KNOWN_ALL if stop == end_at else KNOWN_HEAD).match(unified, at, stop).end()
        if known > at:  # token ends from the lengths of "whitespace + token" pieces, starts back from them
            pieces = KNOWN_TOKEN.findall(unified, at, known)
            found = list(accumulate(map(len, pieces), initial=at))[1:]
            starts += map(sub, found, map(len, map(str.lstrip, pieces)))
            ends += found
            at = known
            continue
        m = CHUNK.search(unified, at, tail_at)
        if m is None:
            break
        a, b = m.span()
        place, spaces = "mid" if a > first else "first", (unified[a - 1] if a > start else "", unified[b])
        if not add_chunk_offsets(unified[a:b], place, spaces, a, starts, ends):
            del starts[mark:], ends[mark:]
            return add_nltk_offsets(piece, start, starts, ends)
        at = b
    if at >= end_at:  # the tail was in the run: its final period goes alone, as `known_spans` says
        split_final_period(unified, mark, starts, ends)
        return
    last, place = unified[tail_at:end_at], "last" if tail else "only"
    spaces = (unified[tail_at - 1] if tail_at > start else "", unified[end_at] if end_at < end else "")
    if not add_chunk_offsets(last, place, spaces, tail_at, starts, ends):
        del starts[mark:], ends[mark:]
        add_nltk_offsets(piece, start, starts, ends)


def closers_after_tail(pieces: list[str]) -> bool:
    """Whether the last chunk of a sentence (as KNOWN_PIECE's pieces) is closing brackets and quotes only."""
    k = len(pieces) - 1
    while k > 0 and pieces[k] in CLOSERS:
        k -= 1
    return k > 0 and pieces[k][0].isspace() and pieces[k].lstrip() in CLOSERS


def split_final_period(unified: str, mark: int, starts: list, ends: list) -> None:
    """Split the sentence's final period off its token (tokens from `mark` on; see `final_period`)."""
    k = final_period(list(map(unified.__getitem__, map(slice, starts[mark:], ends[mark:]))), 0)
    if k is not None:
        starts.insert(mark + k + 1, ends[mark + k] - 1)
        ends.insert(mark + k, ends[mark + k] - 1)


def final_period(tokens: list[str], first: int, stop: int | None = None) -> int | None:
    """The token of a sentence (tokens[first:stop]) whose final period NLTK splits off: the last token
    that is not a closing bracket or quote, if it is longer than one character and ends in "."."""
    k = (len(tokens) if stop is None else stop) - 1
    while k >= first and tokens[k][0] in ')]}>"':
        k -= 1
    return k if k >= first and len(tokens[k]) > 1 and tokens[k][-1] == "." else None


def add_chunk_offsets(
    chunk: str, place: str, spaces: tuple | None, at: int, starts: list, ends: list
) -> bool:
    """Append the offsets of a chunk's tokens (`chunk_spans`, shifted by `at`); False if it has none."""
    spans = chunk_spans(chunk, place, spaces)
    if spans is None:
        return False
    starts += [at + a for a, _ in spans]
    ends += [at + b for _, b in spans]
    return True


def add_nltk_offsets(piece: str, at: int, starts: list, ends: list) -> None:
    """Append the offsets of NLTKWordTokenizer's tokens in `piece` (which starts at `at`)."""
    for a, b in WORDS.span_tokenize(piece):
        starts.append(at + a)
        ends.append(at + b)


def is_punctuation(token: str) -> bool:
    """True when every character of the token is punctuation or a symbol."""
    if token.isalnum():  # letters and digits: the common case, answered without unicodedata
        return False
    return all(unicodedata.category(ch)[0] in "PS" for ch in token)


def normalise(token: str) -> str:
    """Case-folded token with typographic apostrophes and quotes unified."""
    return token.translate(UNIFY).casefold()


@per_document("sentences")
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


# One document's columns before the table is built (`tokenize_text`): doc_id as (doc_id, tokens), sent_id,
# start and end as arrays, token as a list. The features (norm, is_stop, is_punct) are worked out once per
# distinct token in `token_table`, not once per token.


def tokenize_text(doc_id: str, text: str) -> dict[str, list | np.ndarray]:
    """The span columns of one document (doc_id, sent_id, start, end, token; see `tokenize`)."""
    unified = unify(text)
    spans = unified_sentence_spans(unified)
    odd = SEPARATORS.search(unified)
    found = None if odd else document_tokens(unified, spans)
    if found is None:  # sentence by sentence
        starts: list[int] = []
        ends: list[int] = []
        counts, hard = [], needs_nltk(unified)
        for s_start, s_end in spans:
            before = len(starts)
            if odd:
                add_nltk_offsets(unified[s_start:s_end], s_start, starts, ends)
            else:
                add_word_offsets(unified, s_start, s_end, hard, starts, ends)
            counts.append(len(starts) - before)
        tokens = list(map(unified.__getitem__, map(slice, starts, ends)))
        sent_ids = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        found = np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64), tokens, sent_ids
    starts, ends, tokens, sent_ids = found
    if unified is not text and len(starts):  # the tokens holding a typographic quote, as the text has them
        quotes = np.array([m.start() for m in TYPOGRAPHIC.finditer(text)], dtype=np.int64)
        held = np.searchsorted(starts, quotes, "right") - 1
        for k in np.unique(held[(held >= 0) & (ends[held] > quotes)]).tolist():
            tokens[k] = text[starts[k] : ends[k]]
    return {
        "doc_id": [(doc_id, len(starts))],
        "sent_id": sent_ids,
        "start": starts,
        "end": ends,
        "token": tokens,
    }


def document_tokens(unified: str, spans: list[tuple[int, int]]) -> tuple | None:
    """starts, ends, tokens and sentence ids of a document's tokens (its quotes unified; sentences at
    `spans`), from one KNOWN_SPLIT pass over the whole text for the sentences made of known pieces, the
    rest sentence by sentence (`add_word_offsets`). None when tokens lie outside the sentences."""
    dashes = [m.start() for m in DOUBLE_DASH.finditer(unified)] if "\x00" not in unified else []
    seen = DOUBLE_DASH.sub(DASH, unified) if dashes else unified
    parts = KNOWN_SPLIT.split(seen)  # left out, space, token, left out, space, token, ..., left out
    tokens = parts[2::3]
    part_ends = np.cumsum(np.fromiter(map(len, parts), np.int64, len(parts)))
    starts, ends = part_ends[1::3], part_ends[2::3]
    sent_starts = np.array([a for a, _ in spans], dtype=np.int64)
    sent_ends = np.array([b for _, b in spans], dtype=np.int64)
    sent_ids = np.searchsorted(sent_starts, starts, "right") - 1
    if len(tokens) and (sent_ids[0] < 0 or (starts >= sent_ends[sent_ids]).any()):
        return None
    odd = sentences_on_their_own(seen, spans, parts, part_ends)
    counts = np.bincount(sent_ids, minlength=len(spans)).tolist()
    splits = []
    for s, (n, stop) in enumerate(zip(counts, accumulate(counts))):
        if odd[s] or not n:
            continue
        if tokens[stop - 1] in CLOSERS:  # the last chunk closers only: as the sentence's own pass sees it
            pieces = list(map(str.__add__, parts[3 * (stop - n) + 1 : 3 * stop : 3], tokens[stop - n : stop]))
            if closers_after_tail(pieces):
                odd[s] = True
                continue
        k = final_period(tokens, stop - n, stop)
        if k is not None:
            splits.append(k)
    if splits:  # the final periods, split off their tokens
        at = np.array(splits)
        twice = np.ones(len(tokens), dtype=np.int64)
        twice[at] = 2
        take = np.repeat(np.arange(len(tokens)), twice)
        starts, ends, sent_ids = starts[take], ends[take], sent_ids[take]
        at += np.arange(len(at))
        ends[at] -= 1
        starts[at + 1] = ends[at]
        tokens = split_off_periods(tokens, splits)
    if any(odd):
        starts, ends, tokens, sent_ids = redone(unified, spans, odd, starts, ends, tokens, sent_ids)
    for k in np.searchsorted(starts, dashes).tolist():
        if k < len(tokens) and tokens[k] == DASH:
            tokens[k] = "--"
    return starts, ends, tokens, sent_ids


def sentences_on_their_own(
    seen: str, spans: list[tuple[int, int]], parts: list[str], part_ends
) -> list[bool]:
    """Which sentences the whole-text pass cannot vouch for: with no whitespace (or the text's edge) on
    both sides (their own pass might see other characters at their edges), with something no piece took
    (not blank), or a contraction or "--" (NEEDS_NLTK)."""
    size = len(seen)
    odd = [(a and not seen[a - 1].isspace()) or (b < size and not seen[b].isspace()) for a, b in spans]
    sent_starts, sent_ends = [a for a, _ in spans], [b for _, b in spans]
    left_out = parts[0::3]
    for j in compress(range(len(left_out)), left_out):
        if not left_out[j].isspace():
            stop = int(part_ends[3 * j])
            first = bisect_right(sent_ends, stop - len(left_out[j]))
            last = bisect_left(sent_starts, stop)
            odd[first:last] = [True] * (last - first)
    for m in NEEDS_NLTK.finditer(seen) if needs_nltk(seen) else ():
        odd[bisect_right(sent_starts, m.start()) - 1] = True
    return odd


def redone(
    unified: str, spans: list[tuple[int, int]], odd: list[bool], starts, ends, tokens, sent_ids
) -> tuple:
    """The tokens, those of the `odd` sentences made again by `add_word_offsets`, one sentence at a time."""
    again_starts: list[int] = []
    again_ends: list[int] = []
    again_ids: list[int] = []
    hard = needs_nltk(unified)
    for s in compress(range(len(odd)), odd):
        add_word_offsets(unified, *spans[s], hard, again_starts, again_ends)
        again_ids += [s] * (len(again_starts) - len(again_ids))
    keep = ~np.array(odd, dtype=bool)[sent_ids]
    starts = np.concatenate([starts[keep], np.array(again_starts, dtype=np.int64)])
    order = np.argsort(starts, kind="stable")
    starts = starts[order]
    ends = np.concatenate([ends[keep], np.array(again_ends, dtype=np.int64)])[order]
    sent_ids = np.concatenate([sent_ids[keep], np.array(again_ids, dtype=np.int64)])[order]
    tokens = list(compress(tokens, keep.tolist()))
    tokens += map(unified.__getitem__, map(slice, again_starts, again_ends))
    return starts, ends, list(map(tokens.__getitem__, order.tolist())), sent_ids


def split_off_periods(tokens: list[str], at: list[int]) -> list[str]:
    """The tokens with each token at the (ascending) indices `at` split into its text and its final period."""
    out, done = [], 0
    for k in at:
        out += tokens[done:k]
        out += (tokens[k][:-1], ".")
        done = k + 1
    out += tokens[done:]
    return out


@per_document("tokens")
def tokenize(docs: pd.DataFrame, workers: int = 1) -> pd.DataFrame:
    """One row per token: doc_id, sent_id, token_id, start, end, token, norm, is_stop, is_punct.

    `workers` > 1 tokenizes batches of documents in that many processes (worth it from a few
    thousand documents on); the table is the same.
    """
    pairs = list(zip(docs["doc_id"].tolist(), docs["text"].tolist(), strict=True))
    if workers <= 1 or len(pairs) < 4 * workers:
        return token_table([tokenize_text(d, t) for d, t in pairs])
    size = -(-len(pairs) // (4 * workers))
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(tokenize_batch, [pairs[i : i + size] for i in range(0, len(pairs), size)]))
    return token_table(parts)


def tokenize_batch(pairs: list[tuple[str, str]]) -> dict[str, list | np.ndarray]:
    """The token columns of several (doc_id, text) pairs, joined."""
    return join_columns([tokenize_text(d, t) for d, t in pairs])


def join_columns(parts: list[dict[str, list | np.ndarray]]) -> dict[str, list | np.ndarray]:
    """Per-document span columns, joined: lists of doc_id pairs and tokens, arrays of the numbers."""
    joined = {c: list(chain.from_iterable(part[c] for part in parts)) for c in ("doc_id", "token")}
    for c in ("sent_id", "start", "end"):
        joined[c] = np.concatenate([part[c] for part in parts]) if parts else np.empty(0, dtype=np.int64)
    return joined


def sorted_categorical(values: list) -> pd.Categorical:
    """`pd.Categorical(values)` (categories sorted) of strings, encoded by Arrow (several times quicker
    than pandas on a million tokens)."""
    encoded = pa.array(values, type=pa.string()).dictionary_encode()
    order = pc.array_sort_indices(encoded.dictionary)  # UTF-8 byte order: Python's order of str
    rank = np.empty(len(order), dtype=np.int64)
    rank[order.to_numpy()] = np.arange(len(order))
    categories = pd.Index(encoded.dictionary.take(order).to_numpy(zero_copy_only=False), dtype="str")
    return pd.Categorical.from_codes(rank[encoded.indices.to_numpy()], categories)


def token_table(parts: list[dict[str, list | np.ndarray]]) -> pd.DataFrame:
    """Join per-document span columns into the tokens table.

    doc_id, token and norm are categoricals (each distinct string stored once): on a large corpus
    that makes the table several times smaller and quicker to build than plain strings, and the
    features of a token are worked out once per distinct token.
    """
    joined = join_columns(parts)
    doc_ids, per_doc = tuple(zip(*joined["doc_id"])) if joined["doc_id"] else ((), ())
    per_doc = np.array(per_doc, dtype=np.int64)
    first_of_doc = np.repeat(np.cumsum(per_doc) - per_doc, per_doc)
    token = sorted_categorical(joined["token"])
    distinct = token.categories.to_numpy(dtype=object)
    # norms of all distinct tokens at once (tokens hold no whitespace: a newline keeps them apart)
    norm_list = unify("\n".join(distinct)).casefold().split("\n") if len(distinct) else []
    norms = pd.Index(norm_list, dtype="str")
    stop = stopwords()
    norm_categories = norms.unique().sort_values()
    norm = pd.Categorical.from_codes(norm_categories.get_indexer(norms)[token.codes], norm_categories)
    present = per_doc > 0  # a document without tokens is not a category (as from the column itself)
    doc = sorted_categorical([d for d, keep in zip(doc_ids, present) if keep])
    return pd.DataFrame(
        {
            "doc_id": pd.Categorical.from_codes(np.repeat(doc.codes, per_doc[present]), doc.categories),
            "sent_id": joined["sent_id"].astype(np.int64),
            "token_id": np.arange(len(token), dtype=np.int64) - first_of_doc,
            "start": joined["start"].astype(np.int64),
            "end": joined["end"].astype(np.int64),
            "token": token,
            "norm": norm,
            "is_stop": np.array([n in stop for n in norm_list], dtype=bool)[token.codes],
            "is_punct": np.array([is_punctuation(t) for t in distinct], dtype=bool)[token.codes],
        },
        columns=TOKEN_COLUMNS,
    )
