"""The analysis store: analysed once, then only what changed; identical to a cold store; a run killed
at any moment leaves the last complete state; one run at a time; the same store built by Dask."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import assert_offsets_exact, write_corpus

import helpers
from helpers import store as store_module
from helpers.actors import cooccurrence, find_actors, relink
from helpers.corpus import in_body_and_title
from helpers.dates import find_dates
from helpers.events import actor_events
from helpers.registry import FINDERS
from helpers.store import StoreBusy, StoreEmpty, analyse, open_corpus, open_store
from helpers.terms import term_counts
from helpers.treaties import find_treaties

SAMPLE = Path(__file__).parent / "data" / "whitehouse_sample"  # 30 real statements
FILES = sorted(p.name for p in SAMPLE.glob("*.txt"))


def copy_of_sample(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(SAMPLE / name, folder / name)
    return folder


def every_table(path: Path) -> dict[str, pd.DataFrame]:
    """Every table a store gives, read back."""
    got = open_store(path)
    found = {name: got.table(name) for name in ("tokens", "sentences", *FINDERS, "events", "mentions")}
    found.update(docs=got.docs, documents=got.documents, problems=got.problems, term_counts=got.term_counts)
    found.update(cooccurrence=got.cooccurrence, copies=got.copies)
    return found


def assert_same_store(a: Path, b: Path) -> None:
    x, y = every_table(a), every_table(b)
    for name in x:
        pd.testing.assert_frame_equal(x[name], y[name], obj=name)


def by_document(table: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Rows in the documents' order, each document's body rows then its title rows (the store's order;
    `in_body_and_title` gives every body's rows, then every title's)."""
    rank = table["doc_id"].map({d: i for i, d in enumerate(docs["doc_id"])})
    return table.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store")
    run = analyse(SAMPLE, path, batch_size=7, say=lambda _: None)
    return path, run


def test_the_store_holds_what_the_finders_give(sample_store):
    """Read back, each table is what the finder gives over the loaded corpus: actors linked once over
    bodies and titles together (a person named in full only in a title is one person)."""
    path, run = sample_store
    assert (run.files, run.analysed, run.published) == (30, 30, True)
    got, docs = open_store(path), helpers.load_corpus(SAMPLE)
    pd.testing.assert_frame_equal(got.docs, docs, check_dtype=False)
    tokens = helpers.tokenize(docs)
    pd.testing.assert_frame_equal(got.tokens, tokens)
    pd.testing.assert_frame_equal(got.sentences, helpers.sentences(docs))
    linked = by_document(
        in_body_and_title(lambda d, *a: find_actors(d, *a, link=False), docs, finish=relink), docs
    )
    pd.testing.assert_frame_equal(got.table("actors"), linked)
    body = linked[linked["part"] == "body"].drop(columns="part").reset_index(drop=True)
    pd.testing.assert_frame_equal(got.actors, body)
    pd.testing.assert_frame_equal(got.dates, find_dates(docs))
    pd.testing.assert_frame_equal(got.treaties, find_treaties(docs))
    pd.testing.assert_frame_equal(
        got.table("treaties"), by_document(in_body_and_title(find_treaties, docs), docs)
    )
    pd.testing.assert_frame_equal(got.events, actor_events(docs, tokens, body))
    pd.testing.assert_frame_equal(got.term_counts, term_counts(tokens, stop_words=True), check_dtype=False)
    pd.testing.assert_frame_equal(got.cooccurrence, cooccurrence(body, tokens))


def test_every_row_is_its_text_between_its_offsets(sample_store):
    got = open_store(sample_store[0])
    docs = got.docs
    for name in ("tokens", "sentences", *FINDERS, "events", "mentions"):
        table = got.table(name)
        assert len(table), name
        assert_offsets_exact(table if name != "tokens" else table.rename(columns={"token": "text"}), docs)
    with pytest.raises(AssertionError):  # the check can fail: one row moved by a character
        bad = got.actors.copy()
        bad.loc[0, "start"] += 1
        assert_offsets_exact(bad, docs)


def test_a_second_run_analyses_nothing_and_keeps_the_generation(sample_store):
    path, _ = sample_store
    before = json.loads((path / "manifest.json").read_text())
    run = analyse(SAMPLE, path, batch_size=7, say=lambda _: None)
    assert (run.analysed, run.removed, run.published) == (0, 0, False)
    assert json.loads((path / "manifest.json").read_text())["published"] == before["published"]
    assert "analysed 0 of 30 files" in str(run)


