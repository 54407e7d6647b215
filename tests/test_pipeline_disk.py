"""The pipeline's results on disk (the store): the same tables as in memory; a failing batch named by
its files while the others go on."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_corpus

import helpers
from helpers.actors import find_actors
from helpers.pipeline import analyse_folder, read_tables
from helpers.registry import FINDERS

SAMPLE = Path(__file__).parent / "data" / "whitehouse_sample"  # 30 real statements
KEEP = ("documents", "problems", "term_counts", "actors", "dates", "treaties", "mentions")


@pytest.fixture(scope="module")
def in_memory():
    return analyse_folder(SAMPLE, batch_size=7, keep=KEEP)


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory):
    return analyse_folder(SAMPLE, batch_size=7, keep=KEEP, out=tmp_path_factory.mktemp("tables"))


def plain(table: pd.DataFrame) -> pd.DataFrame:
    """Values only: categoricals and strings as objects, datetime64 as dates, missing as None."""
    out = {}
    for column in table.columns:
        values = table[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.date
        out[column] = values.astype(object).where(values.notna(), None)
    return pd.DataFrame(out).reset_index(drop=True)


def test_read_back_equals_the_in_memory_tables(in_memory, on_disk):
    back = read_tables(on_disk)
    assert set(back) == set(in_memory) == set(KEEP)
    for name, expected in in_memory.items():
        got = back[name]
        assert list(got.columns) == list(expected.columns), name
        categorical = [c for c in expected if isinstance(expected[c].dtype, pd.CategoricalDtype)]
        assert categorical == [c for c in got if isinstance(got[c].dtype, pd.CategoricalDtype)], name
        pd.testing.assert_frame_equal(got.astype(expected.dtypes.to_dict()), expected, obj=name)
    assert len(back["actors"]) > 500 and back["actors"]["actor_id"].nunique() < len(back["actors"])


def test_a_file_that_breaks_its_batch_is_named_and_its_batch_goes_on(monkeypatch, tmp_path):
    """A finder with no isolation of its own breaks on the first statement: that file alone is left
    out (one problems row naming it), in memory and on disk; the other 9 files of its batch and the
    other 20 documents are analysed."""
    real = FINDERS["treaties"]

    def failing(docs, documents=None):
        if docs["doc_id"].astype(str).str.startswith("2021-01-20").any():
            raise ValueError("a finder broke")
        return real.find(docs, documents)

    monkeypatch.setitem(FINDERS, "treaties", dataclasses.replace(real, find=failing))
    files = sorted(p.name for p in SAMPLE.glob("*.txt"))
    broken = [f for f in files if f.startswith("2021-01-20")]
    assert broken == files[:1]
    for out in (None, tmp_path / "tables"):
        with pytest.warns(UserWarning, match="left out") as caught:
            got = analyse_folder(SAMPLE, batch_size=10, keep=("documents", "problems", "treaties"), out=out)
        tables = got if out is None else read_tables(got)
        assert list(tables["problems"]["file"]) == broken
        assert tables["problems"]["reason"].str.contains("ValueError: a finder broke").all()
        assert sorted(tables["documents"]["doc_id"].astype(str)) == [
            f.removesuffix(".txt") for f in files[1:]
        ]
        assert broken[0] in str(caught[0].message)


def test_progress_is_shown_in_files_when_there_is_more_than_one_part(capsys, tmp_path, monkeypatch):
    from helpers.progress import STATIC_PAGE

    analyse_folder(SAMPLE, keep=("documents",))  # 30 files: parts of 20 at least, so 2 parts: a bar
    assert re.search(r"analysing 30 files: 100%.* 30/30 ", capsys.readouterr().err)
    analyse_folder(SAMPLE, batch_size=10, keep=("documents",), progress=False)
    assert "analysing" not in capsys.readouterr().err
    few = tmp_path / "few"
    few.mkdir()
    for path in sorted(SAMPLE.glob("*.txt"))[:5]:
        (few / path.name).write_bytes(path.read_bytes())
    analyse_folder(few, keep=("documents",))  # one part: none
    assert "analysing" not in capsys.readouterr().err
    monkeypatch.setenv(STATIC_PAGE, "1")  # a page being built: no bar
    analyse_folder(SAMPLE, keep=("documents",))
    assert "analysing" not in capsys.readouterr().err


def test_parts_are_about_a_tenth_of_a_run_within_their_bounds():
    from helpers.store import BATCH_SIZE, MIN_PART, part_size

    assert [part_size(n, BATCH_SIZE) for n in (1, 19, 410, 3000)] == [MIN_PART, MIN_PART, 41, BATCH_SIZE]
    assert part_size(30, 7) == 7  # a smaller maximum asked for is kept


# Three tiny texts, one per batch: what links them is only in the other batches. Alone, the model reads
# "Olaf Scholz" in c as an organisation (a names him a person) and "Biden" in b stays "Biden" (c names
# Joe Biden in full).
LINKED_ACROSS_BATCHES = {
    "a.txt": "date 2024-01-01 Talks\n\nChancellor Olaf Scholz said the talks went well. "
    "Chancellor Olaf Scholz thanked the hosts.",
    "b.txt": "date 2024-01-02 Visit\n\nPresident Biden met Scholz in Berlin on Monday. "
    "Scholz said they agreed.",
    "c.txt": "date 2024-01-03 Call\n\nJoe Biden spoke with Olaf Scholz about Ukraine.",
}


@pytest.fixture(scope="module")
def linked_corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("linked"), LINKED_ACROSS_BATCHES)


def test_actors_are_linked_over_the_corpus_not_per_batch(linked_corpus, tmp_path, monkeypatch):
    """On disk, with one text per batch, the actors are linked as over the whole corpus."""
    docs = helpers.load_corpus(linked_corpus)
    alone = {d: find_actors(docs[docs["doc_id"] == d]) for d in ("b", "c")}  # as a per-batch step would
    assert set(alone["c"].loc[alone["c"]["text"] == "Olaf Scholz", "kind"]) == {"organisation"}
    assert set(alone["b"].loc[alone["b"]["text"] == "Biden", "actor"]) == {"Biden"}
    keep = ("actors", "mentions")
    expected = analyse_folder(linked_corpus, batch_size=1, keep=keep)
    streamed = read_tables(analyse_folder(linked_corpus, batch_size=1, keep=keep, out=tmp_path / "streamed"))
    assert len(list((tmp_path / "streamed" / "parts").iterdir())) == 3
    for got in (streamed,):
        actors = got["actors"].astype({"doc_id": str, "text": str, "actor": str, "kind": str})
        assert set(actors.loc[(actors["doc_id"] == "c") & (actors["text"] == "Olaf Scholz"), "kind"]) == {
            "person"
        }
        assert set(actors.loc[(actors["doc_id"] == "b") & (actors["text"] == "Biden"), "actor"]) == {
            "Joe Biden"
        }
        mentions = got["mentions"]
        assert set(
            mentions.loc[(mentions["doc_id"] == "c") & (mentions["text"] == "Olaf Scholz"), "label"]
        ) == {"person"}
        for name in keep:
            pd.testing.assert_frame_equal(plain(got[name]), plain(expected[name]), obj=name)


def test_mentions_come_back_in_file_order(tmp_path):
    """Mentions are made batch by batch and read back in the order of the files ("a-b.txt" before
    "a.txt"), the order of `load_corpus`'s documents."""
    text = "date 2024-01-0{0}\n\nOn 5 March 2024 the talks began in room {0}; on Monday they ended."
    corpus = write_corpus(tmp_path / "c", {"a-b.txt": text.format(1), "a.txt": text.format(2)})
    keep = ("dates", "mentions")
    expected = analyse_folder(corpus, batch_size=1, keep=keep)["mentions"]
    got = read_tables(analyse_folder(corpus, batch_size=1, keep=keep, out=tmp_path / "out"))["mentions"]
    assert list(expected["doc_id"].drop_duplicates()) == ["a-b", "a"]
    assert list(helpers.load_corpus(corpus)["doc_id"]) == ["a-b", "a"]
    pd.testing.assert_frame_equal(got, expected)
