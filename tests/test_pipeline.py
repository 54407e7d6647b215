"""The batch pipeline: same tables as the pandas path, in processes and on a 2-worker Dask cluster;
and the fast tokenizer gives exactly NLTK's tokens."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import OWN_CORPUS

import helpers
from helpers.actors import find_actors
from helpers.corpus import in_body_and_title
from helpers.dates import find_dates
from helpers.pipeline import analyse_folder
from helpers.terms import term_counts
from helpers.tokens import fast_word_spans, sentence_spans, word_spans
from helpers.treaties import find_treaties

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from synthetic import write_corpus  # noqa: E402


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("synthetic"), 60, seed=3)


def pandas_path(folder) -> dict[str, pd.DataFrame]:
    docs = helpers.load_corpus(folder)
    return {
        "term_counts": term_counts(helpers.tokenize(docs), stop_words=True),
        "actors": in_body_and_title(find_actors, docs),
        "dates": in_body_and_title(find_dates, docs),
        "treaties": in_body_and_title(find_treaties, docs),
    }


# The pipeline stores these repeated strings as categoricals; every other column keeps its dtype.
CATEGORICAL = {"doc_id", "kind", "type", "match", "strength", "series", "actor", "actor_id", "source", "part"}


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The pipeline's table equals the pandas path's: same rows and values, same dtypes except the
    declared categoricals, which hold the same values as the pandas path's column."""
    categorical = {c for c in got.columns if isinstance(got[c].dtype, pd.CategoricalDtype)}
    assert categorical <= CATEGORICAL, categorical - CATEGORICAL
    if len(got):
        assert categorical == CATEGORICAL & set(got.columns), "every declared categorical is one"
    plain = got.astype({c: expected[c].dtype for c in categorical})
    keys = [c for c in ("doc_id", "part", "start", "term", "number") if c in got.columns]
    x, y = (t.sort_values(keys, kind="stable").reset_index(drop=True) for t in (plain, expected))
    pd.testing.assert_frame_equal(x, y, rtol=1e-5)  # floats (per_1000) summed over batches


def test_batches_and_processes_give_the_pandas_tables(synthetic):
    expected = pandas_path(synthetic)
    for workers in (1, 2):
        got = analyse_folder(synthetic, batch_size=17, workers=workers)
        for name, table in expected.items():
            same(got[name], table)
        assert len(got["documents"]) == 60 and got["problems"].empty


def test_dask_on_a_two_worker_local_cluster(synthetic):
    from distributed import Client, LocalCluster

    expected = pandas_path(synthetic)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            got = analyse_folder(synthetic, batch_size=20, client=client)
    for name, table in expected.items():
        same(got[name], table)


def test_bad_files_are_reported_by_the_pipeline_too(tmp_path):
    (tmp_path / "good.txt").write_text("date 2024-01-02 T\n\nGENEVA. AFP - The EU met on Monday.\n")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01")
    got = analyse_folder(tmp_path)
    assert list(got["documents"]["doc_id"]) == ["good"]
    assert list(got["problems"]["file"]) == ["bad.txt"]


def differential(text: str) -> None:
    """Sentence by sentence, the cached chunk tokenizer equals NLTKWordTokenizer.span_tokenize."""
    for a, b in sentence_spans(text):
        assert fast_word_spans(text, a, b) == word_spans(text, a, b), text[a:b]


def test_fast_tokens_equal_nltk_on_seed_test_and_synthetic_corpora(seed_text, synthetic):
    differential(seed_text)
    for folder in (OWN_CORPUS, synthetic):
        for text in helpers.load_corpus(folder)["text"]:
            differential(text)


def test_a_mention_only_in_a_title_is_found_and_marked(tmp_path):
    """By hand: the title names Georgia, the Istanbul Convention and 3 May 2020; the body none of them."""
    (tmp_path / "a.txt").write_text(
        "date 2024-01-02 Georgia ratified the Istanbul Convention on 3 May 2020\n\nThe vote was close.\n"
    )
    got = analyse_folder(tmp_path, keep=("documents", "actors", "dates", "treaties", "mentions"))
    docs = helpers.load_corpus(tmp_path)
    for name, text in [("actors", "Georgia"), ("dates", "3 May 2020"), ("treaties", "Istanbul Convention")]:
        table = got[name]
        assert list(zip(table["doc_id"].astype(str), table["part"].astype(str), table["text"])) == [
            ("a", "title", text)
        ]
        assert helpers.corpus.offsets_exact(table, docs)
    assert got["treaties"]["number"].tolist() == ["210"]
    assert set(got["mentions"]["part"]) == {"title"} and len(got["mentions"]) == 3


def test_in_body_and_title_calls_a_finder_as_it_is(seed_docs):
    """The seed's title rows are find_actors on the headlines (the stored seed table), with the
    document's own doc_id and part "title"; its body rows are find_actors on the bodies."""
    table = in_body_and_title(find_actors, seed_docs)
    stored = pd.read_csv(Path(__file__).parent / "data" / "seed_tables" / "headline_actors.csv", dtype=str)
    title = table[table["part"] == "title"].drop(columns="part").reset_index(drop=True)
    assert list(title["text"]) == list(stored["text"]) and len(title) >= 2
    assert list(title["start"].astype(str)) == list(stored["start"])
    assert set(title["doc_id"]) == set(seed_docs["doc_id"])
    body = table[table["part"] == "body"].drop(columns="part").reset_index(drop=True)
    pd.testing.assert_frame_equal(body, find_actors(seed_docs))
    assert helpers.corpus.offsets_exact(table, seed_docs)
    assert not helpers.corpus.offsets_exact(table.assign(part="body"), seed_docs)
