"""Loading: the seed's header and dateline, and every kind of bad input, each in a temp folder."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SEED_ID, SEEDS, write_corpus

import helpers
from helpers.corpus import CorpusError

GOOD = "date 2024-01-15 A good title\n\nLONDON. REUTERS - Ministers met on Monday.\n"


def test_seed_header_and_dateline(seed_docs):
    assert list(seed_docs.columns) == ["doc_id", "path", "date", "title", "dateline", "source", "text"]
    doc = seed_docs.set_index("doc_id").loc[SEED_ID]
    assert doc["date"] == pd.Timestamp("2023-06-28")
    assert doc["title"] == "Kazakh Deputy FM, Council of Europe discuss prospects for cooperation"
    assert doc["dateline"] == "ASTANA"
    assert doc["source"] == "KAZINFORM"
    assert doc["text"].startswith("ASTANA. KAZINFORM - Deputy Minister")
    assert doc["text"].endswith("(No. 127).")
    assert helpers.problems(seed_docs).empty


def test_seed_text_is_the_file_minus_its_header(seed_text):
    raw = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    assert raw.endswith(seed_text)
    assert raw[: len(raw) - len(seed_text)].strip().startswith("date 2023-06-28")


def test_no_header_no_dateline(tmp_path):
    docs = helpers.load_corpus(write_corpus(tmp_path, {"plain.txt": "Just a text. Two sentences."}))
    row = docs.iloc[0]
    assert row["doc_id"] == "plain"
    assert pd.isna(row["date"]) and row["title"] == "" and row["dateline"] == "" and row["source"] == ""
    assert row["text"] == "Just a text. Two sentences."


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", "", "empty file"),
        ("blank.txt", "  \n\t\n \n", "empty file"),
        ("latin1.txt", "Caf\xe9 au lait, na\xefve.".encode("latin-1"), "not valid UTF-8"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("utf16.txt", "Hello there.".encode("utf-16"), "UTF-16"),
        ("baddate.txt", "date 2023-02-30 Not a day\n\nText here.", "impossible date 2023-02-30"),
        ("badmonth.txt", "date 2023-13-01 Not a month\n\nText here.", "impossible date 2023-13-01"),
        ("headeronly.txt", "date 2023-01-01 Only a header\n\n", "no text after"),
    ],
)
def test_bad_file_is_reported_by_name_and_the_rest_load(tmp_path, name, content, reason):
    folder = write_corpus(tmp_path, {"good.txt": GOOD, name: content})
    with pytest.warns(UserWarning, match=rf"{name}: .*{reason}"):
        docs = helpers.load_corpus(folder)
    assert list(docs["doc_id"]) == ["good"]
    bad = helpers.problems(docs)
    assert list(bad["file"]) == [name]
    assert reason in bad["reason"].iloc[0]


def test_bom_is_not_bad_input(tmp_path):
    folder = write_corpus(tmp_path, {"bom.txt": "\ufeffdate 2024-03-01 With BOM\n\nBody text.".encode()})
    docs = helpers.load_corpus(folder)
    assert docs.iloc[0]["date"] == pd.Timestamp("2024-03-01")
    assert docs.iloc[0]["title"] == "With BOM"
    assert docs.iloc[0]["text"] == "Body text."


def test_crlf_parses_like_lf_and_offsets_index_the_loaded_text(tmp_path):
    lf = "date 2024-01-15 Title here\n\nPARIS. AFP - First sentence. Second one.\n\nNew (No. 5) here.\n"
    folder = write_corpus(tmp_path, {"crlf.txt": lf.replace("\n", "\r\n"), "lf.txt": lf})
    docs = helpers.load_corpus(folder).set_index("doc_id")
    for column in ["date", "title", "dateline", "source"]:
        assert docs.loc["crlf", column] == docs.loc["lf", column]
    assert docs.loc["crlf", "title"] == "Title here"
    assert "\r\n" in docs.loc["crlf", "text"]
    tokens = helpers.tokenize(docs.reset_index())
    crlf, lf_tokens = tokens[tokens.doc_id == "crlf"], tokens[tokens.doc_id == "lf"]
    assert list(crlf["token"]) == list(lf_tokens["token"])
    assert list(crlf["sent_id"]) == list(lf_tokens["sent_id"])
    text = docs.loc["crlf", "text"]
    assert all(text[s:e] == t for s, e, t in zip(crlf["start"], crlf["end"], crlf["token"]))
    sents = helpers.sentences(docs.reset_index())
    assert (sents["doc_id"] == "crlf").sum() == 4


def test_missing_folder_names_the_folder(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(CorpusError, match="nowhere.*does not exist"):
        helpers.load_corpus(missing)


def test_folder_without_txt_files_names_the_folder(tmp_path):
    (tmp_path / "notes.md").write_text("not a corpus file")
    with pytest.raises(CorpusError, match=f"{tmp_path.name} has no .txt files"):
        helpers.load_corpus(tmp_path)


def test_all_bad_files_give_empty_table_with_problems(tmp_path):
    folder = write_corpus(tmp_path, {"a.txt": "", "b.txt": b"\x00\x01"})
    with pytest.warns(UserWarning):
        docs = helpers.load_corpus(folder)
    assert docs.empty and list(docs.columns)[0] == "doc_id"
    assert sorted(helpers.problems(docs)["file"]) == ["a.txt", "b.txt"]
    assert helpers.tokenize(docs).empty


def test_loading_never_writes_to_the_folder(tmp_path):
    folder = write_corpus(tmp_path, {"good.txt": GOOD, "bad.txt": b"\xff\xfe\x00"})
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}
    with pytest.warns(UserWarning):
        helpers.load_corpus(folder)
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == before


def test_a_loaded_corpus_can_be_combined_and_converted(tmp_path):
    """pandas compares attrs when it combines frames: the problems kept there must allow it."""
    folder = write_corpus(tmp_path / "c", {"a.txt": "Some text.", "bad.txt": b""})
    with pytest.warns(UserWarning):
        docs = helpers.load_corpus(folder)
    both = pd.concat([docs, docs.astype(str)])
    assert len(both) == 2 and list(helpers.problems(docs)["file"]) == ["bad.txt"]
