"""One document never takes the others down: a finder failing on one document, texts past the
model's limit, odd folders (subfolders, links out, files that vanish or change while read)."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, assert_offsets_exact, write_corpus

import helpers
from helpers import dates, model
from helpers.actors import find_actors
from helpers.corpus import CorpusError, corpus_listing
from helpers.dates import find_dates
from helpers.isolation import LeftOut
from helpers.pipeline import analyse_folder, read_tables

EXAMPLE = ROOT / "corpora" / "whitehouse_diplomacy"
GOOD = "date 2024-01-15 Talks\n\nPresident Biden met Chancellor Scholz in Berlin on Monday.\n"
OTHER = GOOD.replace("Monday", "Wednesday")
BAD = "date 2024-01-16 Talks again\n\nPresident Biden met Chancellor Scholz in Paris on Tuesday.\n"


@pytest.fixture
def dates_fail_on_paris(monkeypatch):
    """The dates finder breaks on any text naming Paris (as a bug would on some odd input)."""
    real = dates.dates_in_text

    def breaking(doc):
        if "Paris" in doc.text:
            raise RuntimeError("a date rule broke")
        return real(doc)

    monkeypatch.setattr(dates, "dates_in_text", breaking)


def test_a_finder_failing_on_one_document_loses_only_its_rows(tmp_path, dates_fail_on_paris):
    docs = helpers.load_corpus(write_corpus(tmp_path, {"a.txt": GOOD, "b.txt": BAD, "c.txt": OTHER}))
    with pytest.warns(
        LeftOut, match=r"b\.txt: no dates for this document \(RuntimeError: a date rule broke\)"
    ):
        found = find_dates(docs)
    assert sorted(found["doc_id"]) == ["a", "c"]
    assert_offsets_exact(found, docs)
    bad = helpers.problems(found)
    assert bad[["file", "stage"]].values.tolist() == [["b.txt", "dates"]]
    assert bad["reason"].iloc[0] == "RuntimeError: a date rule broke"
    assert "b" in set(find_actors(docs)["doc_id"])  # the other finders still read it


def test_the_pipeline_keeps_the_document_and_its_other_tables(tmp_path, dates_fail_on_paris):
    folder = write_corpus(tmp_path / "corpus", {"a.txt": GOOD, "b.txt": BAD, "c.txt": OTHER})
    for out in (None, tmp_path / "tables"):
        with pytest.warns(UserWarning, match=r"b\.txt: dates left out"):
            got = analyse_folder(folder, batch_size=2, out=out)
        tables = got if out is None else read_tables(got)
        assert sorted(tables["documents"]["doc_id"].astype(str)) == ["a", "b", "c"]
        assert sorted(set(tables["dates"]["doc_id"].astype(str))) == ["a", "c"]
        assert "b" in set(tables["actors"]["doc_id"].astype(str))
        assert tables["problems"][["file", "stage"]].values.tolist() == [["b.txt", "dates"]]


def test_a_long_text_is_parsed_in_pieces_with_exact_offsets(monkeypatch):
    """With pieces of 120 characters, the joined parse of a text is its pieces' parses, each moved to
    where its piece starts; every piece ends at whitespace, never inside a word."""
    text = (
        "President Biden met Chancellor Olaf Scholz in Berlin. They spoke about Ukraine.\n\n"
        "Prime Minister Kishida of Japan called President Macron of France on Monday. "
        "Secretary Blinken travelled to Astana, Kazakhstan, where he met Foreign Minister Nurtleu."
    ) * 3
    monkeypatch.setattr(model, "PIECE_SIZE", 120)
    spans = model.pieces(text, 120)
    assert len(spans) > 3 and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a == b for (_, a), (b, _) in zip(spans, spans[1:]))
    assert all(b - a <= 120 and text[b - 1].isspace() for a, b in spans[:-1])
    whole = model.parse_texts([text])[0]
    apart = model.parse_texts([text[a:b] for a, b in spans])
    expected = [(s + a, e + a, label) for (a, _), p in zip(spans, apart) for s, e, label in p.entities]
    assert whole.entities == expected and len(expected) >= 10
    assert {text[s:e] for s, e, _ in whole.entities} >= {"Biden", "Olaf Scholz", "Berlin", "Kishida"}
    for clause in whole.clauses:
        for s, e in filter(None, (clause.verb, clause.subject, clause.object)):
            assert 0 <= s < e <= len(text) and text[s:e].strip()


def test_pieces_of_a_five_megabyte_line_cut_between_words():
    line = "The Ministers of Foreign Affairs met in Geneva on 3 May 2024 and agreed to talk again. " * 60_000
    spans = model.pieces(line)
    assert len(line) > 5_000_000 and len(spans) >= len(line) / model.PIECE_SIZE
    assert "".join(line[a:b] for a, b in spans) == line
    assert all(b - a <= model.PIECE_SIZE and line[b - 1] == " " and line[b] != " " for a, b in spans[:-1])


def test_a_five_megabyte_text_finds_what_its_pieces_find():
    """A generated text of 5 MB (over five times spaCy's limit): the actors found in it are those
    found in each of its paragraphs (real statements on one line, one piece each), moved to where
    the paragraph starts; the model's people and organisations among them."""
    bodies = [p.read_text(encoding="utf-8").split("\n", 2)[-1] for p in sorted(EXAMPLE.glob("*.txt"))]
    block = " ".join(bodies).replace("\n", " ")[:90_000].rsplit(" ", 1)[0] + "\n\n"
    copies = 5_000_000 // len(block) + 1
    docs = pd.DataFrame({"doc_id": ["long"], "text": [block * copies], "date": [pd.Timestamp("2023-06-28")]})
    one = pd.DataFrame({"doc_id": ["long"], "text": [block], "date": [pd.Timestamp("2023-06-28")]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeftOut)
        whole = find_actors(docs)
    part = find_actors(one)
    assert len(docs["text"].iloc[0]) > 5_000_000 and (part["source"] == "model").sum() > 100
    expected = pd.concat(
        [
            part.assign(start=part["start"] + k * len(block), end=part["end"] + k * len(block))
            for k in range(copies)
        ],
        ignore_index=True,
    )
    columns = ["start", "end", "text", "actor", "kind", "role"]
    pd.testing.assert_frame_equal(whole[columns].reset_index(drop=True), expected[columns])


def test_subfolders_and_links_out_of_the_folder_are_named_not_read(tmp_path):
    outside = write_corpus(tmp_path / "elsewhere", {"secret.txt": "Not part of the corpus."})
    folder = write_corpus(tmp_path / "corpus", {"a.txt": GOOD, "sub/b.txt": GOOD, "sub/deep/c.txt": GOOD})
    (folder / ".ipynb_checkpoints").mkdir()
    (folder / ".ipynb_checkpoints" / "a-checkpoint.txt").write_text(GOOD)
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    (folder / "inside.txt").symlink_to(folder / "a.txt")  # a link within the folder is read
    paths, unread = corpus_listing(folder)
    assert [p.name for p in paths] == ["a.txt", "inside.txt"]
    reasons = dict(zip(unread["file"], unread["reason"]))
    assert set(reasons) == {"sub", "link.txt", "gone.txt"}
    assert "a subfolder with 2 .txt file(s), not read" in reasons["sub"]
    assert "outside the corpus folder: not followed" in reasons["link.txt"]
    docs = helpers.load_corpus(folder)
    assert list(docs["doc_id"]) == ["a"]  # the link inside the folder is read, and is a copy of a.txt
    assert helpers.corpus.copies_found(docs)[["doc_id", "copy_of", "kind"]].values.tolist() == [
        ["inside", "a", "exact"]
    ]
    assert set(helpers.problems(docs)["file"]) == {"sub", "link.txt", "gone.txt"}
    tables = analyse_folder(folder, keep=("documents", "problems"))
    assert set(tables["problems"]["file"]) == {"sub", "link.txt", "gone.txt"}
    with pytest.raises(CorpusError, match="no .txt files .*sub: a subfolder"):
        corpus_listing(write_corpus(tmp_path / "only_sub", {"sub/x.txt": GOOD}))


def test_a_file_that_vanishes_or_changes_while_read_is_named(tmp_path, monkeypatch):
    folder = write_corpus(tmp_path, {"a.txt": GOOD, "b.txt": GOOD, "c.txt": GOOD})
    real = Path.read_bytes

    def meddling(path):
        raw = real(path)
        if path.name == "b.txt":
            os.unlink(path)
        if path.name == "c.txt":
            path.write_text(GOOD + "More text.\n")
        return raw

    monkeypatch.setattr(Path, "read_bytes", meddling)
    with pytest.warns(UserWarning):
        docs = helpers.load_corpus(folder)
    assert list(docs["doc_id"]) == ["a"]
    reasons = dict(zip(helpers.problems(docs)["file"], helpers.problems(docs)["reason"]))
    assert "vanished" in reasons["b.txt"]
    assert "changed while it was being read" in reasons["c.txt"]


def test_a_wrong_argument_is_raised_at_once_not_taken_for_a_bad_document(seed_docs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", LeftOut)  # no document is blamed for it
        with pytest.raises(ValueError, match="method must be one of"):
            find_actors(pd.concat([seed_docs, seed_docs.assign(doc_id="copy")]), method="magic")
