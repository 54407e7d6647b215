"""The pipeline's results on disk (Parquet, one file per batch and table): the same tables as in memory,
read back by helpers, pandas or Dask; a failing batch named by its files while the others go on."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

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
    assert on_disk.is_dir()
    assert len(list((on_disk / "dates").glob("part-*.parquet"))) == 5  # 30 files in batches of 7
    assert len(list((on_disk / "actors").glob("part-*.parquet"))) == 1  # linked over the corpus: one


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

    for name in ("documents", "term_counts", "actors", "dates", "treaties"):
        if reader == "pandas":
            got = pd.read_parquet(on_disk / name)
        else:
            got = dd.read_parquet(str(on_disk / name)).compute()
        pd.testing.assert_frame_equal(plain(got), plain(in_memory[name]), check_dtype=False, obj=name)


def test_a_failing_batch_is_named_and_the_others_go_on(monkeypatch, tmp_path):
    """The treaties finder breaks on the first statement: its batch (the first 10 files) is reported
    file by file, in memory and on disk, and the other 20 documents are analysed."""
    real = FINDERS["treaties"]

    def failing(docs, documents=None):
        if docs["doc_id"].astype(str).str.startswith("2021-01-20").any():
            raise ValueError("a finder broke")
        return real.find(docs, documents)

    monkeypatch.setitem(FINDERS, "treaties", dataclasses.replace(real, find=failing))
    files = sorted(p.name for p in SAMPLE.glob("*.txt"))
    for out in (None, tmp_path / "tables"):
        with pytest.warns(UserWarning, match="a batch failed") as caught:
            got = analyse_folder(SAMPLE, batch_size=10, keep=("documents", "problems", "treaties"), out=out)
        tables = got if out is None else read_tables(got)
        assert sorted(tables["problems"]["file"]) == files[:10]
        assert tables["problems"]["reason"].str.contains("ValueError: a finder broke").all()
        assert sorted(tables["documents"]["doc_id"].astype(str)) == [
            f.removesuffix(".txt") for f in files[10:]
        ]
        assert files[0] in str(caught[0].message) and files[9] in str(caught[0].message)


def test_progress_is_shown_on_request(capsys):
    analyse_folder(SAMPLE, batch_size=10, keep=("documents",), progress=True)
    assert "batches" in capsys.readouterr().err
    analyse_folder(SAMPLE, batch_size=10, keep=("documents",))  # 3 batches: no bar by default
    assert "batches" not in capsys.readouterr().err
