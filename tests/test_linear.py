"""Work that grows with the text, not with its square: the finders scan a long sentence once, however
many numbers or dates it holds (counted scans, no timings: bench/run.py times the doubled input)."""

from __future__ import annotations

import pandas as pd

from helpers import dates, treaties


class Counting:
    """A compiled pattern that counts the characters its search/finditer calls are given to scan."""

    def __init__(self, pattern):
        self.pattern, self.scanned = pattern, 0

    def search(self, text, *span):
        self.scanned += len(text) if not span else min(span[1:] or [len(text)]) - span[0]
        return self.pattern.search(text, *span)

    def finditer(self, text, pos=0, endpos=None):
        self.scanned += (len(text) if endpos is None else endpos) - pos
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)


def one_document(text: str) -> pd.DataFrame:
    return pd.DataFrame(
        {"doc_id": ["a"], "text": [text], "date": [pd.Timestamp("2024-01-02")], "title": [""]}
    )


def scanned(monkeypatch, module, name: str, find, piece: str, n: int) -> int:
    counter = Counting(getattr(module, name))
    monkeypatch.setattr(module, name, counter)
    find(one_document(piece * n))
    return counter.scanned


def test_treaty_numbers_in_one_long_sentence_scan_it_once(monkeypatch):
    """ "No. 1 No. 1 ...": one sentence ("No." is an abbreviation) with n numbers; its treaty words
    are looked for once, not once per number."""
    small, large = (
        scanned(monkeypatch, treaties, "TREATY_WORDS", treaties.find_treaties, "No. 1 ", n)
        for n in (500, 1000)
    )
    assert 0 < large <= 2.2 * small


def test_dates_in_one_long_sentence_scan_it_once(monkeypatch):
    """ "in May 2020, ..." : n dates in one clause; the tense cues of the clause are found once."""
    cues = dict(dates.CUES)
    for name in ("FUTURE", "PAST"):
        cues[name] = Counting(cues[name])
    monkeypatch.setattr(dates, "CUES", cues)
    work = []
    for n in (500, 1000):
        before = cues["FUTURE"].scanned + cues["PAST"].scanned
        found = dates.find_dates(one_document("in May 2020, " * n))
        assert len(found) == n
        work.append(cues["FUTURE"].scanned + cues["PAST"].scanned - before)
    assert 0 < work[1] <= 2.2 * work[0]
