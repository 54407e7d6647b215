"""Shared fixtures: the seed corpus, loaded once, and small corpora written to temp folders."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st

import helpers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the collection's tooling (tools/) is not part of the package

from tools.site_build import NOTEBOOKS, SEEDS, build_site  # noqa: E402

SEED_ID = "000_15841afbb5fcb278"


@pytest.fixture(scope="session")
def seed_docs():
    return helpers.load_corpus(SEEDS)


@pytest.fixture(scope="session")
def seed_text(seed_docs):
    return seed_docs.set_index("doc_id").loc[SEED_ID, "text"]


@pytest.fixture(scope="session")
def seed_tokens(seed_docs):
    return helpers.tokenize(seed_docs)


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write {name: text or bytes} into folder and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return folder


def assert_offsets_exact(table, docs):
    """Every row's text is exactly its document's text between start and end (its title's, for a row
    whose `part` is "title")."""
    texts = docs.set_index("doc_id")
    assert {"doc_id", "start", "end", "text"} <= set(table.columns)
    for row in table.itertuples(index=False):
        where = "title" if getattr(row, "part", "body") == "title" else "text"
        assert texts.at[row.doc_id, where][row.start : row.end] == row.text, row


def seeds_fingerprint() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(SEEDS.iterdir())}


@pytest.fixture(scope="session", autouse=True)
def seeds_never_modified():
    """Nothing the tests (or the code they run) do may change a file under seeds/."""
    before = seeds_fingerprint()
    yield
    assert seeds_fingerprint() == before, "a file under seeds/ was modified"


OWN_CORPUS = Path(__file__).parent / "data" / "own_corpus"
BUILD = ROOT / "build"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The whole site, built once from fresh kernels on the default corpora (the seeds; 06: the example
    corpus), into a temp folder."""
    out = tmp_path_factory.mktemp("html")
    build_site(NOTEBOOKS, out, log=lambda *a: None)
    return out


# Text pieces for generated texts: words, every kind of quote and bracket, abbreviations, contractions.
PIECES = st.sampled_from(
    list("abcXYZ019 ")
    + [
        " ",
        "\n",
        "\n\n",
        "\r\n",
        ".",
        ",",
        "!",
        "?",
        ";",
        ":",
        "-",
        "'",
        "’",
        "‘",
        '"',
        "“",
        "”",
        "«",
        "»",
        "(",
        ")",
        "[",
        "]",
        "No. ",
        "Dr. ",
        "n't",
        "$",
        "%",
        "...",
        "--",
        "\t",
        "\xa0",  # whitespace Punkt's look-back does not count (string.whitespace) but \s does
        "\x0b",
        "\x0c",
        " J. ",
        "2016. ",
        "é",
        "ß",
        "İ",
        "`",
        "``",
        "''",
        "can",
        "not",
        "gon",
        "na",
        "'tis",
        "'s",
        "'ll",
        " 're",
        "&",
        "*",
        "@",
        "#",
        "<",
        ">",
        "{",
        "}",
        "–",
        "—",
        "Kazakhstan’s ",
        "the ",
        "U.S. ",
        "didn't ",
        "DON'T",
        "States' ",
        "workers'",
        "gımme",  # NLTK's (?i) contractions also take a dotless i
        "GİMME",
        "a--b",  # a double dash between letters is a token of its own in the whole-text pass
        "---",
        "<!--",
        "-->",
    ]
)
TEXTS = st.lists(PIECES, max_size=80).map("".join)