def test_an_incremental_store_equals_a_cold_one(tmp_path):
    """20 files analysed; then 6 added, 2 changed and 3 removed: only the 8 new or changed are analysed,
    and every table equals that of a store made cold on the final folder."""
    folder = copy_of_sample(tmp_path / "corpus", FILES[:20])
    grown = tmp_path / "grown"
    analyse(folder, grown, batch_size=6, say=lambda _: None)
    copy_of_sample(folder, FILES[20:26])
    for name in FILES[3:5]:
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8") + "\nPresident Biden met Olaf Scholz on Monday.\n")
    for name in FILES[10:13]:
        (folder / name).unlink()
    run = analyse(folder, grown, batch_size=6, say=lambda _: None)
    assert (run.files, run.analysed, run.removed) == (23, 8, 5)
    cold = tmp_path / "cold"
    analyse(folder, cold, batch_size=6, say=lambda _: None)
    assert_same_store(grown, cold)
    assert not set(open_store(grown).tokens["doc_id"]) & {n.removesuffix(".txt") for n in FILES[10:13]}
    # nothing is left of the replaced rows on disk: parts no file lives in are removed
    manifest = json.loads((grown / "manifest.json").read_text())
    assert {p.name for p in (grown / "parts").iterdir()} == set(manifest["parts"])
    assert [p.name for p in (grown / "corpus").iterdir()] == [manifest["published"]["generation"]]


def test_a_changed_analysis_analyses_everything_again_and_says_so(tmp_path, monkeypatch):
    folder = copy_of_sample(tmp_path / "corpus", FILES[:3])
    analyse(folder, tmp_path / "s", say=lambda _: None)
    from helpers import model

    store_module.analysis_version.cache_clear()
    monkeypatch.setattr(model, "model_identity", lambda name=None: "another model==9.9")
    try:
        run = analyse(folder, tmp_path / "s", say=lambda _: None)
    finally:
        store_module.analysis_version.cache_clear()
    assert run.analysed == 3 and "analysis changed" in str(run)
    assert run.removed == 0  # analysed again, not removed


def test_the_version_changes_with_the_rule_files(monkeypatch):
    """A rule file's bytes are part of the analysis's version."""
    first = store_module.analysis_version()
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: real(p) + (b"x" if p.suffix == ".txt" else b""))
    store_module.analysis_version.cache_clear()
    try:
        assert store_module.analysis_version() != first
    finally:
        monkeypatch.undo()
        store_module.analysis_version.cache_clear()
    assert store_module.analysis_version() == first


# A run in another process, slowed so that it can be killed while it writes: each part and the
# corpus-wide step take a second longer.
SLOW_RUN = """
import sys, time
from helpers import store
real_part, real_publish = store.analyse_part, store.publish
def part(*a, **k):
    meta = real_part(*a, **k); time.sleep(1); return meta
def publish(*a, **k):
    time.sleep(1); real_publish(*a, **k); time.sleep(2)
store.analyse_part, store.publish = part, publish
store.analyse(sys.argv[1], sys.argv[2], batch_size=2, say=lambda _: None)
"""


