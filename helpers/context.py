"""The per-document context every finder is handed: text, date and sentence spans, made once."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pandas as pd

from helpers.spans import title_spans
from helpers.tokens import sentence_spans


@dataclass
class Document:
    """One document as the finders see it. `sentences` are computed once, the first time a finder
    asks, by the same splitter as `helpers.tokens.sentences` (paragraphs, then Punkt)."""

    doc_id: str
    text: str
    date: date | None = None
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def remember(self, key: str, compute: Callable[[], object]):
        """What `compute()` gives for this document, computed once: finders share work through it
        (the treaty titles that actors leave alone), not through caches keyed on whole texts."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        return sentence_spans(self.text)

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [a for a, _ in self.sentences]

    def sentence_around(self, pos: int) -> tuple[int, int]:
        """Start and end of the sentence that holds `pos` (the whole text if none does)."""
        at = bisect.bisect_right(self.sentence_starts, pos) - 1
        if at >= 0 and self.sentences[at][0] <= pos < self.sentences[at][1]:
            return self.sentences[at]
        return (0, len(self.text))


def quoted_titles(doc: Document) -> tuple[tuple[int, int], ...]:
    """The quoted titles of a document («...», “...”), found once (`helpers.spans.title_spans`)."""
    return doc.remember("quoted titles", lambda: title_spans(doc.text))


def document(doc_id, text: str, day=None) -> Document:
    """The context of one text; `day` is its header date (a Timestamp, a date or NaT/None)."""
    day = None if day is None or pd.isna(day) else pd.Timestamp(day).date()
    return Document(str(doc_id), text, day)


def contexts(docs: pd.DataFrame) -> list[Document]:
    """The context of every document of a documents table (any table with doc_id and text)."""
    days = docs["date"] if "date" in docs else [None] * len(docs)
    return [document(d, t, day) for d, t, day in zip(docs["doc_id"], docs["text"], days)]
