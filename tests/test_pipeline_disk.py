"""The pipeline's results on disk (Parquet, one file per batch and table): the same tables as in memory,
read back by helpers, pandas or Dask; a failing batch named by its files while the others go on."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_corpus

import helpers
from helpers.actors import find_actors, relink, relink_parts
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


def test_parquet_is_written_per_batch(on_disk):
    """Every table but the term counts (added up: one file) keeps a file per batch, named by its number,
    the actors' too (linked over the corpus in place) and the mentions (made batch by batch)."""
    assert on_disk.is_dir()
    batches = [f"part-{n:05d}.parquet" for n in range(5)]  # 30 files in batches of 7
    for name in ("documents", "actors", "dates", "mentions"):
        assert sorted(f.name for f in (on_disk / name).glob("*.parquet")) == batches, name
    assert [f.name for f in (on_disk / "term_counts").glob("*.parquet")] == batches[:1]
    for number, batch in enumerate(batches):  # one batch's parts are the same documents
        ids = set(pd.read_parquet(on_disk / "documents" / batch)["doc_id"])
        for name in ("actors", "dates", "mentions"):
            assert set(pd.read_parquet(on_disk / name / batch)["doc_id"]) <= ids, (name, number)


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


@pytest.mark.parametrize("reader", ["pandas", "dask"])
def test_pandas_and_dask_read_the_same_values(in_memory, on_disk, reader):
    import dask.dataframe as dd

    for name in ("documents", "term_counts", "actors", "dates", "treaties", "mentions"):
        if reader == "pandas":
            got = pd.read_parquet(on_disk / name)
        else:
            got = dd.read_parquet(str(on_disk / name)).compute()
        pd.testing.assert_frame_equal(plain(got), plain(in_memory[name]), check_dtype=False, obj=name)


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


def test_progress_is_shown_on_request(capsys):
    analyse_folder(SAMPLE, batch_size=10, keep=("documents",), progress=True)
    assert "batches" in capsys.readouterr().err
    analyse_folder(SAMPLE, batch_size=10, keep=("documents",))  # 3 batches: no bar by default
    assert "batches" not in capsys.readouterr().err


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
    """On disk, with one text per batch, the actors are linked as over the whole corpus: by the actors'
    own streamed step and by the whole-table fallback a finder without one gets."""
    docs = helpers.load_corpus(linked_corpus)
    alone = {d: find_actors(docs[docs["doc_id"] == d]) for d in ("b", "c")}  # as a per-batch step would
    assert set(alone["c"].loc[alone["c"]["text"] == "Olaf Scholz", "kind"]) == {"organisation"}
    assert set(alone["b"].loc[alone["b"]["text"] == "Biden", "actor"]) == {"Biden"}
    keep = ("actors", "mentions")
    expected = analyse_folder(linked_corpus, batch_size=1, keep=keep)
    streamed = read_tables(analyse_folder(linked_corpus, batch_size=1, keep=keep, out=tmp_path / "streamed"))
    monkeypatch.setitem(FINDERS, "actors", dataclasses.replace(FINDERS["actors"], corpus_step_on_parts=None))
    whole = read_tables(analyse_folder(linked_corpus, batch_size=1, keep=keep, out=tmp_path / "whole"))
    assert len(list((tmp_path / "streamed" / "actors").glob("*.parquet"))) == 3
    for got in (streamed, whole):
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


def mention(doc_id: str, start: int, name: str, kind: str, source: str) -> dict:
    """One row of an actors table, as a batch of the pipeline has it."""
    row = dict(doc_id=doc_id, start=start, end=start + len(name), text=name, actor=name, actor_id="")
    return row | dict(kind=kind, role="", affiliation="", source=source, part="body")


def test_relink_parts_is_relink_of_the_whole_table(tmp_path):
    """`relink_parts` on one file per batch gives `relink`'s rows of the whole table, where each batch
    alone would not: "Joe Biden" is a person only because another batch says so, and those two of his
    mentions make "Joe Biden" (3) outnumber "Joseph Biden" (2), the name every Biden then gets."""
    batches = [
        [
            mention("a", 0, "Joseph Biden", "person", "rules"),
            mention("a", 20, "Joseph Biden", "person", "rules"),
        ],
        [mention("b", 0, "Joe Biden", "person", "rules"), mention("b", 20, "Biden", "person", "model")],
        [
            mention("c", 0, "Joe Biden", "organisation", "model"),
            mention("c", 20, "Joe Biden", "place", "model"),
        ],
    ]
    tables = [pd.DataFrame(rows) for rows in batches]
    files = [tmp_path / f"part-{n:05d}.parquet" for n in range(len(tables))]
    for table, f in zip(tables, files):
        table.to_parquet(f, index=False)
    relink_parts(files)
    got = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    expected = relink(pd.concat(tables, ignore_index=True))
    pd.testing.assert_frame_equal(got, expected)
    assert set(got["actor"]) == {"Joe Biden"} and set(got["kind"]) == {"person"}
    assert set(pd.concat([relink(t) for t in tables])["actor"]) > {"Joe Biden"}  # batch by batch: not one


def test_mentions_come_back_in_doc_id_order(tmp_path):
    """Mentions are made batch by batch in file order ("a-b.txt" before "a.txt") and read back in the
    in-memory table's order, by doc_id ("a" before "a-b")."""
    text = "date 2024-01-0{}\n\nOn 5 March 2024 the talks began; on Monday they ended."
    corpus = write_corpus(tmp_path / "c", {"a-b.txt": text.format(1), "a.txt": text.format(2)})
    keep = ("dates", "mentions")
    expected = analyse_folder(corpus, batch_size=1, keep=keep)["mentions"]
    got = read_tables(analyse_folder(corpus, batch_size=1, keep=keep, out=tmp_path / "out"))["mentions"]
    assert list(expected["doc_id"].drop_duplicates()) == ["a", "a-b"]
    pd.testing.assert_frame_equal(got, expected)
