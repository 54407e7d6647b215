"""A folder of 1,000 files, 10% of them bad (tests/odd_corpus.py): every good file analysed, every
bad one named with its reason, the whole collection built with no failed page, and the folder
byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

import pytest
from odd_corpus import write_odd_corpus

from helpers.pipeline import analyse_folder
from tools.site_build import NOTEBOOKS, build_site

pytestmark = pytest.mark.slow  # 1,000 files analysed, then the whole collection built on them


def fingerprint(folder: Path) -> dict[str, str]:
    """Every entry under the folder: a file's sha256, a link's target, a folder's name."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = "-> " + os.readlink(path)
        elif path.is_file():
            out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[key] = "folder"
    return out


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    folder = tmp_path_factory.mktemp("odd") / "corpus"
    expected = write_odd_corpus(folder)
    return folder, expected, fingerprint(folder)


def test_every_good_file_is_analysed_and_every_bad_one_named(odd, tmp_path):
    folder, expected, before = odd
    assert len(expected["good"]) == 900 and len(list(folder.rglob("*.txt"))) >= 1000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = analyse_folder(folder, batch_size=200, workers=2, out=tmp_path / "tables")
    from helpers.pipeline import read_tables
    from helpers.store import open_store

    stored = open_store(tables)
    tables = read_tables(tables)
    assert sorted(stored.documents["doc_id"]) == expected["good"]  # every good file is in the store
    copies = stored.copies.loc[stored.copies["kind"] == "exact", "doc_id"]
    assert sorted(tables["documents"]["doc_id"].astype(str)) == sorted(set(expected["good"]) - set(copies))
    problems = tables["problems"]
    named = dict(zip(problems["file"], problems["reason"]))
    assert set(named) == set(expected["bad"]), "a problem row for a good file, or a bad file not named"
    for name, reason in expected["bad"].items():
        assert reason in named[name], (name, named[name])
    assert (problems["stage"] == "load").all()
    long_actors = tables["actors"][tables["actors"]["doc_id"].astype(str) == "long"]
    assert long_actors["end"].max() > 1_000_000  # found past the model's limit
    assert fingerprint(folder) == before


def test_the_collection_builds_on_it_with_no_failed_page(odd, tmp_path):
    folder, _, before = odd
    pages = build_site(NOTEBOOKS, tmp_path / "html", seeds=folder, log=lambda *a: None)
    failed = [(p.path.name, str(p.failure)) for p in pages if p.failure]
    assert not failed
    start = (tmp_path / "html" / "00_start_here.html").read_text(encoding="utf-8")
    assert "bad_utf16_0.txt" in start or "could not be read" in start
    assert fingerprint(folder) == before
