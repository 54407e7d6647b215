"""Spans of text: one overlap policy, one sentence lookup, one "not inside these" test for every finder."""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

import pandas as pd

T = TypeVar("T")


def resolve_overlaps(
    items: Iterable[T],
    span: Callable[[T], tuple[int, int]],
    priority: Callable[[T], object] = lambda item: 0,
    longest_first: bool = True,
) -> list[T]:
    """Keep the longest of overlapping spans, then the one of lower `priority`, then the earlier
    (with longest_first=False: the lower priority first, then the longest: evidence before length);
    return the kept ones in reading order. n log n: kept spans never overlap, so only the
    neighbours on either side of a new span can.

    >>> resolve_overlaps([(0, 5), (3, 9), (9, 10), (0, 2)], span=lambda s: s)
    [(0, 2), (3, 9), (9, 10)]
    """

    def rank(item: T) -> tuple:
        start, end = span(item)
        return (
            (-(end - start), priority(item), start)
            if longest_first
            else (priority(item), -(end - start), start)
        )

    ranked = sorted(items, key=rank)
    kept: list[T] = []
    starts: list[int] = []
    for item in ranked:
        start, end = span(item)
        at = bisect.bisect_left(starts, start)
        if (at < len(kept) and span(kept[at])[0] < end) or (at > 0 and span(kept[at - 1])[1] > start):
            continue
        kept.insert(at, item)
        starts.insert(at, start)
    return kept


def inside(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    """True when `span` lies wholly inside one of `spans`."""
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def sentence_table(tokens: pd.DataFrame) -> pd.DataFrame:
    """doc_id, sent_id, start, end of each sentence, from a tokens table."""
    keys = ["doc_id", "sent_id"]
    grouped = tokens.groupby(keys, sort=False, observed=True)
    return grouped.agg(start=("start", "min"), end=("end", "max")).reset_index()


def sentence_of(mentions: pd.DataFrame, sentences: pd.DataFrame) -> pd.Series:
    """The sent_id of each mention: the last sentence of its document that starts at or before it.

    `sentences` needs doc_id, sent_id and start (a `sentences(docs)` table or `sentence_table(tokens)`).
    """
    if mentions.empty:
        return pd.Series([], index=mentions.index, dtype="int64")
    starts = {
        d: (s["start"].to_numpy(), s["sent_id"].to_numpy())
        for d, s in sentences.groupby(sentences["doc_id"].astype(str), sort=False)
    }
    ids = []
    for doc_id, start in zip(mentions["doc_id"].astype(str), mentions["start"]):
        firsts, sent_ids = starts[doc_id]
        ids.append(int(sent_ids[max(int(firsts.searchsorted(start, side="right")) - 1, 0)]))
    return pd.Series(ids, index=mentions.index, dtype="int64")


QUOTES = {"«": "»", "“": "”", '"': '"'}  # opening mark -> closing mark; a straight quote spans no line break


def quotations(text: str) -> list[tuple[int, int]]:
    """(start, end) of each «...», “...” and "..." in reading order, as `re.finditer` of
    `«[^»]*»|“[^”]*”|"[^"\\n]*"` finds them, but in one pass: a mark that is never closed is
    looked for once, not once per opening mark (the pattern is quadratic in "« « « ...")."""
    spans, pos = [], 0
    ahead = {mark: text.find(mark) for mark in QUOTES}  # each mark's next place: looked for forward only
    while True:
        for mark in [m for m, at in ahead.items() if 0 <= at < pos]:
            ahead[mark] = text.find(mark, pos)
        ahead = {mark: at for mark, at in ahead.items() if at >= 0}
        if not ahead:
            return spans
        start = min(ahead.values())
        end = text.find(QUOTES[text[start]], start + 1)
        if end < 0:  # never closed after here: no later mark of its kind is either
            del ahead[text[start]]
        elif text[start] == '"' and "\n" in text[start + 1 : end]:
            pos = start + 1
        else:
            spans.append((start, end + 1))
            pos = end + 1


def title_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Quoted titles («...», “...” or "..." in title case): names inside them are not actors."""
    spans = []
    for start, end in quotations(text):
        words = [w for w in re.findall(r"[^\W\d_]+", text[start:end]) if len(w) > 3]
        if text[start] == "«" or (words and sum(w[0].isupper() for w in words) >= 0.6 * len(words)):
            spans.append((start, end))
    return tuple(spans)


class SpanLookup:
    """The items of a list whose spans overlap a span, in the list's order, found by bisect over their
    starts, looking back no further than the longest span: linear in a long text, where a scan of every
    item per question is quadratic."""

    def __init__(self, items: list[T], span: Callable[[T], tuple[int, int]]):
        self._items = items
        self._spans = [span(item) for item in items]
        self._order = sorted(range(len(items)), key=lambda i: self._spans[i])
        self._starts = [self._spans[i][0] for i in self._order]
        self._longest = max((e - s for s, e in self._spans), default=0)

    def overlapping(self, start: int, end: int) -> list[T]:
        """The items with a span (a, b) such that a < `end` and `start` < b."""
        low = bisect.bisect_left(self._starts, start - self._longest)
        high = bisect.bisect_left(self._starts, end)
        found = sorted(i for i in self._order[low:high] if self._spans[i][1] > start)
        return [self._items[i] for i in found]


class SpanIndex:
    """Spans (start, end) asked whether any overlaps, or holds, a span: log n per question, where a
    scan of every span per question makes a finder quadratic in a long text. Spans `add`ed later
    must not overlap each other (a finder adds a span only when nothing overlaps it)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(itertools.accumulate((e for _, e in ordered), max))  # furthest end so far
        self._added: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span has start < `end` and `start` < end."""
        i = bisect.bisect_left(self._starts, end)
        if i and self._reach[i - 1] > start:
            return True
        j = bisect.bisect_left(self._added, (end,))  # the added spans are disjoint: only one can
        return bool(j) and self._added[j - 1][1] > start

    def holds(self, start: int, end: int) -> bool:
        """Whether some span (of those given at first) has start <= `start` and `end` <= end."""
        i = bisect.bisect_right(self._starts, start)
        return bool(i) and self._reach[i - 1] >= end

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._added, (start, end))
