"""Finders plug in: a toy finder (monetary amounts) written here, registered once, appears in the
pipeline and in the highlighted text with its own colour; overlapping mentions are all drawn."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest
from conftest import assert_offsets_exact, write_corpus

from helpers.highlight import highlight
from helpers.pipeline import analyse_folder, tables
from helpers.registry import FINDERS, Finder, palette, register

# ---- the toy finder: its whole module would be these lines

MONEY = re.compile(r"(?P<sign>[$€£])\s?\d+(?:[.,]\d+)*(?:\s(?:million|billion))?")
CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP"}
MONEY_COLUMNS = ("doc_id", "start", "end", "text", "currency")


def find_money(docs: pd.DataFrame, documents=None) -> pd.DataFrame:
    """Monetary amounts: "$40 million", "€5": doc_id, start, end, text, currency."""
    rows = [
        (doc_id, m.start(), m.end(), m.group(), CURRENCY[m["sign"]])
        for doc_id, text in zip(docs["doc_id"], docs["text"])
        for m in MONEY.finditer(text)
    ]
    return pd.DataFrame(rows, columns=list(MONEY_COLUMNS))


@pytest.fixture
def money():
    finder = register(
        Finder(
            "money",
            find_money,
            MONEY_COLUMNS,
            "currency",
            {"USD": "#2CA02C", "EUR": "#1F77B4"},
            ("currency",),
        )
    )
    yield finder
    del FINDERS["money"]


def test_a_new_finder_appears_in_the_pipeline_and_the_highlight(money, tmp_path):
    text = "The United States pledged $40 million and the EU €5 billion; Kazakhstan gave £3."
    corpus = write_corpus(tmp_path / "c", {"a.txt": "date 2024-01-01 Aid\n\n" + text})
    assert "money" in tables()
    got = analyse_folder(corpus)  # every registered table by default
    found = got["money"]
    assert list(found["text"]) == ["$40 million", "€5 billion", "£3"]
    assert list(found["currency"].astype(str)) == ["USD", "EUR", "GBP"]
    assert isinstance(found["currency"].dtype, pd.CategoricalDtype), "its categoricals are applied"
    assert_offsets_exact(found.astype({"doc_id": str}), pd.DataFrame({"doc_id": ["a"], "text": [text]}))
    assert {"actors", "dates", "treaties"} <= set(got), "the built-in finders still run"
    page = highlight(text, found, label="currency")
    assert "background:#2CA02C" in page and "background:#1F77B4" in page  # its own colours
    assert palette()["USD"] == "#2CA02C"


class Nesting(HTMLParser):
    """Checks that every tag closes in order, and collects the text inside each mark."""

    def __init__(self):
        super().__init__()
        self.stack, self.marked = [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append([tag, ""])

    def handle_endtag(self, tag):
        opened, inner = self.stack.pop()
        assert opened == tag, (opened, tag)
        if tag == "mark":
            self.marked.append(inner)
        if self.stack:
            self.stack[-1][1] += inner

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data


def test_overlapping_mentions_are_all_drawn_and_nested():
    text = "the Council of Europe Convention on Cybercrime today"
    mentions = pd.DataFrame(
        {
            "doc_id": ["d"] * 3,
            "start": [4, 4, 15],
            "end": [21, 46, 52],
            "text": [text[4:21], text[4:46], text[15:52]],
            "kind": ["organisation", "title", "place"],  # the third crosses the ends of the other two
        }
    )
    page = highlight(text, mentions)
    parser = Nesting()
    parser.feed('<div class="highlighted">' + page.split('<div class="highlighted">', 1)[1])
    assert parser.stack == [], "every mark is closed"
    labels = re.findall(r'<span class="mention-label">([^<]*)</span>', page)
    assert sorted(labels) == ["organisation", "place", "title"], "every mention keeps its label"
    # "place" starts inside both others and outlives them: it goes on in a new mark after each end
    assert page.count('class="mention continued"') == 2
    assert "".join(re.sub(r"<[^>]+>|organisation|title|place", "", page.split('"highlighted">')[1])) == text


def test_exclusions_are_spans_a_finder_is_told_to_leave_alone():
    from helpers.actors import find_actors
    from helpers.registry import FINDERS

    docs = pd.DataFrame({"doc_id": ["a"], "text": ["Georgia ratified the Istanbul Convention with France."]})
    assert FINDERS["actors"].excludes == ("quoted titles", "treaty names")
    assert list(find_actors(docs)["text"]) == ["Georgia", "France"], (
        "by default the treaty name is left alone"
    )
    nothing = pd.DataFrame(columns=["doc_id", "start", "end"])
    assert list(find_actors(docs, exclude=nothing)["text"]) == ["Georgia", "Istanbul", "France"]
    first_word = pd.DataFrame({"doc_id": ["a"], "start": [0], "end": [7]})
    assert list(find_actors(docs, exclude=first_word)["text"]) == ["Istanbul", "France"]


def test_the_pipeline_resolves_overlaps_between_finders(tmp_path):
    from helpers.pipeline import all_mentions

    actors = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "start": [0, 30],
            "end": [7, 38],
            "text": ["Georgia", "Istanbul"],
            "actor": ["Georgia", "Istanbul"],
            "kind": ["country", "place"],
        }
    )
    treaties = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "start": [30, 30],
            "end": [49, 49],
            "text": ["Istanbul Convention"] * 2,
            "number": ["210", "999"],
            "match": ["short_name", "short_name"],
            "strength": ["strong"] * 2,
        }
    )
    dates = pd.DataFrame(
        {"doc_id": ["a"], "start": [0], "end": [7], "text": ["Georgia"], "type": ["DATE"], "value": ["X"]}
    )
    table = all_mentions({"actors": actors, "dates": dates, "treaties": treaties})
    # the longer treaty name wins over the place inside it, both of its rows stay; on a tie of
    # length (Georgia, 0-7) the finder registered first (actors) wins over dates
    assert list(zip(table["text"], table["finder"], table["label"])) == [
        ("Georgia", "actors", "country"),
        ("Istanbul Convention", "treaties", "short_name"),
        ("Istanbul Convention", "treaties", "short_name"),
    ]
    corpus = write_corpus(
        tmp_path / "c", {"a.txt": "Georgia ratified the Istanbul Convention on 3 May 2020."}
    )
    got = analyse_folder(corpus, keep=("actors", "dates", "treaties", "mentions"))
    assert set(got["mentions"]["finder"]) == {"actors", "dates", "treaties"}
    assert len(got["mentions"]) == len(got["actors"]) + len(got["dates"]) + len(
        got["treaties"]
    )  # no overlaps


def test_a_table_handed_out_is_a_copy(seed_docs):
    """Editing the gazetteer or the treaty list a notebook was given changes no finder's."""
    from helpers.actors import find_actors, gazetteer
    from helpers.treaties import treaty_list

    before = find_actors(seed_docs, method="rules")
    mine = gazetteer()
    mine["kind"] = "place"
    mine.drop(mine.index, inplace=True)
    listed = treaty_list()
    listed["title"] = ""
    assert len(gazetteer()) > 500 and (gazetteer()["kind"] == "country").any()
    assert treaty_list()["title"].str.len().min() > 0
    pd.testing.assert_frame_equal(find_actors(seed_docs, method="rules"), before)