def start_slow_run(folder: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", SLOW_RUN, str(folder), str(path)])


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the other run never got there"
        time.sleep(0.05)


def parts_done(path: Path) -> int:
    try:
        return len(json.loads((path / "manifest.json").read_text())["parts"])
    except (OSError, ValueError, KeyError):
        return 0


def test_a_killed_run_leaves_the_last_complete_state_and_the_next_completes_it(tmp_path):
    """SIGKILL in the middle of the parts, then in the middle of the corpus-wide step: each time the
    store opens on its last published tables; the next run analyses only what no finished part holds,
    and ends with the tables of a cold store (no document counted twice)."""
    folder = copy_of_sample(tmp_path / "corpus", FILES[:4])
    path = tmp_path / "store"
    analyse(folder, path, batch_size=2, say=lambda _: None)
    first = every_table(path)
    copy_of_sample(folder, FILES[4:12])  # 8 more files: 4 parts of 2

    run = start_slow_run(folder, path)
    wait_for(lambda: parts_done(path) >= 4)  # 2 parts of the first 4 files, 2 new ones; 2 to go
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert (path / "lock").exists()  # left by the killed run
    for name, table in every_table(path).items():  # still the first state
        pd.testing.assert_frame_equal(table, first[name], obj=name)

    run = start_slow_run(folder, path)  # takes over the dead run's lock
    wait_for(lambda: len(list((path / "corpus").glob("*"))) >= 2)  # the new generation is being written
    run.send_signal(signal.SIGKILL)
    run.wait()
    for name, table in every_table(path).items():
        pd.testing.assert_frame_equal(table, first[name], obj=name)

    done = analyse(folder, path, batch_size=2, say=lambda _: None)
    assert done.analysed == 0, "every part was finished by the killed runs; only the corpus step was not"
    cold = tmp_path / "cold"
    analyse(folder, cold, batch_size=2, say=lambda _: None)
    assert_same_store(path, cold)
    assert open_store(path).docs["doc_id"].is_unique


HOLD_LOCK = """
import sys, time
from helpers.store import locked
with locked(sys.argv[1]):
    print("holding", flush=True)
    time.sleep(60)
"""


def test_a_second_run_on_a_busy_store_names_the_holder(tmp_path):
    folder = copy_of_sample(tmp_path / "corpus", FILES[:1])
    path = tmp_path / "store"
    other = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "holding"
        with pytest.raises(StoreBusy, match=rf"busy: process {other.pid} on "):
            analyse(folder, path, say=lambda _: None)
        said = []
        began = time.monotonic()
        with pytest.raises(StoreBusy, match="wait for it to finish"):
            analyse(folder, path, wait=1, say=said.append)
        assert time.monotonic() - began >= 1 and "waiting" in said[0]
        with pytest.raises(StoreEmpty):  # nothing was written meanwhile
            open_store(path)
    finally:
        other.kill()
        other.wait()
    assert analyse(folder, path, say=lambda _: None).analysed == 1  # its holder is gone: taken over


def test_open_corpus_keeps_one_store_per_folder_and_says_what_it_did(tmp_path, monkeypatch):
    monkeypatch.setenv(store_module.STORE_DIR_ENV, str(tmp_path / "stores"))
    folder = copy_of_sample(tmp_path / "corpus", FILES[:2])
    said = []
    corpus = open_corpus(folder, say=said.append)
    assert len(corpus.docs) == 2 and said and "analysed 2 of 2 files" in said[0]
    assert Path(corpus.path).parent == tmp_path / "stores"
    said.clear()
    open_corpus(folder, say=said.append)
    assert said == []  # nothing to analyse, nothing said


def test_bad_files_and_a_failing_finder_are_named_and_the_rest_are_stored(tmp_path, monkeypatch):
    import dataclasses

    folder = write_corpus(
        tmp_path / "c",
        {"good.txt": "date 2024-01-02 T\n\nGENEVA. AFP - The EU met on Monday.\n", "bad.txt": b"\x00\x01"},
    )
    copy_of_sample(folder, FILES[:2])
    real = FINDERS["treaties"]

    def failing(docs, documents=None):
        if (docs["doc_id"] == "good").any():
            raise ValueError("a finder broke")
        return real.find(docs, documents)

    monkeypatch.setitem(FINDERS, "treaties", dataclasses.replace(real, find=failing))
    store_module.analysis_version.cache_clear()
    try:
        analyse(folder, tmp_path / "s", batch_size=4, say=lambda _: None)
    finally:
        store_module.analysis_version.cache_clear()
    got = open_store(tmp_path / "s")
    problems = got.problems.set_index("file")
    assert problems.loc["bad.txt", "stage"] == "load"
    assert problems.loc["good.txt", "stage"] == "analysis"  # its batch failed; then it alone
    assert "ValueError: a finder broke" in problems.loc["good.txt", "reason"]
    assert list(got.docs["doc_id"]) == [n.removesuffix(".txt") for n in FILES[:2]]  # the rest are stored


def test_dask_builds_the_same_store_on_a_two_worker_cluster(sample_store, tmp_path):
    """Each worker writes its parts itself; the client gets back the manifest entries only."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            run = analyse(SAMPLE, tmp_path / "dask", client=client, batch_size=7, say=lambda _: None)
            pids = set(client.run(os.getpid).values())
    assert run.analysed == 30 and os.getpid() not in pids
    assert_same_store(tmp_path / "dask", sample_store[0])


def test_the_glance_from_the_store_is_the_glance_from_the_finders(sample_store):
    """Notebook 00's summary lines read the stored tables and say what running the finders says."""
    from helpers.overview import at_a_glance

    got = open_store(sample_store[0])
    docs, tokens, sents = got.docs, got.tokens, got.sentences
    assert at_a_glance(docs, tokens, sents, got.found) == at_a_glance(docs, tokens, sents)
