"""Copies in a corpus: exact ones counted once by default, near ones named, both in the overview."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from conftest import ROOT, write_corpus

import helpers
from helpers.corpus import copies_found
from helpers.duplicates import copies

STATEMENT = " ".join(
    f"Paragraph {n}: the President met the Prime Minister of country number {n} and they discussed trade, "
    f"security and the climate in session {n}."
    for n in range(40)
)


def test_an_exact_copy_is_counted_once_and_named(tmp_path):
    folder = write_corpus(
        tmp_path, {"a-statement.txt": STATEMENT, "b-statment.txt": STATEMENT, "c.txt": "Other."}
    )
    docs = helpers.load_corpus(folder)
    assert list(docs["doc_id"]) == ["a-statement", "c"]
    assert copies_found(docs).values.tolist() == [["b-statment", "a-statement", "exact", 1.0]]
    said = helpers.corpus_overview(docs)
    assert "**1** document(s) are exact copies of another (`b-statment` = `a-statement`)" in said
    assert "counted once" in said
    kept = helpers.load_corpus(folder, keep_copies=True)
    assert list(kept["doc_id"]) == ["a-statement", "b-statment", "c"]
    assert "kept, as asked" in helpers.corpus_overview(kept)


def test_a_near_copy_is_named_and_kept(tmp_path):
    edited = STATEMENT.replace("session 7.", "session 7, as planned.")
    folder = write_corpus(tmp_path, {"first.txt": STATEMENT, "second.txt": edited, "third.txt": "Unrelated."})
    docs = helpers.load_corpus(folder)
    assert len(docs) == 3
    found = copies_found(docs)
    assert found[["doc_id", "copy_of", "kind"]].values.tolist() == [["second", "first", "near"]]
    assert 0.9 <= found["similarity"].iloc[0] < 1
    assert "**1** pair(s) of documents are near copies" in helpers.corpus_overview(docs)


def test_texts_that_share_less_are_not_copies():
    edited = STATEMENT
    for n in (3, 11, 19, 27, 35):  # five paragraphs of forty rewritten: about 80% shared
        edited = edited.replace(f"session {n}.", f"a long and difficult session number {n} on ports.")
    other = " ".join(
        f"Item {n}: a different text about ports, rail and grain in year {n}." for n in range(40)
    )
    table = copies(pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "text": [STATEMENT, edited, other, ""]}))
    assert table.empty and list(table.columns) == ["doc_id", "copy_of", "kind", "similarity"]
    assert (
        copies(pd.DataFrame({"doc_id": ["a", "b"], "text": [STATEMENT, edited]}), threshold=0.6).shape[0] == 1
    )


@pytest.mark.parametrize(
    ("corpus", "pairs"),
    [
        (
            "whitehouse_diplomacy",
            {
                (
                    "2025-10-26-joint-statement-on-a-framework-for-a-united-states-thailand-agreement",
                    "2025-10-26-joint-statement-on-a-frameowkr-for-a-united-states-thailand-agreement",
                )
            },
        ),
        (
            "whitehouse_statements",
            {
                (
                    "2023-04-06-white-house-announces-theme-and-activities-for-the-2023-easter-egg-ro",
                    "2023-04-06-white-house-announces-theme-and-activities-for-the-2022-easter-egg-ro",
                ),
                (
                    "2025-11-12-congressional-bill-h-r-5371-signed-into-law-a2cd",
                    "2025-11-12-congressional-bill-h-r-5371-signed-into-law",
                ),
            },
        ),
    ],
)
def test_the_real_corpora_copies_are_named(corpus, pairs):
    """Found by reading the file names and diffing the texts: the 410 hold one statement twice (one
    slug has a typo), the 3,000 two (an Easter Egg Roll notice under the 2022 and the 2023 slug, a
    bill signing under two slugs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        docs = helpers.load_corpus(ROOT / "corpora" / corpus)
    found = copies_found(docs)
    exact = found[found["kind"] == "exact"]
    assert set(zip(exact["doc_id"], exact["copy_of"])) == pairs
    said = helpers.corpus_overview(docs)
    assert f"**{len(pairs)}** document(s) are exact copies" in said
    assert not set(exact["doc_id"]) & set(docs["doc_id"])
