"""Shared fixtures: the seed corpus, loaded once, and small corpora written to temp folders."""

from __future__ import annotations

import hashlib
import inspect
import re
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st

import helpers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the collection's tooling (tools/) is not part of the package

from tools.site_build import NOTEBOOKS, SEEDS, build_site  # noqa: E402

SEED_ID = "000_15841afbb5fcb278"


# ---------------------------------------------------------------- tiers
# Each test is marked by what it uses, found in its own source and in that of the fixtures it uses (and
# of the module-level names they read), so that a new test is marked without anyone thinking of it.
# `make test` runs the fast tier: not (notebook or browser or corpus or slow); `make test-all` runs all.
USES = {
    "notebook": re.compile(
        r"\b(?:build_site|build_page|execute|analyse_corpora|NotebookClient)\("
        r"|fixture:site\b"
    ),
    "browser": re.compile(r"chromium|playwright|jupyter lab|fixture:browser\b"),
    "corpus": re.compile(r"[/\"']corpora\b"),
    "model": re.compile(
        r"\b(?:find_actors|parse_texts|load_model|model_parses|analyse_folder|analyse_batch|"
        r"analyse|open_corpus|actor_events|side_by_side|method_scores|build_site)\b"
    ),
}
MARKS = {**{name: f"the test uses {name}s" for name in USES}, "slow": "a test that takes a minute or more"}


def sources_of(item) -> str:
    """The test function's source, its fixtures' sources, the values of the module-level names they
    read (a folder named in a constant) and the source of the module's functions they call."""
    functions = [item.function] + [
        d.func for defs in item._fixtureinfo.name2fixturedefs.values() for d in defs
    ]
    texts = []
    for function in functions:
        try:
            texts.append(inspect.getsource(function))
        except (OSError, TypeError):
            continue
    names = set(re.findall(r"\b[A-Za-z_]\w*\b", "\n".join(texts)))
    module = vars(item.module)
    texts += [str(module[n]) for n in names if isinstance(module.get(n), str | Path)]
    for name in names:  # the test module's own helper functions it calls (one level down)
        helper = inspect.unwrap(module[name]) if callable(module.get(name)) else None
        if inspect.isfunction(helper) and helper.__module__ == item.module.__name__:
            texts.append(inspect.getsource(helper))
    return "\n".join(texts) + "\n" + " ".join(f"fixture:{name}" for name in item.fixturenames)


def pytest_configure(config):
    for name, meaning in MARKS.items():
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        source = sources_of(item)
        for name, uses in USES.items():
            if uses.search(source):
                item.add_marker(name)


@pytest.fixture(scope="session", autouse=True)
def parse_cache_of_this_session(tmp_path_factory):
    """The tests keep the model's parses in a cache of their own, new for each session: never in
    build/cache (a `make html` made it, perhaps with older code)."""
    from helpers import model, store

    folder = tmp_path_factory.mktemp("parses")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(model.CACHE_ENV, str(folder))
        patch.setenv(store.STORE_DIR_ENV, str(tmp_path_factory.mktemp("stores")))  # open_corpus's stores
        yield folder


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
